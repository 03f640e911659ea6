/**
 * The paged event view on a real-sized event: one event of 345,819 attributes (~100 MB of JSON, like the largest
 * events of the public OSINT feeds). `node bin/run-ts.cjs tests/bench/event-view.ts [--keep]`.
 *
 * Once, under the bench data folder: a feed holding that one event, written by the benchmark's own generator. Then:
 * - the import into a fresh library in a child process (`ferry import`), for its time and peak RSS;
 * - `events.get` (header, counts, first page) and `events.attributes` pages, through the dispatcher with its output
 *   validation, each 20 times: median and max;
 * - `ferry event show <uuid> --json` (and the human form) in a child process: time, peak RSS, bytes written, and
 *   that the output is one valid JSON document with every attribute.
 *
 * It prints figures with PASS/FAIL against the targets and exits 0 either way: a report, not a gate.
 * run.ts can call {@link runEventViewBench} and print its `lines`.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { quietContext } from '../../electron/backend/dispatch';
import { openEngine } from '../../electron/backend/engine';
import { closePreviews } from '../../electron/backend/feeds/preview-store';
import type { ChannelInput } from '../../shared/ipc/contract';
import { CHROMIUM } from '../../playwright.config';
import { timeEventInBrowser, type EventUiResult } from './event-ui';
import { BENCH_ROOT, DATA_DIR, DEFAULT_SEED, GENERATOR_VERSION, writeFeed, type FeedStats } from './generate-feed';

const ROOT = resolve(__dirname, '..', '..');

/** The size of the largest real event we were shown: 345,819 attributes, 100 MB of feed JSON. */
export const BIG_EVENT = { events: 1, attributes: 345_819 } as const;
const NAME = 'event-345k';

export const EVENT_VIEW_TARGETS = {
  firstPageMs: 50,
  /** In the browser: from the click on the event to its first attribute rows. */
  firstScreenMs: 1000,
  importPeakRssMB: 600,
} as const;

export interface BigEventFeed {
  readonly dir: string;
  readonly uuid: string;
  readonly bytes: number;
  readonly stats: FeedStats;
}

/** The one-event feed, from disk when a stamp (written last) says it is complete, else generated. */
export function ensureBigEventFeed(log: (m: string) => void = () => {}): BigEventFeed {
  const dir = join(DATA_DIR, NAME);
  const stampPath = `${dir}.stamp.json`;
  const key = JSON.stringify({ generator: GENERATOR_VERSION, seed: DEFAULT_SEED, ...BIG_EVENT });
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { key: string } & BigEventFeed;
    if (stamp.key === key && existsSync(dir)) return { dir, uuid: stamp.uuid, bytes: stamp.bytes, stats: stamp.stats };
  } catch {
    // no stamp yet
  }
  for (const p of [stampPath, dir, `${dir}.part`]) rmSync(p, { recursive: true, force: true });
  log(`generating ${NAME} in ${dir} …`);
  const started = performance.now();
  mkdirSync(DATA_DIR, { recursive: true });
  const stats = writeFeed(`${dir}.part`, BIG_EVENT, DEFAULT_SEED);
  renameSync(`${dir}.part`, dir);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const uuid = Object.keys(manifest)[0]!;
  const bytes = statSync(join(dir, `${uuid}.json`)).size;
  writeFileSync(stampPath, JSON.stringify({ key, dir, uuid, bytes, stats }));
  log(`generated ${NAME} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { dir, uuid, bytes, stats };
}

export interface ChildRun {
  readonly ms: number;
  readonly peakRssMB: number;
  readonly code: number | null;
  readonly stdoutBytes: number;
  readonly stderr: string;
}

/**
 * Runs `node -r peak-rss.cjs <args>` and reports its time and its own peak RSS. stdout goes to `stdoutFile` (or is
 * counted and dropped), so the parent never holds it.
 */
export function runChild(args: readonly string[], stdoutFile: string | null = null): Promise<ChildRun> {
  const rssFile = join(BENCH_ROOT, `rss-${process.pid}-${Date.now()}.json`);
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-r', join(__dirname, 'peak-rss.cjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, FERRY_BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdoutBytes = 0;
    let stderr = '';
    const sink = stdoutFile ? createWriteStream(stdoutFile) : null;
    child.stdout.on('data', (d: Buffer) => {
      stdoutBytes += d.length;
      if (sink && !sink.write(d)) {
        child.stdout.pause();
        sink.once('drain', () => child.stdout.resume());
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const finish = () => {
        let peakRssMB = NaN;
        try {
          peakRssMB = (JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRSSkB: number }).maxRSSkB / 1024;
        } catch {
          // the child died before its exit hook
        }
        rmSync(rssFile, { force: true });
        done({ ms, peakRssMB, code, stdoutBytes, stderr });
      };
      if (sink) sink.end(finish);
      else finish();
    });
  });
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export interface TimedCalls {
  readonly label: string;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly rows: number;
  readonly total: number;
}

export interface EventViewBenchResult {
  readonly feed: BigEventFeed;
  readonly importRun: ChildRun;
  readonly calls: readonly TimedCalls[];
  /** feeds.previewEvent on the feed folder: read, parse, load into the scratch database, first page. */
  readonly previewOpenMs: number;
  readonly showJson: ChildRun & { readonly valid: boolean; readonly attributes: number };
  readonly showHuman: ChildRun;
  /** The view in Chromium; null without a Chromium on this machine. */
  readonly ui: EventUiResult | null;
  /** What to print: the figures with PASS/FAIL. */
  readonly lines: readonly string[];
  readonly passed: number;
  readonly failed: number;
}

/** Checks the streamed JSON without holding it: parse it in a child of its own (the file is ~100 MB). */
async function checkJsonFile(path: string): Promise<{ valid: boolean; attributes: number }> {
  const script = `
    const text = require('node:fs').readFileSync(${JSON.stringify(path)}, 'utf8');
    let v; try { v = JSON.parse(text); } catch (e) { console.log(JSON.stringify({ valid: false, attributes: 0 })); process.exit(0); }
    const ok = typeof v.uuid === 'string' && Array.isArray(v.attributes) && Array.isArray(v.objects) && !v.error;
    console.log(JSON.stringify({ valid: ok, attributes: ok ? v.attributes.length : 0 }));`;
  return new Promise((done) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('close', () => {
      try {
        done(JSON.parse(out) as { valid: boolean; attributes: number });
      } catch {
        done({ valid: false, attributes: 0 });
      }
    });
  });
}

export async function runEventViewBench(options: { log?: (m: string) => void; keep?: boolean; repeats?: number } = {}): Promise<EventViewBenchResult> {
  const log = options.log ?? (() => {});
  const repeats = options.repeats ?? 20;
  const feed = ensureBigEventFeed(log);
  const scratch = join(BENCH_ROOT, 'runs', `event-view-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const db = join(scratch, 'library.sqlite');
  try {
    log('importing the event (child process) …');
    const importRun = await runChild(['bin/ferry.cjs', 'import', feed.dir, '--db', db, '--json']);
    if (importRun.code !== 0) throw new Error(`ferry import exited ${importRun.code}: ${importRun.stderr}`);

    const opened = openEngine({ dbPath: db, watchMs: 0 });
    if (!opened.ok) throw new Error(opened.error.message);
    const engine = opened.value;
    const calls: TimedCalls[] = [];
    let previewOpenMs = NaN;
    let ui: EventUiResult | null = null;
    const time = async (label: string, channel: 'events.get' | 'events.attributes' | 'feeds.previewAttributes', input: () => unknown) => {
      const ms: number[] = [];
      let rows = 0;
      let total = 0;
      for (let i = 0; i < repeats; i++) {
        const started = performance.now();
        const r = await engine.dispatcher.call(channel, input(), quietContext);
        ms.push(performance.now() - started);
        if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
        const v = r.value as { page?: { rows: unknown[]; total: number }; rows?: unknown[]; total?: number };
        const page = v.page ?? (v as { rows: unknown[]; total: number });
        rows = page.rows.length;
        total = page.total;
      }
      calls.push({ label, medianMs: median(ms), maxMs: Math.max(...ms), rows, total });
    };
    try {
      type PageInput = ChannelInput<'events.attributes'>;
      const page = (over: Partial<PageInput> = {}) => () => ({ uuid: feed.uuid, offset: 0, limit: 200, ...over });
      let n = 0;
      const step = Math.floor(feed.stats.attributes / repeats);
      await time('events.get (header + first 200)', 'events.get', () => ({ uuid: feed.uuid }));
      await time('events.attributes, event order, offsets 0…345k', 'events.attributes', () => page({ offset: (n++ % repeats) * step })());
      await time('events.attributes, last page', 'events.attributes', page({ offset: feed.stats.attributes - 200 }));
      await time('events.attributes, limit 1000', 'events.attributes', page({ limit: 1000, offset: 100_000 }));
      for (const sort of ['value', 'type', 'category', 'timestamp', 'toIds', 'comment', 'id'] as const) {
        await time(`events.attributes, sort ${sort} desc, middle page`, 'events.attributes', page({ sort, direction: 'desc', offset: 170_000 }));
      }
      await time('events.attributes, filter text "emotet"', 'events.attributes', page({ filter: { text: 'emotet' } }));
      await time('events.attributes, filter text "10.", sort value', 'events.attributes', page({ filter: { text: '10.' }, sort: 'value' }));
      await time('events.attributes, filter type sha256', 'events.attributes', page({ filter: { type: 'sha256' } }));
      await time('events.attributes, filter category + toIds', 'events.attributes', page({ filter: { category: 'Payload delivery', toIds: true } }));
      const objectUuid = engine.read((r) => r.prepare('SELECT o.uuid FROM object o JOIN event e ON e.id = o.event_id WHERE e.uuid = ? ORDER BY o.id DESC LIMIT 1').pluck().get(feed.uuid) as string);
      await time('events.attributes, one object (the last)', 'events.attributes', page({ filter: { objectUuid } }));
      await time('events.attributes, cursor walk, 1000 rows', 'events.attributes', () => ({ uuid: feed.uuid, after: (n++ % repeats) * step, limit: 1000 }));

      if (CHROMIUM) {
        log('the event view in Chromium (browser mode) …');
        const info = engine.read((r) => r.prepare('SELECT info FROM event WHERE uuid = ?').pluck().get(feed.uuid) as string);
        ui = await timeEventInBrowser(engine.dispatcher, info, join(BENCH_ROOT, 'screens'));
      }
      log('feeds.previewEvent on the feed folder …');
      const started = performance.now();
      const preview = await engine.dispatcher.call('feeds.previewEvent', { source: feed.dir, uuid: feed.uuid }, quietContext);
      if (!preview.ok) throw new Error(`feeds.previewEvent: ${preview.error.message}`);
      previewOpenMs = performance.now() - started;
      const previewPage = (over: Record<string, unknown>) => () => ({ source: feed.dir, uuid: feed.uuid, offset: 0, limit: 200, ...over });
      await time('feeds.previewAttributes, event order, offsets 0…345k', 'feeds.previewAttributes', () => previewPage({ offset: (n++ % repeats) * step })());
      await time('feeds.previewAttributes, sort value, middle page', 'feeds.previewAttributes', previewPage({ sort: 'value', offset: 170_000 }));
    } finally {
      closePreviews();
      engine.close();
    }

    log('ferry event show --json (child process) …');
    const jsonFile = join(scratch, 'show.json');
    const showJsonRun = await runChild(['bin/ferry.cjs', 'event', 'show', feed.uuid, '--db', db, '--json'], jsonFile);
    const checked = await checkJsonFile(jsonFile);
    rmSync(jsonFile, { force: true });
    log('ferry event show (human, child process) …');
    const showHuman = await runChild(['bin/ferry.cjs', 'event', 'show', feed.uuid, '--db', db]);

    const lines: string[] = [];
    let passed = 0;
    let failed = 0;
    const verdict = (ok: boolean) => {
      if (ok) passed++;
      else failed++;
      return ok ? 'PASS' : 'FAIL';
    };
    const mb = (x: number) => `${Math.round(x)} MB`;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    lines.push(`event view — one event, ${feed.stats.attributes.toLocaleString('en-US')} attributes, ${feed.stats.objects.toLocaleString('en-US')} objects, ${(feed.bytes / 1e6).toFixed(1)} MB of JSON`);
    lines.push(
      `import (ferry import, child): ${s(importRun.ms)}, peak RSS ${mb(importRun.peakRssMB)}  target ≤${EVENT_VIEW_TARGETS.importPeakRssMB} MB: ${verdict(importRun.peakRssMB <= EVENT_VIEW_TARGETS.importPeakRssMB)}`,
    );
    const width = Math.max(...calls.map((c) => c.label.length));
    for (const c of calls) {
      const target = c.label.startsWith('events.get') ? `  target ≤${EVENT_VIEW_TARGETS.firstPageMs} ms: ${verdict(c.medianMs <= EVENT_VIEW_TARGETS.firstPageMs)}` : '';
      lines.push(`${c.label.padEnd(width)}  median ${c.medianMs.toFixed(1).padStart(6)} ms  max ${c.maxMs.toFixed(1).padStart(6)} ms  ${String(c.rows).padStart(4)} rows of ${c.total.toLocaleString('en-US')}${target}`);
    }
    if (ui) {
      const sorted = [...ui.ms].sort((a, b) => a - b);
      const med = sorted[Math.floor(sorted.length / 2)]!;
      lines.push(
        `in Chromium, click on the event → first attribute rows: median ${Math.round(med)} ms, max ${Math.round(sorted.at(-1)!)} ms [${ui.ms.map((x) => Math.round(x)).join(', ')}]  target ≤${EVENT_VIEW_TARGETS.firstScreenMs} ms: ${verdict(med <= EVENT_VIEW_TARGETS.firstScreenMs)}`,
      );
      lines.push(`screenshots: ${ui.screenshots.join(', ')}`);
    } else lines.push('in Chromium: skipped, no Chromium on this machine (CHROMIUM_PATH)');
    lines.push(`feeds.previewEvent (read, parse and load the ${(feed.bytes / 1e6).toFixed(0)} MB file; header + first page): ${s(previewOpenMs)}`);
    lines.push(
      `ferry event show --json (child): ${s(showJsonRun.ms)}, peak RSS ${mb(showJsonRun.peakRssMB)}, ${(showJsonRun.stdoutBytes / 1e6).toFixed(1)} MB written, ` +
        `exit ${showJsonRun.code}, valid JSON with ${checked.attributes.toLocaleString('en-US')} attributes: ${verdict(checked.valid && checked.attributes === feed.stats.attributes && showJsonRun.code === 0)}`,
    );
    lines.push(`ferry event show (human, child): ${s(showHuman.ms)}, peak RSS ${mb(showHuman.peakRssMB)}, ${(showHuman.stdoutBytes / 1e6).toFixed(1)} MB written, exit ${showHuman.code}`);
    return { feed, importRun, calls, previewOpenMs, ui, showJson: { ...showJsonRun, ...checked }, showHuman, lines, passed, failed };
  } finally {
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
    else log(`library kept at ${db}`);
  }
}

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const generateOnly = process.argv.includes('--generate');
  const log = (m: string) => console.error(`  ${m}`);
  if (generateOnly) {
    const feed = ensureBigEventFeed(log);
    console.log(JSON.stringify(feed));
    return;
  }
  const r = await runEventViewBench({ log, keep });
  for (const line of r.lines) console.log(line);
  console.log(`${r.passed} passed, ${r.failed} failed`);
}

if (process.argv[1] && resolve(process.argv[1]) === __filename) void main();
