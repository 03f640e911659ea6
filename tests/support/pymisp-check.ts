/**
 * PyMISP's own loader as the outside judge of a feed Ferry wrote (../shared/tools/pymisp-check). It needs
 * ../shared and Debian's python3 with four packages; without them a test says so and skips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sharedPath } from './shared-data';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = sharedPath('tools', 'pymisp-check', 'validate_feed.py');

function why(): string | null {
  if (!existsSync(SCRIPT)) return '../shared/tools/pymisp-check is absent on this clone';
  if (!existsSync(PYTHON)) return `${PYTHON} is not installed`;
  const probe = spawnSync(PYTHON, ['-c', 'import requests, dateutil, deprecated, jsonschema'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'python3-requests, -dateutil, -deprecated or -jsonschema is not installed (see .ci/run)';
  return null;
}

/** Null when the judge can run, else the reason it cannot. */
export const pymispUnavailable = why();
/** Name suffix that makes the skip visible in the runner's output. */
export const needsPymisp = pymispUnavailable ? ` [skipped: ${pymispUnavailable}]` : '';

export interface Verdict {
  readonly code: number | null;
  readonly errors: number;
  readonly output: string;
}

export function pymispCheck(feedDir: string): Verdict {
  const r = spawnSync(PYTHON, [SCRIPT, feedDir, '--schema', 'none'], { encoding: 'utf8', timeout: 300_000 });
  const errors = Number(/RESULT: \w+ \((\d+) error/.exec(r.stdout)?.[1] ?? NaN);
  return { code: r.status, errors, output: r.stdout + r.stderr };
}
