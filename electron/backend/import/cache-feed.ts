/**
 * Cache: index a feed's values for correlation without importing its events (MISP's feed cache). From hashes.csv
 * when it is there and usable (streamed: a 13-million-line file never sits in memory), otherwise from the events,
 * as MISP's slow path does.
 *
 * The new cache is built beside the old one and swapped in atomically, without ever holding the library's write
 * lock for longer than one bounded step (schema: db/migrations/003-cache-sets.ts):
 *
 * 1. a step creates a `building` cache set for the feed;
 * 2. the values are staged in a scratch SQLite file next to the library that nobody else opens (its own private
 *    transaction may span awaits), split into 256 tables by md5 first byte (db/queries/cache-stage.ts);
 * 3. the staged rows are merged into feed_cache in md5 order, a few buckets per step, each step one transaction of
 *    at most ~0.4 s run by a worker thread's connection (`writer.writeElsewhere`), so the main thread keeps serving
 *    reads and other requests' writes wait for one step at most; the md5 index stays in place throughout and
 *    readers never see a building set;
 * 4. one small step retires the feed's live set and makes the new one live;
 * 5. the retired set's rows are deleted afterwards in bounded steps (cache-cleanup.ts).
 *
 * A cancel or a failure at any point leaves the previous cache live and untouched: the building set is retired (its
 * rows, if any, go to the cleanup) and the staging file is deleted. Errors are values: nothing here throws.
 */
import { createHash } from 'node:crypto';
import { readEvent } from '../../../shared/feed/event-reader';
import { eventHashes } from '../../../shared/feed/event-hashes';
import { applyFeedSettings } from '../../../shared/feed/feed-import';
import { createHashesReader } from '../../../shared/feed/hashes-csv';
import { hasErrors, issue, type Issue } from '../../../shared/feed/issues';
import { subjectFromManifestEntry } from '../../../shared/feed/filters';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import type { Writer } from '../db/writer';
import type { HandlerContext } from '../dispatch';
import { failure, success, type Result } from '../result';
import type { OpenedFeed } from '../source/open-feed';
import { readText } from '../source/open-feed';
import type { SourceLimits } from '../source/limits';
import { answerToResult, cacheCleanup } from './cache-cleanup';
import { openStageHost, type StageHost } from './cache-host';
import { beginSet, markBuilding, retireSet, stagingPath, swapSet } from '../db/queries/cache-sets';
import { BUCKETS, ROW_BYTES, type MergeUnit, type Sealed } from '../db/queries/cache-stage';
import { compileFeedRules } from './prepare-event';
import { throttledProgress } from './progress-throttle';
import { readAhead } from './read-ahead';

export interface CacheContext {
  readonly writer: Writer;
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
  readonly feedId: number;
  readonly feed: FeedSettings;
  readonly limits: SourceLimits;
  readonly handler: HandlerContext;
}

export interface CacheOutcome {
  readonly status: 'done' | 'cancelled';
  readonly values: number;
  readonly from: 'hashes.csv' | 'events' | 'values';
}

/** Where a fill puts the values of the new cache. */
export interface CacheSink {
  /** `eventUuid` null: a freetext or CSV feed value, which belongs to no feed event. */
  add(md5Hex: string, eventUuid: string | null): void;
  /** Resolves when the sink can take more; a long fill awaits it between chunks so staging keeps up. */
  pace(): Promise<void>;
  readonly values: number;
}

type Failed = Extract<Result<never>, { ok: false }>;
export type CacheFill = (sink: CacheSink) => Promise<'done' | 'cancelled' | Failed>;

/**
 * Batch and step sizes, and the seams tests use to see steps one by one or make one fail. Targets: a merge step
 * on the worker ~0.4 s (other writes wait at most that long), ~40 ms when it has to run on this thread.
 */
export const cacheTuning = {
  batchRows: 65_536,
  batchRowsInThread: 4_096,
  /** Batches posted to the worker and not yet staged before a fill is asked to wait. */
  maxBatchesInFlight: 4,
  firstStepRows: 50_000,
  maxStepRows: 500_000,
  /** A bucket with more staged rows than this is merged in slices (by the md5's second byte). */
  maxUnitRows: 100_000,
  eventsPerStep: 100_000,
  targetMsWorker: 400,
  targetMsInThread: 40,
  preferWorker: true,
  /** Tests only: merge step N (1-based, per run) throws after writing its rows. */
  failMergeStep: undefined as number | undefined,
  /** Tests only: awaited before merge step N is queued (after N - 1 committed). */
  beforeMergeStep: undefined as ((step: number) => void | Promise<void>) | undefined,
};

const READER_PIECE = 64 * 1024;

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** The fill's values, in batches of binary rows for the stage (usually on its worker thread). */
class StagingSink implements CacheSink {
  values = 0;
  private readonly refs = new Map<string, number>();
  private lastUuid: string | null = null;
  private lastRef = 0;
  private readonly batchRows: number;
  private batch!: Buffer;
  private count = 0;
  private events: [number, string][] = [];
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private failed: Error | null = null;

  constructor(private readonly host: StageHost) {
    this.batchRows = host.inThread ? cacheTuning.batchRowsInThread : cacheTuning.batchRows;
    this.newBatch();
  }

  add(md5Hex: string, eventUuid: string | null): void {
    let ref = 0;
    // hashes.csv lists an event's values together: comparing with the last uuid skips most map lookups.
    if (eventUuid !== null && eventUuid === this.lastUuid) ref = this.lastRef;
    else if (eventUuid !== null) {
      const known = this.refs.get(eventUuid);
      if (known === undefined) {
        ref = this.refs.size + 1;
        // A copy, not the slice: a sliced string keeps the whole megabyte chunk it came from alive.
        const copy = Buffer.from(eventUuid, 'utf8').toString('utf8');
        this.refs.set(copy, ref);
        this.events.push([ref, copy]);
      } else ref = known;
      this.lastUuid = eventUuid;
      this.lastRef = ref;
    }
    const at = this.count * ROW_BYTES;
    if (this.batch.write(md5Hex, at, 16, 'hex') !== 16) return; // not an md5: the readers never hand one over
    this.batch.writeUInt32LE(ref, at + 16);
    this.count++;
    this.values++;
    if (this.count === this.batchRows) this.flush();
  }

  pace(): Promise<void> {
    if (this.inFlight < cacheTuning.maxBatchesInFlight || this.failed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Everything added so far is staged; throws what staging failed with. */
  async finish(): Promise<void> {
    this.flush();
    while (this.inFlight > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failed) throw this.failed;
  }

  /** Drop everything added so far. */
  async clear(): Promise<void> {
    this.count = 0;
    this.events = [];
    await this.finish();
    this.refs.clear();
    this.lastUuid = null;
    this.values = 0;
    await this.host.clear();
  }

  private newBatch(): void {
    // Its own ArrayBuffer (not a slice of Node's pool), so it can be handed to the worker without a copy.
    this.batch = Buffer.from(new ArrayBuffer(this.batchRows * ROW_BYTES));
  }

  private flush(): void {
    if (this.count === 0 || this.failed) return;
    const rows = new Uint8Array(this.batch.buffer, 0, this.count * ROW_BYTES);
    const count = this.count;
    const events = this.events;
    this.count = 0;
    this.events = [];
    this.newBatch();
    this.inFlight++;
    this.host.rows(rows, count, events).then(
      () => this.settled(),
      (e: unknown) => {
        this.failed ??= e instanceof Error ? e : new Error(String(e));
        this.settled();
      },
    );
  }

  private settled(): void {
    this.inFlight--;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

async function fromHashesCsv(opened: OpenedFeed, name: string, sink: StagingSink, ctx: CacheContext, issues: Issue[]): Promise<'done' | 'cancelled' | 'unusable'> {
  const stream = await opened.source.stream(name);
  if (!stream.ok) {
    issues.push(issue('warning', 'hashes.unreadable', name, `${stream.error.message}; caching from the events instead`));
    return 'unusable';
  }
  const progress = throttledProgress(ctx.handler, 250);
  const total = opened.source.entries.get(name)?.size ?? null;
  let bytes = 0;
  const reader = createHashesReader({ file: name, onEntry: (e) => sink.add(e.md5, e.eventUuid) });
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream.value) {
      if (ctx.handler.signal.aborted) {
        stream.value.destroy();
        return 'cancelled';
      }
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      // Fed in pieces of 64 KB: the reader splits what it gets into lines at once, and megabyte strings split into
      // 15,000 lines at a time cost it twice the time (13.5M lines: 6.5 s against 13.6 s).
      for (let at = 0; at < buffer.length; at += READER_PIECE) reader.chunk(decoder.decode(buffer.subarray(at, at + READER_PIECE), { stream: true }));
      progress({ phase: 'caching hashes.csv', done: bytes, total, message: `${sink.values} values` });
      await sink.pace();
    }
    reader.chunk(decoder.decode());
  } catch (e) {
    issues.push(issue('warning', 'hashes.unreadable', name, `${(e as Error).message}; caching from the events instead`));
    return 'unusable';
  }
  const summary = reader.end();
  issues.push(...summary.issues);
  if (summary.entries === 0 || summary.invalid > summary.entries) {
    issues.push(issue('warning', 'hashes.unusable', name, `${summary.entries} usable lines of ${summary.lines}; caching from the events instead`));
    return 'unusable';
  }
  return 'done';
}

async function fromEvents(opened: OpenedFeed, sink: StagingSink, ctx: CacheContext, issues: Issue[]): Promise<'done' | 'cancelled' | Failed> {
  const rules = compileFeedRules(ctx.feed, issues);
  const entries = opened.entries.filter((e) => rules.isEmpty || rules.evaluate(subjectFromManifestEntry(e)) !== 'reject');
  const progress = throttledProgress(ctx.handler);
  const read = (uuid: string) => {
    const name = opened.layout.eventFiles.get(uuid);
    return name ? readText(opened.source, name, ctx.limits.maxJsonBytes).then((r) => ({ name, r })) : Promise.resolve(null);
  };
  let done = 0;
  let last = '';
  try {
    for await (const [, file] of readAhead(entries.map((e) => e.uuid), read, 4)) {
      if (ctx.handler.signal.aborted) return 'cancelled';
      done++;
      progress({ phase: 'caching events', done, total: entries.length });
      if (!file) continue; // already reported by openFeed
      last = file.name;
      if (!file.r.ok) {
        issues.push(issue('error', 'feed.event-file-unreadable', file.name, file.r.error.message));
        continue;
      }
      const parsed = readEvent(file.r.value, { file: file.name });
      if (!parsed.value || hasErrors(parsed.issues)) {
        issues.push(...parsed.issues.filter((i) => i.severity === 'error'));
        continue;
      }
      const event = applyFeedSettings(parsed.value, ctx.feed);
      for (const h of eventHashes(event, md5)) sink.add(h.md5, h.eventUuid);
      await sink.pace();
    }
  } catch (e) {
    // The source itself failed under us (media pulled, zip broken mid-way): nothing of this run is kept.
    return failure('bad-source', `${opened.source.path}${last ? ` (after ${last})` : ''}: ${(e as Error)?.message ?? String(e)}`);
  }
  return 'done';
}

interface PlannedUnit {
  readonly unit: MergeUnit;
  readonly rows: number;
}

/** The staged buckets in md5 order, the large ones cut into slices by the md5's second byte. */
function planUnits(buckets: readonly number[]): PlannedUnit[] {
  const units: PlannedUnit[] = [];
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    const rows = buckets[bucket] ?? 0;
    if (rows === 0) continue;
    const parts = Math.min(256, Math.ceil(rows / cacheTuning.maxUnitRows));
    for (let p = 0; p < parts; p++) {
      units.push({ unit: { bucket, from: Math.floor((256 * p) / parts), to: Math.floor((256 * (p + 1)) / parts) }, rows: rows / parts });
    }
  }
  return units;
}

/** Merge the staged rows into the library's feed_cache, a bounded step at a time. */
async function mergeStaged(ctx: Pick<CacheContext, 'writer' | 'handler'>, host: StageHost, setId: number, sealed: Sealed): Promise<Result<'done' | 'cancelled'>> {
  const units = planUnits(sealed.buckets);
  const total = sealed.buckets.reduce((a, b) => a + b, 0);
  const targetMs = host.inThread ? cacheTuning.targetMsInThread : cacheTuning.targetMsWorker;
  let budget = host.inThread ? Math.min(cacheTuning.firstStepRows, 10_000) : cacheTuning.firstStepRows;
  const progress = throttledProgress(ctx.handler, 100);
  let next = 0;
  let nextEvent = 1;
  let merged = 0;
  let step = 0;
  progress({ phase: 'merging', done: 0, total, message: `${total} values` }, true);
  while (next < units.length || nextEvent <= sealed.events) {
    if (ctx.handler.signal.aborted) return success('cancelled');
    const events = nextEvent <= sealed.events ? { from: nextEvent, to: Math.min(sealed.events, nextEvent + cacheTuning.eventsPerStep - 1) } : undefined;
    const take: MergeUnit[] = [];
    let estimate = 0;
    while (next < units.length && (take.length === 0 || estimate + units[next]!.rows <= budget)) {
      take.push(units[next]!.unit);
      estimate += units[next]!.rows;
      next++;
    }
    step++;
    await cacheTuning.beforeMergeStep?.(step);
    const request = { setId, units: take, events };
    const done = await ctx.writer.writeElsewhere('cache: merge', () => host.merge(request).then(answerToResult), () => ({}));
    if (!done.ok) return done;
    if (events) nextEvent = events.to + 1;
    merged += done.value.rows;
    if (done.value.rows > 0) {
      const msPerRow = Math.max(done.value.ms, 1) / done.value.rows;
      budget = Math.round(Math.min(cacheTuning.maxStepRows, Math.max(1_000, (budget + targetMs / msPerRow) / 2)));
    }
    progress({ phase: 'merging', done: merged, total, message: `${merged} of ${total} values` }, next >= units.length);
  }
  return success('done');
}

/**
 * Replace a feed's cache with what `fill` adds, atomically (see the top of this file). The previous cache stays
 * live until the last step, and stays live if the run is cancelled or fails.
 */
export async function replaceFeedCache(
  ctx: Pick<CacheContext, 'writer' | 'dbPath' | 'sqliteBinding' | 'feedId' | 'handler'>,
  fill: CacheFill,
): Promise<Result<{ status: 'done' | 'cancelled'; values: number }>> {
  const cancelled = success({ status: 'cancelled' as const, values: 0 });
  let setId: number | null = null;
  let host: StageHost | null = null;
  let swapped = false;
  try {
    const begun = await ctx.writer.write('cache: start a set', (step) => beginSet(step.db, ctx.dbPath, ctx.feedId));
    if (!begun.ok) return begun;
    setId = begun.value;
    host = await openStageHost(
      { dbPath: ctx.dbPath, sqliteBinding: ctx.sqliteBinding, stagePath: stagingPath(ctx.dbPath, setId), failMergeStep: cacheTuning.failMergeStep },
      cacheTuning.preferWorker,
    );
    const sink = new StagingSink(host);
    const filled = await fill(sink);
    await sink.finish();
    if (filled !== 'done' && filled !== 'cancelled') return filled;
    if (filled === 'cancelled' || ctx.handler.signal.aborted) return cancelled;
    const sealed = await host.seal();
    const merged = await mergeStaged(ctx, host, setId, sealed);
    if (!merged.ok) return merged;
    if (merged.value === 'cancelled' || ctx.handler.signal.aborted) return cancelled;
    const id = setId;
    const swap = await ctx.writer.write('cache: swap in', (step) => {
      const r = swapSet(step.db, ctx.feedId, id);
      if (r.ok) step.changed({ cache: true, feeds: true });
      return r;
    });
    if (!swap.ok) return swap;
    swapped = true;
    return success({ status: 'done', values: swap.value.values });
  } catch (e) {
    return failure('internal', `caching feed ${ctx.feedId}: ${(e as Error)?.message ?? String(e)}`);
  } finally {
    // The staging file goes whatever happened; a set that was not swapped in is given up, and its rows (and the
    // set it replaced, if it was swapped in) are left to the cleanup.
    if (host) await host.close();
    if (setId !== null) {
      const id = setId;
      if (!swapped) await ctx.writer.write('cache: give up a set', (step) => success(retireSet(step.db, id)));
      markBuilding(ctx.dbPath, id, false);
      cacheCleanup(ctx.writer, ctx).kick();
    }
  }
}

export async function cacheFeed(opened: OpenedFeed, ctx: CacheContext, issues: Issue[]): Promise<Result<CacheOutcome>> {
  let from: CacheOutcome['from'] = 'hashes.csv';
  const result = await replaceFeedCache(ctx, async (sink) => {
    const staging = sink as StagingSink;
    let status: 'done' | 'cancelled' | 'unusable' = 'unusable';
    if (opened.layout.hashes) status = await fromHashesCsv(opened, opened.layout.hashes, staging, ctx, issues);
    else issues.push(issue('info', 'hashes.missing', `${opened.layout.root}hashes.csv`, 'no hashes.csv; caching from the events'));
    if (status !== 'unusable') return status;
    await staging.clear();
    from = 'events';
    return fromEvents(opened, staging, ctx, issues);
  });
  if (!result.ok) return result;
  return success({ ...result.value, from });
}
