/**
 * Reads while the writer is busy: the M feed is imported first (so the library has content and indexes), then the
 * L feed is imported while `events.list` and `search.value` are called every few milliseconds through the
 * dispatcher, as the UI would. Each call's latency is measured from the call to its answer, so time spent waiting
 * for the event loop (a long synchronous step) counts. The same reads on the idle library are the baseline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEngine } from '../../electron/backend/engine';
import type { Dispatcher } from '../../electron/backend/dispatch';
import { feedPaths } from './generate-feed';

const ctx = { signal: new AbortController().signal, progress: () => {} };

interface Latencies {
  list: number[];
  search: number[];
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A value that is in the M feed (its first event's first attribute), so search has hits to return. */
function knownValue(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const uuid = Object.keys(manifest)[0]!;
  const event = JSON.parse(readFileSync(join(dir, `${uuid}.json`), 'utf8')) as { Event: { Attribute: { value: string }[] } };
  return event.Event.Attribute[0]!.value;
}

async function readLoop(dispatcher: Dispatcher, value: string, until: () => boolean, into: Latencies, everyMs = 5): Promise<void> {
  let n = 0;
  while (!until()) {
    const channel = n++ % 2 === 0 ? 'events.list' : 'search.value';
    const input = channel === 'events.list' ? { limit: 100, sort: 'date', direction: 'desc' } : { value };
    const started = performance.now();
    const r = await dispatcher.call(channel, input, ctx);
    const ms = performance.now() - started;
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    (channel === 'events.list' ? into.list : into.search).push(ms);
    await new Promise((ok) => setTimeout(ok, everyMs));
  }
}

export interface ReadsDuringImport {
  readonly importMs: number;
  readonly attributes: number;
  readonly idle: { listP99: number; searchP99: number };
  readonly during: { listP99: number; searchP99: number; listMax: number; searchMax: number; calls: number };
}

export async function readsDuringImport(dbPath: string): Promise<ReadsDuringImport> {
  const opened = openEngine({ dbPath });
  if (!opened.ok) throw new Error(opened.error.message);
  const engine = opened.value;
  try {
    const m = feedPaths('feed-M').dir;
    const first = await engine.dispatcher.call('feeds.import', { source: m, feedName: 'M' }, ctx);
    if (!first.ok) throw new Error(first.error.message);
    const value = knownValue(m);
    const idle: Latencies = { list: [], search: [] };
    const idleUntil = performance.now() + 2000;
    await readLoop(engine.dispatcher, value, () => performance.now() > idleUntil, idle);

    const during: Latencies = { list: [], search: [] };
    let finished = false;
    const started = performance.now();
    const importing = engine.dispatcher.call('feeds.import', { source: feedPaths('feed-L').dir, feedName: 'L' }, ctx).then((r) => {
      finished = true;
      return r;
    });
    await readLoop(engine.dispatcher, value, () => finished, during);
    const report = await importing;
    const importMs = performance.now() - started;
    if (!report.ok) throw new Error(report.error.message);
    return {
      importMs,
      attributes: (report.value as { counts: { attributes: number } }).counts.attributes,
      idle: { listP99: percentile(idle.list, 99), searchP99: percentile(idle.search, 99) },
      during: {
        listP99: percentile(during.list, 99),
        searchP99: percentile(during.search, 99),
        listMax: Math.max(0, ...during.list),
        searchMax: Math.max(0, ...during.search),
        calls: during.list.length + during.search.length,
      },
    };
  } finally {
    engine.close();
  }
}
