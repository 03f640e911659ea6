/**
 * Where a scenario's time goes: `node bin/run-ts.cjs tests/bench/profile.ts folder:L [rows]` runs one scenario
 * under `node --cpu-prof` and prints the functions with the most self time and the most inclusive time. The data
 * must exist (run `npm run bench` once). Profiling slows the run by 10–20 %, so read shares, not seconds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = resolve(__dirname, '..', '..');

function top(times: Map<string, number>, total: number, rows: number): string {
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([name, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`)
    .join('\n');
}

function summarise(profile: CpuProfile, rows: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
    const selfKey = `${functionName || '(anonymous)'}  ${where ? `${where}:${lineNumber + 1}` : '(native)'}`;
    self.set(selfKey, (self.get(selfKey) ?? 0) + dt);
    // Each function once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)!.callFrame.functionName;
      if (name && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
      }
    }
  });
  return `sampled ${(total / 1e6).toFixed(1)} s\n\nself time:\n${top(self, total, rows)}\n\ninclusive time:\n${top(inclusive, total, rows)}`;
}

function main(): void {
  const [scenario, rows = '25'] = process.argv.slice(2);
  if (!scenario) {
    console.error('usage: node bin/run-ts.cjs tests/bench/profile.ts <scenario> [rows]   (e.g. folder:L, zip:L, tweetfeed, cache)');
    process.exitCode = 2;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ferry-prof-'));
  try {
    spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'bin/run-ts.cjs', 'tests/bench/scenario.ts', scenario], { cwd: ROOT, stdio: 'inherit' });
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
      console.log(summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, Number(rows)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
