/**
 * Fetch: import a feed's events into the library (MISP's "fetch and import"). Filter rules and the user's selection
 * are applied to the manifest before any event file is read; an event already stored with the same or a newer
 * timestamp is not even read. Each event is written in its own transaction, so a failure or a cancel leaves every
 * event either wholly imported or untouched.
 */
import { subjectFromManifestEntry } from '../../../shared/feed/filters';
import { issue, type Issue } from '../../../shared/feed/issues';
import type { ManifestEntry } from '../../../shared/feed/manifest';
import type { Writer, WriteStep } from '../db/writer';
import { success, type Result } from '../result';
import type { OpenedFeed } from '../source/open-feed';
import { EventStore, type Provenance } from '../db/queries/event-store';
import type { ImportReport } from '../db/queries/import-runs';
import { throttledProgress } from './progress-throttle';
import { bulkImport, shouldBulkLoad } from './bulk-load';
import type { FetchContext } from './fetch-context';
import { storedTimestamps } from '../db/queries/event-lookups';
import { inThreadPreparer, workerPreparer } from './event-preparer';
import { compileFeedRules, isPrepared, type ImportItem, type PreparedEvent } from './prepare-event';
import { readAhead } from './read-ahead';

type Item = ImportReport['items'][number];
type Counts = ImportReport['counts'];

export type { FetchContext } from './fetch-context';

/**
 * How many event files are read and prepared ahead of the one being written. Reads complete on this thread, which is
 * busy in SQLite while it writes, so a deeper queue keeps the worker fed (L feed: idle time on both threads fell
 * and the import went from ~12.5 s to ~11 s going from 4 to 8); beyond 8, memory grew faster than speed.
 */
const READ_AHEAD = 8;

export async function fetchEvents(
  opened: OpenedFeed,
  selection: ReadonlySet<string> | null,
  ctx: FetchContext,
  counts: Counts,
  items: Item[],
  issues: Issue[],
): Promise<Result<'done' | 'cancelled'>> {
  const { limits, handler } = ctx;
  const rules = compileFeedRules(ctx.feed, issues);
  const progress = throttledProgress(handler);

  // Manifest-level decisions, before reading any event file.
  const toRead: ManifestEntry[] = [];
  /** Events not in the library yet: a bulk load may stage them; the others are updates, written in steps. */
  const fresh = new Set<string>();
  const stored = ctx.reader.read((db) => storedTimestamps(db, opened.entries.map((e) => e.uuid)));
  for (const entry of opened.entries) {
    if (selection && !selection.has(entry.uuid)) continue;
    counts.selected++;
    if (!rules.isEmpty && rules.evaluate(subjectFromManifestEntry(entry)) === 'reject') {
      counts.filtered++;
      items.push({ uuid: entry.uuid, info: entry.info, outcome: 'filtered', attributes: 0, issues: [] });
      continue;
    }
    const timestamp = stored.get(entry.uuid);
    if (timestamp !== undefined && timestamp >= entry.timestamp) {
      counts.unchanged++;
      continue;
    }
    if (timestamp === undefined) fresh.add(entry.uuid);
    toRead.push(entry);
  }
  if (selection) {
    const inManifest = new Set(opened.entries.map((e) => e.uuid));
    for (const uuid of selection) {
      if (!inManifest.has(uuid)) issues.push(issue('error', 'import.not-in-manifest', `${opened.layout.manifest}#/${uuid}`, 'selected event is not in this feed'));
    }
  }

  progress({ phase: 'importing', done: 0, total: toRead.length, message: `${counts.unchanged} unchanged` }, true);
  const record = (item: Item) => {
    counts[outcomeCounter(item.outcome)]++;
    if (item.outcome === 'added' || item.outcome === 'updated') counts.attributes += item.attributes;
    if (item.outcome !== 'added' || item.issues.length > 0) items.push(item);
  };
  const provenance = { feedId: ctx.feedId, importId: ctx.importId };
  const sizeOf = (e: ManifestEntry) => opened.source.entries.get(opened.layout.eventFiles.get(e.uuid) ?? '')?.size ?? 0;
  const eventBytes = toRead.reduce((sum, e) => sum + sizeOf(e), 0);
  let done = 0;
  const total = toRead.length;
  const freshEntries = toRead.filter((e) => fresh.has(e.uuid));
  const freshBytes = { total: 0, largest: 0 };
  for (const e of freshEntries) {
    const size = sizeOf(e);
    freshBytes.total += size;
    freshBytes.largest = Math.max(freshBytes.largest, size);
  }
  if (freshEntries.length > 0 && shouldBulkLoad(freshBytes.total, ctx.bulkLoad)) {
    // New events are staged off the library and merged in steps; updates of stored events go the usual way below,
    // with whatever the bulk load handed back (stored meanwhile by another process, or left by a failure).
    const bulk = await bulkImport(opened, freshEntries, ctx, freshBytes, record, (n, info) => {
      done += n;
      progress({ phase: 'importing', done, total, ...(info !== undefined ? { message: info } : {}) });
    });
    if (!bulk.ok) return bulk;
    if (bulk.value.status === 'cancelled') return success('cancelled');
    const again = new Set(bulk.value.again.map((e) => e.uuid));
    toRead.splice(0, toRead.length, ...toRead.filter((e) => !fresh.has(e.uuid) || again.has(e.uuid)));
  }
  const writer = new StepWriter(ctx.writer, provenance, record, ctx.faults.failStep);
  const preparer = eventBytes >= WORKER_MIN_BYTES ? workerPreparer(ctx.feed, rules) : inThreadPreparer(ctx.feed, rules);
  /** Read and prepare ahead of the writer: on a worker, both overlap with writing the current event. */
  const readAndPrepare = async (entry: ManifestEntry): Promise<ImportItem | PreparedEvent> => {
    const name = opened.layout.eventFiles.get(entry.uuid);
    const base = { uuid: entry.uuid, info: entry.info, attributes: 0 };
    if (!name) return { ...base, outcome: 'rejected', issues: [issue('error', 'feed.event-file-missing', `${entry.uuid}.json`, 'announced in manifest.json but not in the feed')] };
    const bytes = await opened.source.read(name, limits.maxJsonBytes);
    if (!bytes.ok) return { ...base, outcome: 'rejected', issues: [issue('error', 'feed.event-file-unreadable', name, bytes.error.message)] };
    return preparer.prepare(entry, name, bytes.value);
  };
  try {
    for await (const [entry, prepared] of readAhead(toRead, readAndPrepare, READ_AHEAD)) {
      if (handler.signal.aborted) {
        const flushed = await writer.flush();
        return flushed.ok ? success('cancelled') : flushed;
      }
      done++;
      if (isPrepared(prepared)) {
        const written = await writer.write(prepared);
        if (!written.ok) return written;
      } else record(prepared);
      progress({ phase: 'importing', done, total, message: entry.info });
    }
    const flushed = await writer.flush();
    if (!flushed.ok) return flushed;
    progress({ phase: 'importing', done, total }, true);
    return success('done');
  } finally {
    await preparer.close();
  }
}

/** Below this much event JSON a worker thread's start-up costs more than it saves. */
const WORKER_MIN_BYTES = 16 * 1024 * 1024;

function outcomeCounter(outcome: Item['outcome']): keyof Counts {
  switch (outcome) {
    case 'added':
      return 'added';
    case 'updated':
      return 'updated';
    case 'unchanged':
      return 'unchanged';
    case 'filtered':
      return 'filtered';
    case 'rejected':
      return 'rejected';
    case 'conflict':
      return 'conflicts';
    default: {
      const exhaustive: never = outcome;
      return exhaustive;
    }
  }
}

/** Add, update, or leave alone, by MISP's rule; throws only on a database failure. */
export function writeEvent(store: EventStore, p: PreparedEvent, provenance: Provenance): Item {
  const issues = [...p.issues];
  const stored = store.state(p.event.uuid);
  if (!stored) {
    const written = store.insert(p.event, provenance);
    issues.push(...droppedIssues(written.droppedUuids, p.fileName));
    return { ...p.base, outcome: 'added', attributes: written.attributes, issues };
  }
  if (p.event.timestamp <= stored.timestamp) return { ...p.base, outcome: 'unchanged', issues };
  if (stored.locallyEdited) {
    issues.push(issue('warning', 'import.locally-edited', p.fileName, 'a newer version arrived but the stored event was edited here; kept the local version'));
    return { ...p.base, outcome: 'conflict', issues };
  }
  const written = store.update(stored, p.event, provenance);
  issues.push(...droppedIssues(written.droppedUuids, p.fileName));
  return { ...p.base, outcome: 'updated', attributes: written.attributes, issues };
}

export function droppedIssues(uuids: readonly string[], fileName: string): Issue[] {
  return uuids.map((u) => issue('warning', 'import.uuid-taken', `${fileName}#${u}`, `uuid ${u} already belongs to another event; item dropped (as MISP does)`));
}

function writeFailed(p: PreparedEvent, e: unknown): Item {
  return { ...p.base, outcome: 'rejected', issues: [...p.issues, issue('error', 'import.write-failed', p.fileName, `not stored: ${(e as Error).message}`)] };
}

/**
 * Writes events through the engine's one writer, a few at a time: each step is one short transaction (at most
 * STEP_BUDGET_MS of work, so another request's write, or a read, never waits long), and each event inside it is
 * all or nothing through a savepoint: an event that fails is rolled back alone and reported rejected. Should the
 * step itself fail (its commit, say), its events are written again one step each. Outcomes are recorded only once
 * their step has committed, so the report never counts an event that is not in the library; a crash loses at most
 * the step in progress, each event in it whole.
 */
class StepWriter {
  private pending: PreparedEvent[] = [];
  private pendingAttributes = 0;
  private steps = 0;

  constructor(
    private readonly writer: Writer,
    private readonly provenance: Provenance,
    private readonly record: (item: Item) => void,
    private readonly failStep: number | undefined,
  ) {}

  async write(prepared: PreparedEvent): Promise<Result<void>> {
    this.pending.push(prepared);
    this.pendingAttributes += prepared.base.attributes + prepared.event.attributes.length;
    if (this.pendingAttributes < STEP_ATTRIBUTES && this.pending.length < STEP_EVENTS) return success(undefined);
    return this.flush();
  }

  /** Write everything pending (in as many steps as it takes). */
  async flush(): Promise<Result<void>> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      this.pendingAttributes = 0;
      const stepNumber = ++this.steps;
      const written = await this.writer.write('import: events', (step) => this.writeBatch(step, batch, stepNumber));
      if (written.ok) {
        for (const item of written.value.items) this.record(item);
        // What did not fit in the step's time goes first into the next one.
        this.pending = [...written.value.rest, ...this.pending];
        continue;
      }
      if (written.error.code === 'busy' || written.error.code === 'unavailable') return written;
      // The step as a whole failed and was rolled back: write its events again, one step each.
      for (const p of batch) {
        const alone = await this.writer.write('import: event', (step) => this.writeBatch(step, [p], ++this.steps));
        if (alone.ok) for (const item of alone.value.items) this.record(item);
        else if (alone.error.code === 'busy' || alone.error.code === 'unavailable') return alone;
        else this.record(writeFailed(p, new Error(alone.error.message)));
      }
    }
    return success(undefined);
  }

  private writeBatch(step: WriteStep, batch: readonly PreparedEvent[], stepNumber: number): Result<{ items: Item[]; rest: PreparedEvent[] }> {
    const store = new EventStore(step.db);
    const started = Date.now();
    const items: Item[] = [];
    const uuids: string[] = [];
    let i = 0;
    for (; i < batch.length; i++) {
      // Always at least one event per step, however large.
      if (i > 0 && Date.now() - started >= STEP_BUDGET_MS) break;
      const p = batch[i]!;
      try {
        const item = step.db.transaction(() => {
          const it = writeEvent(store, p, this.provenance);
          store.flushKeys();
          return it;
        })();
        items.push(item);
        if (item.outcome === 'added' || item.outcome === 'updated') uuids.push(p.event.uuid);
      } catch (e) {
        store.resetCaches();
        items.push(writeFailed(p, e));
      }
    }
    if (this.failStep === stepNumber) throw new Error(`fault injected in step ${stepNumber}`);
    step.changed({ events: uuids, feeds: true });
    return success({ items, rest: batch.slice(i) });
  }
}

/** A step holds at most this many attributes' worth of events, and stops taking more after STEP_BUDGET_MS. */
const STEP_ATTRIBUTES = 20_000;
const STEP_EVENTS = 200;
const STEP_BUDGET_MS = 200;
