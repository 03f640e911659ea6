#!/usr/bin/env node
// The `ferry` command starts from prebuilt JavaScript: electron/cli/main.ts bundled by esbuild into out/cli/ferry.cjs
// (and the worker threads into out/cli/parse-worker.js, bulk-worker.js, cache-worker.js and export-worker.js, where the
// backend looks for them next to the bundle).
// The bundle is rebuilt whenever a source changed, so nobody runs stale code; tests keep running the TypeScript
// sources through vitest. `node bin/cli-build.cjs [outDir]` builds it by hand.
//
// - Fresh or stale: a stamp of every input file's path, size and mtime (electron/, shared/, package.json,
//   package-lock.json, this file) and esbuild's version, kept next to the bundle. Stat-ing them costs a few ms.
// - Two processes may build at once: each writes temp files and renames them into place, stamp last.
// - Start-up: the bundle is compiled with a V8 code cache (ferry.cjs.v8cache, written on the first run after a
//   build), which halves the time spent compiling ~1 MB of JavaScript. V8 rejects a cache that does not match.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_OUT_DIR = path.join(ROOT, 'out', 'cli');
const BUNDLE = 'ferry.cjs';
/** Worker threads the backend starts, bundled as `<name>.js` next to the CLI. */
const WORKERS = ['parse-worker', 'bulk-worker', 'cache-worker', 'export-worker'];
/** Where each worker's source lives. */
const WORKER_SOURCES = {
  'parse-worker': 'electron/backend/import/parse-worker.ts',
  'bulk-worker': 'electron/backend/import/bulk-worker.ts',
  'cache-worker': 'electron/backend/import/cache-worker.ts',
  'export-worker': 'electron/backend/export/export-worker.ts',
};
const STAMP = 'stamp.txt';
const CODE_CACHE = `${BUNDLE}.v8cache`;

/** What the bundle is made of: folders walked for sources, and single files. Relative to the project root. */
const INPUTS = {
  dirs: ['electron', 'shared'],
  files: ['package.json', 'package-lock.json', 'tsconfig.base.json', 'bin/cli-build.cjs'],
};
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|json)$/;

/**
 * Packages that must be loaded from node_modules at run time: native (better-sqlite3), ESM builds that bundle
 * badly into CommonJS (openpgp resolves its own path through import.meta.url), optional (ws's
 * bufferutil/utf-8-validate), or dev tools loaded on demand (vite builds the renderer for `ferry serve`).
 */
const EXTERNAL = ['better-sqlite3', 'openpgp', 'bufferutil', 'utf-8-validate', 'vite', 'electron', 'tsx', 'esbuild'];

function walk(root, dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(root, rel, out);
    } else if (e.isFile() && SOURCE_FILE.test(e.name)) out.push(rel);
  }
}

function esbuildVersion() {
  try {
    return require('esbuild/package.json').version;
  } catch {
    return 'none';
  }
}

/**
 * A digest of the inputs' paths, sizes and modification times: any edit, addition, removal or rename changes it.
 * `inputs` defaults to the project's; tests pass their own.
 */
function sourceStamp(root = ROOT, inputs = INPUTS) {
  const files = [];
  for (const d of inputs.dirs) walk(root, d, files);
  files.push(...inputs.files);
  files.sort();
  const hash = createHash('sha256');
  hash.update(`esbuild ${esbuildVersion()}\n`);
  for (const f of files) {
    let st = null;
    try {
      st = fs.statSync(path.join(root, f));
    } catch {
      // a missing single file (e.g. no package-lock.json) is part of the state too
    }
    hash.update(st ? `${f}\t${st.size}\t${st.mtimeMs}\n` : `${f}\tmissing\n`);
  }
  return `${files.length} files ${hash.digest('hex')}`;
}

/** 'fresh' when the bundle in `outDir` was built from the sources as they are now, else 'rebuild'. */
function checkBundle(outDir = DEFAULT_OUT_DIR, stamp = sourceStamp()) {
  let recorded;
  try {
    recorded = fs.readFileSync(path.join(outDir, STAMP), 'utf8').trim();
  } catch {
    return 'rebuild';
  }
  if (recorded !== stamp) return 'rebuild';
  return fs.existsSync(path.join(outDir, BUNDLE)) && WORKERS.every((w) => fs.existsSync(path.join(outDir, `${w}.js`))) ? 'fresh' : 'rebuild';
}

/** Write a file whole or not at all: another process may be reading or writing the same name. */
function writeAtomic(file, data) {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(temp, data);
  try {
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Bundle the CLI and the import's workers into `outDir`. Throws if esbuild is missing (code MODULE_NOT_FOUND) or the
 * build fails. `stamp` is taken before building, so a source edited during the build leaves the bundle stale.
 */
function buildCli(outDir = DEFAULT_OUT_DIR, root = ROOT, stamp = sourceStamp(root)) {
  const esbuild = require('esbuild');
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: { ferry: 'electron/cli/main.ts', ...Object.fromEntries(WORKERS.map((w) => [w, WORKER_SOURCES[w]])) },
    outdir: outDir,
    entryNames: '[name]',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    // import('vite') becomes require('vite') (Node ≥ 20.19 requires ES modules): a dynamic import() from a vm
    // script would need Node's experimental vm loader and print a warning.
    supported: { 'dynamic-import': false },
    // Smaller to read and compile; names are kept so a stack trace still says where it went wrong.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of result.outputFiles) {
    // The backend looks for <worker>.js next to the bundle (as out/main/<worker>.js for the app).
    const base = path.basename(f.path, '.cjs');
    const name = WORKERS.includes(base) ? `${base}.js` : path.basename(f.path);
    writeAtomic(path.join(outDir, name), f.contents);
  }
  fs.rmSync(path.join(outDir, CODE_CACHE), { force: true });
  writeAtomic(path.join(outDir, STAMP), `${stamp}\n`);
  return path.join(outDir, BUNDLE);
}

/**
 * Load a CommonJS bundle with a V8 code cache beside it (Node 20 has no module.enableCompileCache). Packages it
 * leaves external are resolved from `requireFrom` (the project), wherever the bundle itself lies.
 */
function loadBundle(file, requireFrom = path.join(__dirname, 'ferry.cjs')) {
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(requireFrom));
  script.runInThisContext()(mod.exports, Module.createRequire(requireFrom), mod, file, path.dirname(file));
  mod.loaded = true;
  const saveCache = () => {
    // After the run, so the functions it compiled lazily are in the cache too. Best effort.
    try {
      writeAtomic(cacheFile, script.createCachedData());
    } catch {
      // a read-only install just starts a little slower
    }
  };
  return { exports: mod.exports, saveCache: cachedData === undefined || script.cachedDataRejected ? saveCache : () => {} };
}

/**
 * The CLI's exports (`main`), from a fresh bundle, built first when stale. Returns null when esbuild cannot be
 * used (missing, the build failed, or the output folder is not writable): the caller falls back to tsx.
 */
function loadCli({ outDir = DEFAULT_OUT_DIR, warn = (m) => process.stderr.write(m) } = {}) {
  outDir = path.resolve(outDir);
  let bundle = path.join(outDir, BUNDLE);
  if (checkBundle(outDir) === 'rebuild') {
    try {
      bundle = buildCli(outDir);
    } catch (e) {
      const why = e && e.code === 'MODULE_NOT_FOUND' ? 'esbuild is not installed' : `building the command line in ${outDir} failed: ${e && e.message}`;
      warn(`ferry: ${why}; running from the TypeScript sources with tsx (slower start)\n`);
      return null;
    }
  }
  return loadBundle(bundle);
}

module.exports = { ROOT, DEFAULT_OUT_DIR, INPUTS, EXTERNAL, WORKERS, sourceStamp, checkBundle, buildCli, loadBundle, loadCli };

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] || DEFAULT_OUT_DIR);
  try {
    const t = Date.now();
    buildCli(outDir);
    process.stdout.write(`built ${path.join(outDir, BUNDLE)} in ${Date.now() - t} ms\n`);
  } catch (e) {
    process.stderr.write(`ferry: could not build the command line: ${e && e.message}\n`);
    process.exitCode = 1;
  }
}
