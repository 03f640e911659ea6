import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  json<T = unknown>(): T;
}

/** Run the real `ferry` command as a user would, in its own process. */
export function ferry(args: readonly string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'ferry.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    json: <T,>() => JSON.parse(r.stdout) as T,
  };
}
