#!/usr/bin/env node
// `npm start`: build main, preload and renderer, then run the desktop app. On machines where Electron's binary cannot
// be had (air-gapped, or these build machines), says so and points at browser mode, which needs no Electron.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { electronSqliteBinding } from './electron-native.mjs';

const require = createRequire(import.meta.url);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const built = spawnSync(npx, ['electron-vite', 'build'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

let electronPath;
try {
  electronPath = require('electron'); // downloads Electron's binary on first use where the network allows
} catch (e) {
  console.error(`\nThe Electron runtime is not available here (${e.message.split('\n')[0]}).`);
  console.error('Use browser mode instead: npm run serve   (same UI, served on 127.0.0.1 with a token)');
  process.exit(1);
}

let binding;
try {
  binding = await electronSqliteBinding();
} catch (e) {
  console.error(`\nCould not build better-sqlite3 for Electron: ${e.message}`);
  console.error('Use browser mode instead: npm run serve');
  process.exit(1);
}

const child = spawn(electronPath, ['.', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FERRY_SQLITE_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));
