#!/usr/bin/env node
// `npm test`: type-check, lint (layering included), unit/backend/contract/renderer tests, then end-to-end tests in
// Chromium. Ends with one line `N passed, N failed, N skipped` that sums every step, for people and for CI.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const counts = { passed: 0, failed: 0, skipped: 0 };
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(label, args, env = {}) {
  process.stderr.write(`\n── ${label} ──\n`);
  const r = spawnSync(npx, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

/** A check without test cases (tsc, lint) counts as one test. */
function check(label, args) {
  if (run(label, args)) counts.passed++;
  else counts.failed++;
}

function addCounts(file, ok, label) {
  if (existsSync(file)) {
    const c = JSON.parse(readFileSync(file, 'utf8'));
    counts.passed += c.passed;
    counts.failed += c.failed;
    counts.skipped += c.skipped;
    // A runner that failed without recording a failed test (crash, config error) still fails the run.
    if (!ok && c.failed === 0) counts.failed++;
  } else {
    process.stderr.write(`${label} recorded no results\n`);
    counts.failed++;
  }
}

function findChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

rmSync('.test-results', { recursive: true, force: true });
check('type-check (tsc -b)', ['tsc', '-b']);
check('lint (eslint)', ['eslint', '.']);
check('layering and cycles (dependency-cruiser)', ['depcruise', '--config', '.dependency-cruiser.cjs', 'electron', 'renderer', 'shared']);

const vitestOk = run('unit, backend, contract and renderer tests (vitest)', ['vitest', 'run']);
addCounts('.test-results/vitest.json', vitestOk, 'vitest');

if (process.env.FERRY_SKIP_E2E === '1') {
  process.stderr.write('\nend-to-end tests skipped (FERRY_SKIP_E2E=1)\n');
} else if (!findChromium()) {
  process.stderr.write(
    '\nNo Chromium found for the end-to-end tests. Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`) ' +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary; FERRY_SKIP_E2E=1 skips them.\n',
  );
  counts.failed++;
} else {
  const built = run('build the renderer for browser mode', ['vite', 'build', '--config', 'renderer/vite.config.mts', '--logLevel', 'warn']);
  if (!built) counts.failed++;
  const e2eOk = built && run('end-to-end tests in Chromium (playwright)', ['playwright', 'test']);
  if (built) addCounts('.test-results/playwright.json', e2eOk, 'playwright');
}

console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exitCode = counts.failed > 0 ? 1 : 0;
