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
export function ferry(args: readonly string[], env: Record<string, string> = {}, input?: string): CliRun {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'ferry.cjs'), ...args], {
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return {
    code: r.status,
    stdout: r.stdout,
    // A command that did not end (killed at the timeout) says so, with what it was, instead of failing later on its output.
    stderr: r.error ? `${r.stderr}\n[test] ferry ${args.join(' ')}: ${r.error.message}` : r.stderr,
    json: <T,>() => {
      if (r.error) throw new Error(`ferry ${args.join(' ')}: ${r.error.message}`);
      return JSON.parse(r.stdout) as T;
    },
  };
}
