#!/usr/bin/env node
// `npm run package [-- --linux|--win|--mac]`: build and package with electron-builder on a connected machine.
// electron-builder rebuilds better-sqlite3 for Electron's ABI in node_modules; afterwards it is rebuilt for Node so
// that `npm test`, the CLI and browser mode keep working in the same checkout.
import { spawnSync } from 'node:child_process';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const step = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status ?? 1;
};

let status = step(npx, ['electron-vite', 'build']);
if (status === 0) status = step(npx, ['electron-builder', '--config', 'electron-builder.yml', '-c.npmRebuild=true', ...process.argv.slice(2)]);
const restored = step(npm, ['rebuild', 'better-sqlite3']);
if (restored !== 0) console.error('Could not rebuild better-sqlite3 for Node; run `npm rebuild better-sqlite3` before testing.');
process.exit(status || restored);
