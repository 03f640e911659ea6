/**
 * The `ferry` command run as users run it, timed from start to exit, with its peak RSS: the process's VmHWM, read
 * until it exits (the high-water mark only grows, so the last reading is the peak of all its threads).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/cli';

const FERRY = join(PROJECT_ROOT, 'bin', 'ferry.cjs');

export async function timedFerry(args: readonly string[], input?: string): Promise<{ ms: number; peakKB: number; out: string }> {
  // Built (if stale) before timing, by a first quick command.
  spawnSync(process.execPath, [FERRY, '--version']);
  const started = performance.now();
  const child = spawn(process.execPath, [FERRY, ...args], { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  let peakKB = 0;
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKB = Math.max(peakKB, Number(hwm[1]));
    } catch {
      // gone already
    }
  }, 50);
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  if (input !== undefined) child.stdin!.end(input);
  const code = await exited;
  clearInterval(poll);
  if (code !== 0) throw new Error(`ferry ${args.slice(0, 2).join(' ')} exited ${code}: ${out.slice(0, 300)}`);
  return { ms: performance.now() - started, peakKB, out };
}
