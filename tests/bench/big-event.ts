/**
 * One very large event for the bulk load's memory figure: a feed holding a single event of 345,819 attributes
 * (~100 MB of JSON, the size of the largest events of public OSINT feeds), written once under the bench data folder
 * by the benchmark's own generator. `node bin/run-ts.cjs tests/bench/big-event.ts` prints the feed folder; then
 * measure an import of it in a process of its own, e.g.
 *
 *   /usr/bin/time -v node bin/ferry.cjs import "$(node bin/run-ts.cjs tests/bench/big-event.ts)" --db /tmp/x.sqlite
 *
 * (`--measure` does that itself: fresh library, `ferry import`, peak RSS from the child's own resource usage.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BENCH_ROOT, DATA_DIR, DEFAULT_SEED, GENERATOR_VERSION, writeFeed } from './generate-feed';

const ROOT = resolve(__dirname, '..', '..');
const SPEC = { events: 1, attributes: 345_819 } as const;
const NAME = 'bulk-big-event-345k';

export function ensureBigEvent(): string {
  const dir = join(DATA_DIR, NAME);
  const stampPath = `${dir}.stamp.json`;
  const key = JSON.stringify({ generator: GENERATOR_VERSION, seed: DEFAULT_SEED, ...SPEC });
  if (existsSync(dir) && existsSync(stampPath) && (JSON.parse(readFileSync(stampPath, 'utf8')) as { key: string }).key === key) return dir;
  for (const p of [stampPath, dir, `${dir}.part`]) rmSync(p, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });
  writeFeed(`${dir}.part`, SPEC, DEFAULT_SEED);
  renameSync(`${dir}.part`, dir);
  writeFileSync(stampPath, JSON.stringify({ key }));
  return dir;
}

function measure(dir: string): void {
  const scratch = join(BENCH_ROOT, 'runs', `big-event-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const rssFile = join(scratch, 'rss.json');
  try {
    const started = performance.now();
    const r = spawnSync(process.execPath, ['-r', join(ROOT, 'tests/bench/peak-rss.cjs'), join(ROOT, 'bin/ferry.cjs'), 'import', dir, '--db', join(scratch, 'library.sqlite'), '--json'], {
      cwd: ROOT,
      env: { ...process.env, FERRY_BENCH_RSS_FILE: rssFile },
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const ms = performance.now() - started;
    const rss = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRSSkB: number };
    const report = JSON.parse(r.stdout) as { counts?: { added: number; attributes: number } };
    console.log(`import: ${(ms / 1000).toFixed(1)} s, peak RSS ${Math.round(rss.maxRSSkB / 1024)} MB, ${JSON.stringify(report.counts ?? r.stderr.slice(0, 500))}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const dir = ensureBigEvent();
  if (process.argv.includes('--measure')) measure(dir);
  else console.log(dir);
}
