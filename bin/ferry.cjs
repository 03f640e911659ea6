#!/usr/bin/env node
// The `ferry` command. It runs electron/cli/main.ts bundled into out/cli/ferry.cjs, rebuilt first whenever a source
// changed (see cli-build.cjs), so it starts fast and never runs stale code. Without esbuild it falls back to
// compiling the TypeScript sources on the fly with tsx, saying so on stderr.
// `ferry … | head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const { loadCli } = require('./cli-build.cjs');
const outDir = process.env.FERRY_CLI_DIR || undefined; // another output folder, e.g. for a read-only install
const loaded = loadCli({ outDir });
let main;
if (loaded) main = loaded.exports.main;
else {
  try {
    require('tsx/cjs/api').register();
  } catch (e) {
    // tsx compiles with esbuild too: without it there is nothing left to run the sources with.
    process.stderr.write(`ferry: cannot start: tsx cannot be loaded either (${e && e.message}); reinstall with npm ci\n`);
    process.exit(1);
  }
  main = require('../electron/cli/main.ts').main;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (loaded) loaded.saveCache();
    // Everything is done once main has answered: exit now rather than wait on a handle someone forgot (a worker,
    // a timer), but only after stdout and stderr have been handed all that was written to them.
    let pending = 2;
    const done = () => {
      if (--pending === 0) process.exit(code);
    };
    process.stdout.write('', done);
    process.stderr.write('', done);
  },
  (e) => {
    process.stderr.write(`ferry: ${(e && e.stack) || e}\n`);
    process.exit(1);
  },
);
