/**
 * The heavy half of caching a feed, on connections of its own: usually on a worker thread (import/cache-worker.ts), so the
 * main thread keeps serving reads; in-thread when no worker can be started (import/cache-host.ts).
 *
 * - Staging: rows arrive in binary batches (16-byte md5, 32-bit event ref; ref 0 = no event) and go into a scratch
 *   SQLite file that nobody else opens, in one private transaction (journal off: a crash only leaves a file to
 *   delete). Rows are split into 256 tables by the md5's first byte; each table is only ever appended to, and a
 *   merge step sorts one table (or a slice of one) in memory instead of sorting millions of rows up front.
 * - Merge: each step is ONE transaction on this thread's connection to the library (the staging file attached):
 *   `INSERT … SELECT … ORDER BY md5` of a few buckets into feed_cache, so the md5 index is filled in order. The
 *   step first checks that its set is still `building` (a removed feed retires it), and records the rows' rowid
 *   range and count on the set in the same transaction.
 * - Purge: deletes a retired set's rows by rowid window, then its events, then the set, one bounded step at a time.
 *
 * Every library step answers 'busy' instead of waiting when another process holds the write lock; the writer
 * (db/writer.ts) retries it. Nothing here throws to the caller: the host turns exceptions into failures.
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { inImmediateTransaction } from '../busy';
import { checkpointPages } from '../open-library';

export const BUCKETS = 256;
/** Bytes per staged row in a batch: md5 (16) + event ref (uint32 LE). */
export const ROW_BYTES = 20;

/** A slice of the staged rows: bucket `bucket`, md5 second byte in [from, to) (0..256 is the whole bucket). */
export interface MergeUnit {
  readonly bucket: number;
  readonly from: number;
  readonly to: number;
}

export type StepAnswer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: 'cancelled' | 'internal'; readonly message: string } | 'busy';

export interface OpenRequest {
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
  /** null: purge only, no staging file. */
  readonly stagePath: string | null;
  /** Tests only: merge step number `failMergeStep` (1-based) throws after writing its rows. */
  readonly failMergeStep?: number | undefined;
}

export interface Sealed {
  readonly buckets: readonly number[];
  readonly events: number;
}

export interface MergeRequest {
  readonly setId: number;
  readonly units: readonly MergeUnit[];
  /** Staged events with ref in [from, to] are copied in this step too. */
  readonly events?: { readonly from: number; readonly to: number } | undefined;
}

export interface PurgeRequest {
  readonly setId: number;
  /** Rowid window size: how many feed_cache rowids this step looks at. */
  readonly rows: number;
}

export interface PurgeResult {
  readonly deleted: number;
  /** The set and everything it had are gone. */
  readonly finished: boolean;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export class CacheStage {
  private readonly lib: Database.Database;
  private stage: Database.Database | null = null;
  private readonly stagePath: string | null;
  private inserts: (Database.Statement | null)[] = [];
  private insertEvent: Database.Statement | null = null;
  private counts = new Array<number>(BUCKETS).fill(0);
  private events = 0;
  private attached = false;
  private mergeSteps = 0;
  private readonly failMergeStep: number | undefined;

  constructor(request: OpenRequest) {
    const binding = request.sqliteBinding ? { nativeBinding: request.sqliteBinding } : {};
    this.lib = new Database(request.dbPath, { fileMustExist: true, ...binding });
    // Like the writer's connection: a taken lock is answered 'busy' at once and retried from a timer over there.
    this.lib.pragma('busy_timeout = 0');
    this.lib.pragma('synchronous = NORMAL');
    this.lib.pragma('foreign_keys = OFF');
    // Enough for the right-hand edge of the md5 index and the pages a step touches; more only raised peak memory.
    this.lib.pragma('cache_size = -32768');
    this.lib.pragma(`wal_autocheckpoint = ${checkpointPages(this.lib)}`);
    this.stagePath = request.stagePath;
    this.failMergeStep = request.failMergeStep;
    if (request.stagePath) {
      rmSync(request.stagePath, { force: true });
      const stage = new Database(request.stagePath, binding);
      stage.pragma('journal_mode = OFF');
      stage.pragma('synchronous = OFF');
      stage.pragma('locking_mode = EXCLUSIVE');
      stage.pragma('cache_size = -16384');
      stage.exec('CREATE TABLE event (ref INTEGER PRIMARY KEY, uuid TEXT NOT NULL)');
      stage.exec('BEGIN');
      this.stage = stage;
      this.insertEvent = stage.prepare('INSERT INTO event (ref, uuid) VALUES (?, ?)');
      this.inserts = new Array<Database.Statement | null>(BUCKETS).fill(null);
    }
  }

  /** Stage one batch: `count` rows of ROW_BYTES in `rows`, and the events first referenced in it. */
  rows(rows: Uint8Array, count: number, events: readonly (readonly [number, string])[]): number {
    const stage = this.requireStage();
    for (const [ref, uuid] of events) this.insertEvent!.run(ref, uuid);
    this.events += events.length;
    const buffer = Buffer.from(rows.buffer, rows.byteOffset, count * ROW_BYTES);
    for (let i = 0, o = 0; i < count; i++, o += ROW_BYTES) {
      const bucket = buffer[o]!;
      let insert = this.inserts[bucket];
      if (!insert) {
        // Created when first needed: a feed of ten values makes ten tiny tables, not 256.
        stage.exec(`CREATE TABLE b${bucket} (md5 BLOB NOT NULL, ref INTEGER)`);
        insert = this.inserts[bucket] = stage.prepare(`INSERT INTO b${bucket} (md5, ref) VALUES (?, ?)`);
      }
      const ref = buffer.readUInt32LE(o + 16);
      insert.run(buffer.subarray(o, o + 16), ref === 0 ? null : ref);
      this.counts[bucket]!++;
    }
    return count;
  }

  /** Forget what was staged (the hashes.csv turned out unusable: the events are cached instead). */
  clear(): void {
    const stage = this.requireStage();
    for (let b = 0; b < BUCKETS; b++) if (this.inserts[b]) stage.exec(`DELETE FROM b${b}`);
    stage.exec('DELETE FROM event');
    this.counts.fill(0);
    this.events = 0;
  }

  /** Staging is complete: commit it, and attach it to the library connection for the merge steps. */
  seal(): Sealed {
    const stage = this.requireStage();
    stage.exec('COMMIT');
    stage.close();
    this.stage = null;
    this.lib.prepare('ATTACH DATABASE ? AS stage').run(this.stagePath);
    this.attached = true;
    return { buckets: [...this.counts], events: this.events };
  }

  merge(request: MergeRequest): StepAnswer<{ rows: number }> {
    if (!this.attached) throw new Error('merge before seal');
    const db = this.lib;
    return inImmediateTransaction(db, (): StepAnswer<{ rows: number }> => {
      const state = db.prepare<[number], string>('SELECT state FROM cache_set WHERE id = ?').pluck().get(request.setId);
      // Nothing is written before this check, so the empty transaction may as well commit.
      if (state !== 'building') {
        return { ok: false, code: 'cancelled', message: `cache set ${request.setId} is ${state ?? 'gone'}: the feed was removed or cached again meanwhile` };
      }
      if (request.events) {
        db.prepare('INSERT INTO feed_cache_event (set_id, ref, uuid) SELECT ?, ref, uuid FROM stage.event WHERE ref BETWEEN ? AND ?').run(
          request.setId,
          request.events.from,
          request.events.to,
        );
      }
      const maxRow = db.prepare<[], number>('SELECT coalesce(max(rowid), 0) FROM feed_cache').pluck();
      const before = maxRow.get()!;
      let rows = 0;
      for (const u of request.units) {
        const whole = u.from === 0 && u.to === 256;
        const range = whole ? '' : u.to === 256 ? ' WHERE md5 >= ?' : ' WHERE md5 >= ? AND md5 < ?';
        const args: unknown[] = [request.setId];
        if (!whole) args.push(Buffer.from([u.bucket, u.from]));
        if (!whole && u.to !== 256) args.push(Buffer.from([u.bucket, u.to]));
        rows += db.prepare(`INSERT INTO feed_cache (md5, set_id, event_ref) SELECT md5, ?, ref FROM stage.b${u.bucket}${range} ORDER BY md5`).run(...args).changes;
      }
      if (rows > 0) {
        const after = maxRow.get()!;
        db.prepare(
          // New rowids are above every existing one, so the set's range only ever grows upwards.
          'UPDATE cache_set SET value_count = value_count + ?, first_row = coalesce(first_row, ?), last_row = ?, updated_at = ? WHERE id = ?',
        ).run(rows, before + 1, after, nowSeconds(), request.setId);
      }
      this.mergeSteps++;
      if (this.failMergeStep === this.mergeSteps) throw new Error(`merge step ${this.mergeSteps} failed (test fault)`);
      return { ok: true, value: { rows } };
    });
  }

  purge(request: PurgeRequest): StepAnswer<PurgeResult> {
    return inImmediateTransaction(this.lib, () => ({ ok: true as const, value: this.purgeInTransaction(request) }));
  }

  private purgeInTransaction({ setId, rows }: PurgeRequest): PurgeResult {
    const db = this.lib;
    const set = db
      .prepare<[number], { state: string; first_row: number | null; last_row: number | null }>('SELECT state, first_row, last_row FROM cache_set WHERE id = ?')
      .get(setId);
    if (!set) return { deleted: 0, finished: true };
    if (set.state !== 'retired') throw new Error(`cache set ${setId} is ${set.state}, not retired`);
    if (set.first_row !== null && set.last_row !== null && set.first_row <= set.last_row) {
      const to = Math.min(set.first_row + rows - 1, set.last_row);
      const deleted = db.prepare('DELETE FROM feed_cache WHERE rowid BETWEEN ? AND ? AND set_id = ?').run(set.first_row, to, setId).changes;
      // Moving first_row up records how far the purge got, so the next step (or the next start) goes on from there.
      db.prepare('UPDATE cache_set SET first_row = ?, value_count = max(value_count - ?, 0) WHERE id = ?').run(to + 1, deleted, setId);
      return { deleted, finished: false };
    }
    const events = db
      .prepare('DELETE FROM feed_cache_event WHERE set_id = ? AND ref IN (SELECT ref FROM feed_cache_event WHERE set_id = ? ORDER BY ref LIMIT ?)')
      .run(setId, setId, rows).changes;
    if (events > 0) return { deleted: 0, finished: false };
    db.prepare('DELETE FROM cache_set WHERE id = ?').run(setId);
    return { deleted: 0, finished: true };
  }

  /** Close both connections; the staging file is deleted (it is only ever scratch). */
  close(): void {
    try {
      if (this.stage?.open) this.stage.close();
      if (this.lib.open) this.lib.close();
    } finally {
      if (this.stagePath) removeStagingFile(this.stagePath);
    }
  }

  private requireStage(): Database.Database {
    if (!this.stage) throw new Error('the staging file is already sealed');
    return this.stage;
  }
}

export function removeStagingFile(path: string): void {
  for (const p of [path, `${path}-journal`, `${path}-wal`, `${path}-shm`]) rmSync(p, { force: true });
}

export type StageRequest =
  | { readonly op: 'open'; readonly request: OpenRequest }
  | { readonly op: 'rows'; readonly rows: Uint8Array; readonly count: number; readonly events: readonly (readonly [number, string])[] }
  | { readonly op: 'clear' }
  | { readonly op: 'seal' }
  | { readonly op: 'merge'; readonly request: MergeRequest }
  | { readonly op: 'purge'; readonly request: PurgeRequest }
  | { readonly op: 'close' };

export type StageReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly message: string };

/** Runs one request against `stage` (created by 'open'); shared by the worker and the in-thread host. */
export function handleStageRequest(holder: { stage: CacheStage | null }, m: StageRequest): unknown {
  if (m.op === 'open') {
    holder.stage?.close();
    holder.stage = new CacheStage(m.request);
    return null;
  }
  const stage = holder.stage;
  if (!stage) throw new Error(`${m.op}: the cache worker is not open`);
  switch (m.op) {
    case 'rows':
      return stage.rows(m.rows, m.count, m.events);
    case 'clear':
      stage.clear();
      return null;
    case 'seal':
      return stage.seal();
    case 'merge':
      return stage.merge(m.request);
    case 'purge':
      return stage.purge(m.request);
    case 'close':
      holder.stage = null;
      stage.close();
      return null;
    default: {
      const exhaustive: never = m;
      return exhaustive;
    }
  }
}
