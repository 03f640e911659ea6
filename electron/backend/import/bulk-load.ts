/**
 * Bulk load: the new events of a large import are staged in a scratch SQLite file that nobody else reads
 * (bulk-stage.ts), then merged into the library in steps of whole events (db/queries/bulk-merge.ts), each step one
 * transaction queued on the writer like any other write. The library keeps every index throughout, so readers on
 * their snapshots are never slowed by a missing one, and another request's write waits at most for one merge step.
 *
 * Staging and merging run on two worker threads (bulk-host.ts) and overlap: while one step is merged, the next
 * events are parsed and staged. Only events not in the library when the import started come here; updates go
 * through the step path. Should anything here fail (a worker dies, the scratch file cannot be written), the events
 * not merged yet are handed back to the step path: a bulk load may end slower, it never loses an event.
 */
import { issue } from '../../../shared/feed/issues';
import type { ManifestEntry } from '../../../shared/feed/manifest';
import { failure, success, type Result } from '../result';
import type { OpenedFeed } from '../source/open-feed';
import type { MergeOutcome } from '../db/queries/bulk-merge';
import { openBulkHost, type BulkHost } from './bulk-host';
import { createScratch, removeScratch, removeStaleScratch, scratchPathFor, uuidTakenIssues, type StagedEvent } from './bulk-stage';
import type { BulkLoadPolicy, FetchContext } from './fetch-context';
import type { ImportReport } from '../db/queries/import-runs';
import { readAhead } from './read-ahead';

export type { BulkLoadPolicy } from './fetch-context';

type Item = ImportReport['items'][number];

/** Sizing; tests change it to see the worker path on small feeds, or tiny steps. */
export const bulkTuning = {
  /** Below this much new event JSON, staging costs more than it saves. */
  minBytes: 24 * 1024 * 1024,
  /** Below this much, both halves run on this thread: starting two workers costs more than they save. */
  workerMinBytes: 16 * 1024 * 1024,
  /** What a merge step aims at: long enough to be efficient, short enough that other writes barely wait. */
  stepTargetMs: 900,
  firstStepAttributes: 20_000,
  maxStepAttributes: 400_000,
  /** An event costs about as much to merge as this many attributes (its row, tags, id maps). */
  eventWeight: 20,
};

/** The new events' JSON: in all, and the largest file. */
export interface FreshBytes {
  readonly total: number;
  readonly largest: number;
}

/**
 * The stager's heap cap for files up to `largest` bytes: room for the text (two bytes a character at worst, once
 * decoded), what reading it keeps (uuids seen, the part being written) and the stager's own needs. Below the cap
 * V8 collects as it goes; without one, it let the heap grow to twice what a 100 MB event needs.
 */
export function stagerHeapMiB(largest: number): number {
  return Math.ceil(160 + (2.5 * largest) / 1024 ** 2);
}

/** Whether the new events of an import (`freshBytes` of event JSON) are worth staging and merging. */
export function shouldBulkLoad(freshBytes: number, policy: BulkLoadPolicy = 'auto'): boolean {
  switch (policy) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'auto':
      return freshBytes >= bulkTuning.minBytes;
  }
}

export interface BulkOutcome {
  readonly status: 'done' | 'cancelled';
  /** Events the bulk load did not store and the step path must take: stored meanwhile by another process, or left when the bulk load could not go on. */
  readonly again: readonly ManifestEntry[];
}

/**
 * Import `entries` (events not in the library when the import started): record each outcome with `record` once
 * it is in the library (or known not to go there), and report progress with `advance(eventsDone, info)`.
 */
export async function bulkImport(
  opened: OpenedFeed,
  entries: readonly ManifestEntry[],
  ctx: FetchContext,
  fresh: FreshBytes,
  record: (item: Item) => void,
  advance: (events: number, info?: string) => void,
): Promise<Result<BulkOutcome>> {
  removeStaleScratch(ctx.dbPath);
  const scratchPath = scratchPathFor(ctx.dbPath);
  try {
    createScratch(scratchPath, ctx.sqliteBinding).close();
  } catch (e) {
    // Nothing was staged: the step path imports everything.
    ctx.handler.progress({ phase: 'importing', done: 0, total: entries.length, message: `bulk load unavailable (${(e as Error).message}); importing event by event` });
    return success({ status: 'done', again: entries });
  }
  const preferWorker = fresh.total >= bulkTuning.workerMinBytes;
  let stager: BulkHost | null = null;
  let merger: BulkHost | null = null;
  try {
    // Both workers start at once: each spends most of its start-up loading modules, which overlaps.
    const opening = [
      openBulkHost({ op: 'open-stager', options: { scratchPath, nativeBinding: ctx.sqliteBinding, feed: ctx.feed, provenance: { feedId: ctx.feedId, importId: ctx.importId } } }, preferWorker, stagerHeapMiB(fresh.largest)),
      openBulkHost(
        { op: 'open-merger', options: { libraryPath: ctx.dbPath, scratchPath, nativeBinding: ctx.sqliteBinding, importId: ctx.importId, cacheKiB: MERGE_CACHE_KIB } },
        preferWorker,
      ),
    ] as const;
    const [openedStager, openedMerger] = await Promise.allSettled(opening);
    if (openedStager.status === 'fulfilled') stager = openedStager.value;
    if (openedMerger.status === 'fulfilled') merger = openedMerger.value;
    if (openedStager.status === 'rejected') throw openedStager.reason;
    if (openedMerger.status === 'rejected') throw openedMerger.reason;
    return await new BulkRun(opened, entries, ctx, openedStager.value, openedMerger.value, record, advance).run();
  } catch (e) {
    return failure('internal', `bulk load: ${(e as Error).message}`);
  } finally {
    await stager?.close();
    await merger?.close();
    removeScratch(scratchPath);
  }
}

/**
 * Page cache of the merging connection. The library's random-order indexes (uuids, keys) are probed and grown all
 * over on each step, so they want to stay cached; beyond this, a bigger cache bought no speed, only memory.
 */
const MERGE_CACHE_KIB = 64 * 1024;

/** How many event files are read ahead of the one being staged. */
const READ_AHEAD = 4;

class BulkRun {
  /** Staged, not merged yet, in staging order. */
  private pending: { staged: StagedEvent; entry: ManifestEntry }[] = [];
  private pendingWeight = 0;
  private stepWeight = bulkTuning.firstStepAttributes;
  private steps = 0;
  /** Set when staging ends (all read, cancelled, or failed); `abandon` when what is pending must not be merged. */
  private stagingOver = false;
  private abandon = false;
  /** Wakes the merge loop when staging adds events or ends. */
  private wake: (() => void) | null = null;
  private mergeFailed: Result<void> | null = null;
  private readonly again: ManifestEntry[] = [];
  private readonly recorded = new Set<string>();

  constructor(
    private readonly opened: OpenedFeed,
    private readonly entries: readonly ManifestEntry[],
    private readonly ctx: FetchContext,
    private readonly stager: BulkHost,
    private readonly merger: BulkHost,
    private readonly record: (item: Item) => void,
    private readonly advance: (events: number, info?: string) => void,
  ) {}

  async run(): Promise<Result<BulkOutcome>> {
    // Staging and merging each run at their own pace: staging never waits for a merge (what it stages waits on
    // disk, in the scratch file), and each merge takes one step's worth of what is staged by then.
    const merging = this.mergeLoop();
    const staged = await this.stageAll();
    this.stagingOver = true;
    if (!staged.ok) this.abandon = true;
    this.wake?.();
    const merged = await merging;
    const stopped = !staged.ok ? staged : !merged.ok ? merged : null;
    if (stopped) {
      if (stopped.error.code === 'busy' || stopped.error.code === 'unavailable') return stopped;
      // Everything not recorded yet goes to the step path.
      this.ctx.handler.progress({ phase: 'importing', done: this.recorded.size, total: this.entries.length, message: `bulk load stopped (${stopped.error.message}); going on event by event` });
      const left = this.entries.filter((e) => !this.recorded.has(e.uuid));
      return success({ status: 'done', again: [...this.again, ...left.filter((e) => !this.again.includes(e))] });
    }
    if (staged.ok && staged.value === 'cancelled') return success({ status: 'cancelled', again: [] });
    return success({ status: 'done', again: this.again });
  }

  /** Reads and stages every entry; stops early when cancelled (what was staged is still merged) or when a merge failed. */
  private async stageAll(): Promise<Result<BulkOutcome['status']>> {
    const { opened, ctx } = this;
    const read = async (entry: ManifestEntry): Promise<Item | { fileName: string; bytes: Uint8Array }> => {
      const base = { uuid: entry.uuid, info: entry.info, attributes: 0 };
      const name = opened.layout.eventFiles.get(entry.uuid);
      if (!name) return { ...base, outcome: 'rejected', issues: [issue('error', 'feed.event-file-missing', `${entry.uuid}.json`, 'announced in manifest.json but not in the feed')] };
      const bytes = await opened.source.read(name, ctx.limits.maxJsonBytes);
      if (!bytes.ok) return { ...base, outcome: 'rejected', issues: [issue('error', 'feed.event-file-unreadable', name, bytes.error.message)] };
      return { fileName: name, bytes: bytes.value };
    };
    for await (const [entry, got] of readAhead(this.entries, read, READ_AHEAD)) {
      if (this.mergeFailed) return success('done');
      if (ctx.handler.signal.aborted) return success('cancelled');
      if ('outcome' in got) {
        this.done(got);
        continue;
      }
      let outcome;
      try {
        // Transferred to the stager (when it is a worker): this thread no longer holds the bytes.
        const transfer = this.stager.inThread ? [] : [got.bytes.buffer as ArrayBuffer];
        outcome = await this.stager.call({ op: 'stage', entry: { uuid: entry.uuid, info: entry.info }, fileName: got.fileName, bytes: got.bytes }, transfer);
      } catch (e) {
        return failure('internal', `staging ${got.fileName}: ${(e as Error).message}`);
      }
      if (!outcome.staged) {
        this.done(outcome.item);
        continue;
      }
      this.pending.push({ staged: outcome, entry });
      this.pendingWeight += outcome.attributes + bulkTuning.eventWeight;
      if (this.pendingWeight >= this.stepWeight) this.wake?.();
    }
    return success('done');
  }

  /** Merges a step whenever one step's worth is staged, and what is left once staging is over. */
  private async mergeLoop(): Promise<Result<void>> {
    for (;;) {
      if (this.abandon) return success(undefined);
      if (this.pendingWeight < this.stepWeight && !this.stagingOver) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      const batch = this.takeStep();
      if (batch.length === 0) return success(undefined);
      const merged = await this.mergeBatch(batch);
      if (!merged.ok) {
        this.mergeFailed = merged;
        return merged;
      }
    }
  }

  /** The oldest pending events, up to one step's weight (at least one event). */
  private takeStep(): { staged: StagedEvent; entry: ManifestEntry }[] {
    let n = 0;
    let weight = 0;
    while (n < this.pending.length && (n === 0 || weight + this.pending[n]!.staged.attributes + bulkTuning.eventWeight <= this.stepWeight)) {
      weight += this.pending[n]!.staged.attributes + bulkTuning.eventWeight;
      n++;
    }
    this.pendingWeight -= weight;
    return this.pending.splice(0, n);
  }

  private done(item: Item): void {
    this.recorded.add(item.uuid);
    this.record(item);
    this.advance(1, item.info);
  }

  /** Merge a batch of events: one step, or — if that step fails — one step per event, rejecting those that fail alone. */
  private async mergeBatch(batch: readonly { staged: StagedEvent; entry: ManifestEntry }[]): Promise<Result<void>> {
    const together = await this.mergeStep(batch);
    if (together.ok) return success(undefined);
    if (together.error.code === 'busy' || together.error.code === 'unavailable') return together;
    if (batch.length === 1) {
      this.rejectWriteFailed(batch[0]!, together.error.message);
      return success(undefined);
    }
    for (const one of batch) {
      const alone = await this.mergeStep([one]);
      if (alone.ok) continue;
      if (alone.error.code === 'busy' || alone.error.code === 'unavailable') return alone;
      this.rejectWriteFailed(one, alone.error.message);
    }
    return success(undefined);
  }

  private rejectWriteFailed(one: { staged: StagedEvent }, message: string): void {
    const s = one.staged;
    this.done({ uuid: s.uuid, info: s.info, attributes: 0, outcome: 'rejected', issues: [...s.issues, issue('error', 'import.write-failed', s.fileName, `not stored: ${message}`)] });
  }

  private async mergeStep(batch: readonly { staged: StagedEvent; entry: ManifestEntry }[]): Promise<Result<MergeOutcome>> {
    const stepNumber = ++this.steps;
    const request = {
      lo: batch[0]!.staged.sid,
      hi: batch[batch.length - 1]!.staged.lastSid,
      ...(this.ctx.faults.failStep === stepNumber ? { fail: `fault injected in step ${stepNumber}` } : {}),
    };
    const merged = await this.ctx.writer.writeElsewhere('import: merge staged events', () => this.merger.call({ op: 'merge', request }), (m) => ({
      events: m.merged.map((e) => e.uuid),
      feeds: true,
    }));
    if (!merged.ok) return merged;
    this.resize(batch, merged.value.ms);
    const bySid = new Map(batch.map((b) => [b.staged.sid, b]));
    for (const m of merged.value.merged) {
      const b = bySid.get(m.sid)!;
      this.done({ uuid: m.uuid, info: b.staged.info, outcome: 'added', attributes: m.attributes, issues: [...b.staged.issues, ...uuidTakenIssues(m.dropped, b.staged.fileName)] });
    }
    for (const s of merged.value.skipped) {
      const b = bySid.get(s.sid)!;
      if (s.ours) {
        // Merged by an earlier attempt of this step whose answer was lost: it is in the library, whole.
        this.done({ uuid: s.uuid, info: b.staged.info, outcome: 'added', attributes: s.attributes, issues: [...b.staged.issues] });
      } else if (s.storedTimestamp >= s.stagedTimestamp) {
        // Another process stored this event (the same or a newer version) since the import started.
        this.done({ uuid: s.uuid, info: b.staged.info, outcome: 'unchanged', attributes: 0, issues: [] });
      } else {
        // Stored meanwhile in an older version: an update, which is the step path's work.
        this.again.push(b.entry);
      }
    }
    return success(merged.value);
  }

  /** Size the next step from what this one cost, so that steps stay near their target time. */
  private resize(batch: readonly { staged: StagedEvent }[], ms: number): void {
    const weight = batch.reduce((sum, b) => sum + b.staged.attributes + bulkTuning.eventWeight, 0);
    if (ms <= 0 || weight <= 0) return;
    const fitting = (weight * bulkTuning.stepTargetMs) / ms;
    this.stepWeight = Math.round(Math.min(bulkTuning.maxStepAttributes, Math.max(1_000, (this.stepWeight + fitting) / 2)));
  }
}
