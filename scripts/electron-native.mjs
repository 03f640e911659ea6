// better-sqlite3 is compiled for Node by `npm ci` (what the tests, the CLI and browser mode use). Electron needs the
// same module built for its own ABI. Rebuilding node_modules in place would break the tests, so the Electron build
// goes to a private copy under .ferry-dev/, and the backend loads it through better-sqlite3's `nativeBinding`
// option (FERRY_SQLITE_BINDING). Needs a connected machine the first time (Electron headers or a prebuilt binary).
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = join(root, '.ferry-dev', 'electron-native');

export async function electronSqliteBinding() {
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const stamp = join(work, 'electron-version');
  const binding = join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) return binding;

  console.log(`Building better-sqlite3 for Electron ${electronVersion} (once)…`);
  mkdirSync(join(work, 'node_modules'), { recursive: true });
  for (const dep of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
    cpSync(join(root, 'node_modules', dep), join(work, 'node_modules', dep), { recursive: true });
  }
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'ferry-electron-native', private: true, dependencies: { 'better-sqlite3': '*' } }));
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true });
  writeFileSync(stamp, electronVersion);
  return binding;
}
