/** Whole-graph rules that per-file lint cannot see: cycles, and layer crossings by resolved path. */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'shared-is-pure',
      comment: 'shared/ imports only shared/ and zod',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: ['^shared/', '(^|/)node_modules/zod/'] },
    },
    { name: 'renderer-not-electron', severity: 'error', from: { path: '^renderer/' }, to: { path: '^electron/' } },
    {
      name: 'engine-not-shell',
      comment: 'backend, CLI, web host and utility entry never reach main/preload or the renderer',
      severity: 'error',
      from: { path: '^electron/(backend|cli|webhost|utility)/' },
      to: { path: ['^electron/(main|preload)/', '^renderer/'] },
    },
    {
      name: 'main-uses-engine-entry-only',
      comment: 'Electron main is OS glue: it reaches the engine through electron/backend/index.ts and nothing deeper',
      severity: 'error',
      from: { path: '^electron/(main|preload)/' },
      to: { path: '^electron/backend/', pathNot: '^electron/backend/index\\.ts$' },
    },
    {
      name: 'backend-not-hosts',
      severity: 'error',
      from: { path: '^electron/backend/' },
      to: { path: '^electron/(cli|webhost|utility)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    exclude: { path: ['^out/', '\\.d\\.ts$'] },
  },
};
