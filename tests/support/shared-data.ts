// Access to ../shared (real-world fixtures and MISP reference data). The project must pass on a clean clone
// without it, so suites that need it are skipped with a reason that shows up in the test output.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_DIR = resolve(__dirname, '..', '..', '..', 'shared');
export const hasShared = existsSync(join(SHARED_DIR, 'fixtures'));

export function sharedPath(...parts: string[]): string {
  return join(SHARED_DIR, ...parts);
}

/** Name suffix that makes a skip visible in the runner's output. */
export const needsShared = hasShared ? '' : ' [skipped: ../shared is absent on this clone]';
