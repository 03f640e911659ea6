/**
 * One benchmark scenario, run in a child process of its own (`node bin/run-ts.cjs tests/bench/scenario.ts <name>`)
 * so that its peak RSS is its own: a heap grown by the previous scenario would otherwise hide this one's.
 * Prints one JSON line on stdout: {@link ScenarioResult}.
 *
 * Names: `folder:<S|M|L>`, `zip:<S|M|L>`, `baseline:<S|M|L>`, `tweetfeed`, `baseline:tweetfeed`, `cache`,
 * `baseline:cache`, `export:folder`, `export:zip`, `export:incremental`, `baseline:export`, `prepare:export`,
 * `generate:ingest`, `generate:flush`, `baseline:generate`. The data must already exist (run.ts generates it before timing anything).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportReport } from '../../electron/backend/db/queries/import-runs';
import { openEngine } from '../../electron/backend/engine';
import { sharedPath } from '../support/shared-data';
import { baselineCache, baselineFetch } from './baseline';
import { readsDuringImport } from './reads-during-import';
import { BENCH_ROOT, CACHE_FEED, feedPaths } from './generate-feed';
import { baselineExport, ferryExport, ferryIncrementalExport, prepareExportLibrary } from './export-bench';
import { generatorBaseline, generatorFlush, generatorIngest } from './generator-bench';

export interface ScenarioResult {
  readonly scenario: string;
  readonly ms: number;
  /** Attributes imported (fetch) or values cached (cache). */
  readonly items: number;
  readonly peakRssMB: number;
  /** Issues in Ferry's import report by code: a clean synthetic feed should have none. */
  readonly issues?: Readonly<Record<string, number>>;
  /** Scenario-specific figures (latencies, ratios) printed beside the table. */
  readonly figures?: Readonly<Record<string, number>>;
  readonly error?: string;
}

/** ../shared/fixtures/feeds/tweetfeed from the project root: 365 real events, 110,682 attributes. */
const TWEETFEED = sharedPath('fixtures', 'feeds', 'tweetfeed');

async function ferryImport(source: string, mode: 'fetch' | 'cache', dbPath: string): Promise<Omit<ScenarioResult, 'scenario' | 'peakRssMB'>> {
  const opened = openEngine({ dbPath });
  if (!opened.ok) throw new Error(opened.error.message);
  const engine = opened.value;
  try {
    const ctx = { signal: new AbortController().signal, progress: () => {} };
    const started = performance.now();
    const envelope = await engine.dispatcher.call('feeds.import', { source, mode }, ctx);
    const ms = performance.now() - started;
    if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
    const report = envelope.value as ImportReport;
    if (report.status !== 'done') throw new Error(`import ended ${report.status}`);
    const issues: Record<string, number> = {};
    for (const i of [...report.issues, ...report.items.flatMap((item) => item.issues)]) issues[i.code] = (issues[i.code] ?? 0) + 1;
    return { ms, items: mode === 'fetch' ? report.counts.attributes : report.counts.cachedValues, issues };
  } finally {
    engine.close();
  }
}

async function timed(work: () => number | Promise<number>) {
  const started = performance.now();
  const items = await work();
  return { ms: performance.now() - started, items };
}

function run(name: string, dbPath: string) {
  const [what, size = ''] = name.split(':');
  const synthetic = /^[SML]$/.test(size) ? feedPaths(`feed-${size}`) : null;
  const cacheDir = feedPaths(CACHE_FEED).dir;
  if (what === 'folder' && synthetic) return ferryImport(synthetic.dir, 'fetch', dbPath);
  if (what === 'zip' && synthetic) return ferryImport(synthetic.zip, 'fetch', dbPath);
  if (what === 'tweetfeed' && !size) return ferryImport(TWEETFEED, 'fetch', dbPath);
  if (what === 'cache' && !size) return ferryImport(cacheDir, 'cache', dbPath);
  if (what === 'reads' && size === 'L') {
    return readsDuringImport(dbPath).then((r) => ({
      ms: r.importMs,
      items: r.attributes,
      figures: {
        'events.list p99 ms (idle)': r.idle.listP99,
        'search.value p99 ms (idle)': r.idle.searchP99,
        'events.list p99 ms': r.during.listP99,
        'search.value p99 ms': r.during.searchP99,
        'events.list max ms': r.during.listMax,
        'search.value max ms': r.during.searchMax,
        'read calls': r.during.calls,
      },
    }));
  }
  if (what === 'export' && (size === 'folder' || size === 'zip')) return ferryExport(size);
  if (what === 'export' && size === 'incremental') return ferryIncrementalExport();
  if (what === 'baseline' && size === 'export') return timed(() => baselineExport());
  if (what === 'generate' && size === 'ingest') return generatorIngest();
  if (what === 'generate' && size === 'flush') return generatorFlush();
  if (what === 'baseline' && size === 'generate') return timed(() => generatorBaseline());
  if (what === 'prepare' && size === 'export') return timed(() => prepareExportLibrary());
  if (what === 'baseline' && synthetic) return timed(() => baselineFetch(synthetic.dir, dbPath));
  if (what === 'baseline' && size === 'tweetfeed') return timed(() => baselineFetch(TWEETFEED, dbPath));
  if (what === 'baseline' && size === 'cache') return timed(() => baselineCache(join(cacheDir, 'hashes.csv'), dbPath));
  throw new Error(`unknown scenario "${name}"`);
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? '';
  // A fresh library per scenario, removed afterwards (the L library alone is over a gigabyte).
  const scratch = join(BENCH_ROOT, 'runs', `${name.replace(/\W/g, '-')}-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  let result: ScenarioResult;
  try {
    const outcome = await run(name, join(scratch, 'library.sqlite'));
    result = { scenario: name, peakRssMB: 0, ...outcome };
  } catch (e) {
    result = { scenario: name, ms: 0, items: 0, peakRssMB: 0, error: (e as Error).message };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // maxRSS is in kilobytes; read last so it covers the whole scenario. A scenario that measured another process
  // (the ferry command) reports that process's peak instead.
  if (result.peakRssMB === 0) result = { ...result, peakRssMB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result) + '\n');
}

void main();
