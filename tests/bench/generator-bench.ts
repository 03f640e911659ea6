/**
 * Generator figures: `ferry generate ingest` of 100,000 NDJSON attribute records into one day's event, run as users
 * run it (the command in its own process, its peak RSS its VmHWM), beside a baseline of the same lines parsed and
 * written once as a PyMISP-shaped event with JSON.stringify, no checks; and a flush after appending 100 attributes
 * to a 100,000-attribute event, in this process.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeedGenerator } from '../../electron/backend/generator/feed-generator';
import { timedFerry } from './ferry-run';
import { BENCH_ROOT } from './generate-feed';

export const INGEST_RECORDS = 100_000;
const ORG = { name: 'Bench Sensor', uuid: '3cb51cab-3c08-422a-aca3-dea1f9362979' };

function scratch(name: string): string {
  const dir = join(BENCH_ROOT, 'runs', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The records a busy sensor would send: addresses, domains and urls, a few repeated (dedup has work to do). */
function records(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 10 === 9 ? i - 9 : i; // one in ten repeats an earlier value
    const a = `${10 + ((k >> 16) & 127)}.${(k >> 8) & 255}.${k & 255}.${(k * 7) & 255}`;
    if (i % 3 === 0) lines.push(JSON.stringify({ type: 'ip-src', value: a, comment: 'ssh brute force' }));
    else if (i % 3 === 1) lines.push(JSON.stringify({ type: 'domain', value: `host${k}.example.net` }));
    else lines.push(JSON.stringify({ type: 'url', value: `http://${a}/bins/x${k}.sh`, to_ids: true }));
  }
  return `${lines.join('\n')}\n`;
}

export async function generatorIngest(): Promise<{ ms: number; items: number; figures: Record<string, number>; peakRssMB: number }> {
  const root = scratch('generate-ingest');
  try {
    const dir = join(root, 'feed');
    const init = await FeedGenerator.init(dir, { org: ORG, info: 'Sensor {date}' });
    if (!init.ok) throw new Error(init.error.message);
    const r = await timedFerry(['generate', 'ingest', dir, '--json'], records(INGEST_RECORDS));
    const summary = JSON.parse(r.out) as { accepted: number; rejected: number; flush: { days: { attributes: number }[] } | null };
    return { ms: r.ms, items: summary.accepted, figures: { accepted: summary.accepted, rejected: summary.rejected, attributes: summary.flush?.days[0]?.attributes ?? 0 }, peakRssMB: r.peakKB / 1024 };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The floor: the same lines parsed and the event written once, PyMISP's shape, no validation, no checksums. */
export function generatorBaseline(): number {
  const root = scratch('generate-baseline');
  try {
    const attributes = records(INGEST_RECORDS)
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const r = JSON.parse(line) as { type: string; value: string; comment?: string; to_ids?: boolean };
        return { category: 'Network activity', comment: r.comment ?? '', timestamp: '1796300000', to_ids: r.to_ids ?? true, type: r.type, uuid: '00000000-0000-4000-8000-000000000000', value: r.value };
      });
    writeFileSync(join(root, 'event.json'), JSON.stringify({ Event: { info: 'Sensor', Attribute: attributes } }, null, 2));
    return attributes.length;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** One flush after 100 attributes are appended to a 100,000-attribute day event (the feed made once, untimed). */
export async function generatorFlush(): Promise<{ ms: number; items: number; figures: Record<string, number> }> {
  const root = scratch('generate-flush');
  try {
    const dir = join(root, 'feed');
    const init = await FeedGenerator.init(dir, { org: ORG, info: 'Sensor {date}' });
    if (!init.ok) throw new Error(init.error.message);
    const maker = must(await FeedGenerator.open(dir));
    for (let i = 0; i < INGEST_RECORDS; i++) must(maker.addAttribute('ip-src', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
    must(await maker.close());
    const g = must(await FeedGenerator.open(dir)); // resumed from the folder, as a restarted sensor would be
    const append = async (round: number) => {
      for (let i = 0; i < 100; i++) must(g.addAttribute('domain', `new${round}-${i}.example.org`));
      const started = performance.now();
      const flushed = must(await g.flush());
      return { ms: performance.now() - started, attributes: flushed?.days[0]?.attributes ?? 0 };
    };
    // The first flush of a process also pays for compiling its code; a running sensor flushes every few seconds,
    // so the figure is a flush of a process that has flushed before (the first is reported beside it).
    // Five of those, median reported: each is mostly one write of the day's file, and this machine's disk drifts.
    const first = await append(0);
    const steady: { ms: number; attributes: number }[] = [];
    for (let round = 1; round <= 5; round++) steady.push(await append(round));
    must(await g.close());
    const sorted = [...steady].sort((x, y) => x.ms - y.ms);
    const median = sorted[2]!;
    return {
      ms: median.ms,
      items: 100,
      figures: { 'event attributes': steady.at(-1)!.attributes, 'first flush after restart ms': Math.round(first.ms), 'fastest ms': Math.round(sorted[0]!.ms), 'slowest ms': Math.round(sorted[4]!.ms) },
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
