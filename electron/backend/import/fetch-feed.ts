/**
 * Fetch: import a feed's events into the library (MISP's "fetch and import"). Filter rules and the user's selection
 * are applied to the manifest before any event file is read; an event already stored with the same or a newer
 * timestamp is not even read. Each event is written in its own transaction, so a failure or a cancel leaves every
 * event either wholly imported or untouched.
 */
import { subjectFromManifestEntry } from '../../../shared/feed/filters';
import { issue, type Issue } from '../../../shared/feed/issues';
import type { ManifestEntry } from '../../../shared/feed/manifest';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import type { Library } from '../db/open-library';
import type { HandlerContext } from '../dispatch';
import type { OpenedFeed } from '../source/open-feed';
import type { SourceLimits } from '../source/limits';
import { EventStore, type Provenance } from '../store/event-store';
import type { ImportReport } from './import-log';
import { throttledProgress } from './progress-throttle';
import { BulkLoad, duplicateIssues, shouldBulkLoad, type BulkLoadPolicy } from './bulk-load';
import { inThreadPreparer, workerPreparer } from './event-preparer';
import { compileFeedRules, isPrepared, type ImportItem, type PreparedEvent } from './prepare-event';
import { readAhead } from './read-ahead';

type Item = ImportReport['items'][number];
type Counts = ImportReport['counts'];

export interface FetchContext {
  readonly db: Library;
  readonly feedId: number;
  readonly feed: FeedSettings;
  readonly importId: number;
  readonly limits: SourceLimits;
  readonly handler: HandlerContext;
  readonly bulkLoad: BulkLoadPolicy;
}

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
): Promise<'done' | 'cancelled'> {
  const { db, limits, handler } = ctx;
  const store = new EventStore(db);
  const rules = compileFeedRules(ctx.feed, issues);
  const progress = throttledProgress(handler);

  // Manifest-level decisions, before reading any event file.
  const toRead: ManifestEntry[] = [];
  for (const entry of opened.entries) {
    if (selection && !selection.has(entry.uuid)) continue;
    counts.selected++;
    if (!rules.isEmpty && rules.evaluate(subjectFromManifestEntry(entry)) === 'reject') {
      counts.filtered++;
      items.push({ uuid: entry.uuid, info: entry.info, outcome: 'filtered', attributes: 0, issues: [] });
      continue;
    }
    const stored = store.state(entry.uuid);
    if (stored && stored.timestamp >= entry.timestamp) {
      counts.unchanged++;
      continue;
    }
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
  const eventBytes = toRead.reduce((sum, e) => sum + (opened.source.entries.get(opened.layout.eventFiles.get(e.uuid) ?? '')?.size ?? 0), 0);
  const writer: EventWriter = shouldBulkLoad(db, eventBytes, ctx.bulkLoad)
    ? new BulkWriter(db, provenance, record, (phase) => progress({ phase, done: toRead.length, total: toRead.length }, true))
    : new BatchWriter(db, store, provenance, record);
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
    let done = 0;
    for await (const [entry, prepared] of readAhead(toRead, readAndPrepare, READ_AHEAD)) {
      if (handler.signal.aborted) return 'cancelled';
      done++;
      if (isPrepared(prepared)) writer.write(prepared);
      else record(prepared);
      progress({ phase: 'importing', done, total: toRead.length, message: entry.info });
    }
    progress({ phase: 'importing', done, total: toRead.length }, true);
    return 'done';
  } finally {
    await preparer.close();
    writer.close();
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
function writeEvent(store: EventStore, p: PreparedEvent, provenance: Provenance): Item {
  const issues = [...p.issues];
  const stored = store.state(p.event.uuid);
  if (!stored) {
    const written = store.insert(p.event, provenance);
    for (const u of written.droppedUuids) {
      issues.push(issue('warning', 'import.uuid-taken', `${p.fileName}#${u}`, `uuid ${u} already belongs to another event; item dropped (as MISP does)`));
    }
    return { ...p.base, outcome: 'added', attributes: written.attributes, issues };
  }
  if (p.event.timestamp <= stored.timestamp) return { ...p.base, outcome: 'unchanged', issues };
  if (stored.locallyEdited) {
    issues.push(issue('warning', 'import.locally-edited', p.fileName, 'a newer version arrived but the stored event was edited here; kept the local version'));
    return { ...p.base, outcome: 'conflict', issues };
  }
  const written = store.update(stored, p.event, provenance);
  return { ...p.base, outcome: 'updated', attributes: written.attributes, issues };
}

function writeFailed(p: PreparedEvent, e: unknown): Item {
  return { ...p.base, outcome: 'rejected', issues: [...p.issues, issue('error', 'import.write-failed', p.fileName, `not stored: ${(e as Error).message}`)] };
}

interface EventWriter {
  write(prepared: PreparedEvent): void;
  /** Commit everything written (also after a cancel). */
  close(): void;
}

/** See bulk-load.ts. Outcomes are recorded only once the load has committed. */
class BulkWriter implements EventWriter {
  private readonly load: BulkLoad;
  private readonly store: EventStore;
  private readonly done: Item[] = [];

  constructor(
    private readonly db: Library,
    private readonly provenance: Provenance,
    private readonly record: (item: Item) => void,
    private readonly onPhase: (phase: string) => void,
  ) {
    this.load = new BulkLoad(db);
    this.store = new EventStore(db, false);
  }

  write(prepared: PreparedEvent): void {
    try {
      // Inside the load's transaction this is a savepoint: the event is all or nothing.
      this.done.push(this.db.transaction(() => writeEvent(this.store, prepared, this.provenance))());
    } catch (e) {
      this.store.resetCaches();
      this.done.push(writeFailed(prepared, e));
    }
  }

  close(): void {
    let dropped;
    try {
      dropped = this.load.finish(this.onPhase);
    } catch (e) {
      throw new Error(`the import was rolled back, nothing was stored: ${(e as Error).message}`, { cause: e });
    }
    // A duplicate found at the end belongs to an event already counted: correct its item before recording.
    const byEvent = new Map(this.done.map((item, i) => [item.uuid, i]));
    for (const d of dropped) {
      const i = byEvent.get(d.eventUuid);
      const item = i === undefined ? undefined : this.done[i];
      if (i === undefined || !item) continue;
      this.done[i] = { ...item, attributes: item.attributes - 1, issues: [...item.issues, ...duplicateIssues([d])] };
    }
    for (const item of this.done) this.record(item);
  }
}

/**
 * Writes events in groups committed at most every COMMIT_EVERY_MS. Committing each event on its own rewrote the
 * same randomly placed index pages (uuids, correlation keys) into the WAL hundreds of times and tripled import
 * time. Every event stays all-or-nothing: if writing one fails, the group is rolled back and its other events are
 * written again one transaction each, and the failing one is reported rejected. Outcomes are only recorded once
 * their group is committed, so the report never counts an event that is not in the library. A crash loses at most
 * the last group, each event in it whole; a cancel commits what was done.
 */
class BatchWriter implements EventWriter {
  private pending: { prepared: PreparedEvent; item: Item }[] = [];
  private openedAt = 0;
  private readonly autoCheckpoint: number;

  constructor(
    private readonly db: Library,
    private readonly store: EventStore,
    private readonly provenance: Provenance,
    private readonly record: (item: Item) => void,
  ) {
    // A WAL checkpoint costs an fsync; during a bulk import do it once at the end rather than every 4 MB.
    this.autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0');
  }

  write(prepared: PreparedEvent): void {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN');
      this.openedAt = Date.now();
    }
    try {
      this.pending.push({ prepared, item: writeEvent(this.store, prepared, this.provenance) });
    } catch (e) {
      this.replayAlone(prepared, e);
      return;
    }
    if (Date.now() - this.openedAt >= COMMIT_EVERY_MS) this.commit();
  }

  private commit(): void {
    if (this.db.inTransaction) {
      try {
        this.store.flushKeys();
        this.db.exec('COMMIT');
      } catch (e) {
        this.replayAlone(null, e);
        return;
      }
    }
    for (const p of this.pending) this.record(p.item);
    this.pending = [];
  }

  /** Roll the group back and write its events one transaction each; `failed` (if any) is reported rejected. */
  private replayAlone(failed: PreparedEvent | null, error: unknown): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.store.resetCaches();
    const earlier = this.pending;
    this.pending = [];
    for (const { prepared } of earlier) {
      try {
        this.record(
          this.db.transaction(() => {
            const item = writeEvent(this.store, prepared, this.provenance);
            this.store.flushKeys();
            return item;
          })(),
        );
      } catch (e) {
        this.store.resetCaches();
        this.record(writeFailed(prepared, e));
      }
    }
    if (failed) this.record(writeFailed(failed, error));
  }

  close(): void {
    this.commit();
    this.db.pragma(`wal_autocheckpoint = ${this.autoCheckpoint}`);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

const COMMIT_EVERY_MS = 2000;
