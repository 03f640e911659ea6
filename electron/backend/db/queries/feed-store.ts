/**
 * Feeds in the library. Settings are stored as one JSON document that must pass FeedSettingsSchema (the same rules
 * MISP applies when it saves a feed), so nothing invalid is ever stored, whichever door it came in by.
 */
import type { z } from 'zod';
import { FeedSettingsSchema, newFeedSettings, type FeedSettings, type NewFeedSettings } from '../../../../shared/model/feed-settings';
import type { feedSummarySchema } from '../../../../shared/ipc/library-schemas';
import type { ReadHandle, WriteHandle } from '../handles';
import { failure, success, type Result } from '../../result';
import { issue } from '../../../../shared/feed/issues';

export type FeedSummary = z.infer<typeof feedSummarySchema>;

interface FeedRow {
  id: number;
  config: string;
  last_imported_at: number | null;
  last_cached_at: number | null;
  cached_values: number;
  last_source: string | null;
  last_digest: string | null;
  signer: string | null;
  event_count: number;
  attribute_count: number;
  last_import_id: number | null;
}

const SELECT_FEED = `
  SELECT f.id, f.config, f.last_imported_at, f.last_cached_at, f.cached_values, f.last_source, f.last_digest, f.signer,
    (SELECT count(*) FROM event e WHERE e.feed_id = f.id) AS event_count,
    (SELECT coalesce(sum(e.attribute_count), 0) FROM event e WHERE e.feed_id = f.id) AS attribute_count,
    (SELECT max(r.id) FROM import_run r WHERE r.feed_id = f.id) AS last_import_id
  FROM feed f`;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function toSummary(row: FeedRow): FeedSummary {
  return {
    id: row.id,
    settings: JSON.parse(row.config) as FeedSettings,
    status: {
      eventCount: row.event_count,
      attributeCount: row.attribute_count,
      cachedValues: row.cached_values,
      lastImportedAt: row.last_imported_at,
      lastCachedAt: row.last_cached_at,
      lastSource: row.last_source,
      lastImportId: row.last_import_id,
      lastDigest: row.last_digest,
      signer: row.signer,
    },
  };
}

function validate(settings: FeedSettings): Result<FeedSettings> {
  const checked = FeedSettingsSchema.safeParse(settings);
  if (checked.success) return success(checked.data);
  const first = checked.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  // Each problem also as an issue whose path is the field, so a form can put the message next to it.
  const issues = checked.error.issues.map((i) => issue('error', 'feed.invalid', i.path.join('.'), i.message));
  return failure('invalid-input', `feed "${settings.name}": ${where}${first?.message ?? 'invalid settings'}`, issues);
}

/** Feeds as read on a snapshot (a read connection, or the writer inside a step). */
export class FeedReads {
  constructor(protected readonly db: ReadHandle) {}

  list(): FeedSummary[] {
    return this.db.prepare<[], FeedRow>(`${SELECT_FEED} ORDER BY f.name COLLATE NOCASE`).all().map(toSummary);
  }

  get(id: number): Result<FeedSummary> {
    const row = this.db.prepare<[number], FeedRow>(`${SELECT_FEED} WHERE f.id = ?`).get(id);
    return row ? success(toSummary(row)) : failure('not-found', `no feed with id ${id}`);
  }

  findByName(name: string): FeedSummary | undefined {
    const row = this.db.prepare<[string], FeedRow>(`${SELECT_FEED} WHERE f.name = ? COLLATE NOCASE`).get(name);
    return row && toSummary(row);
  }

  findByUrl(url: string): FeedSummary | undefined {
    const row = this.db.prepare<[string], FeedRow>(`${SELECT_FEED} WHERE json_extract(f.config, '$.url') = ? LIMIT 1`).get(url);
    return row && toSummary(row);
  }

}

/** Feed writes; only inside a writer step (see db/writer.ts). */
export class FeedStore extends FeedReads {
  constructor(protected override readonly db: WriteHandle) {
    super(db);
  }

  add(init: NewFeedSettings): Result<FeedSummary> {
    const valid = validate(newFeedSettings({ ...init, id: null }));
    if (!valid.ok) return valid;
    if (this.findByName(valid.value.name)) return failure('conflict', `a feed named "${valid.value.name}" already exists`);
    const now = nowSeconds();
    const id = Number(
      this.db.prepare('INSERT INTO feed (config, created_at, updated_at) VALUES (?, ?, ?)').run(JSON.stringify(valid.value), now, now).lastInsertRowid,
    );
    return this.get(id);
  }

  edit(id: number, changes: Partial<FeedSettings>): Result<FeedSummary> {
    const current = this.get(id);
    if (!current.ok) return current;
    const valid = validate({ ...current.value.settings, ...changes, id: null });
    if (!valid.ok) return valid;
    const clash = this.findByName(valid.value.name);
    if (clash && clash.id !== id) return failure('conflict', `a feed named "${valid.value.name}" already exists`);
    this.db.prepare('UPDATE feed SET config = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(valid.value), nowSeconds(), id);
    return this.get(id);
  }

  /**
   * Removes the feed and its cache; its events stay as local events unless `deleteEvents`. The cache goes at once
   * for every reader, but cheaply: its sets (live, and any being built) are retired here and their rows deleted
   * afterwards in bounded steps (import/cache-cleanup.ts). `removedCacheValues` is the live set's size.
   */
  remove(id: number, deleteEvents: boolean): Result<{ removedEvents: number; removedCacheValues: number }> {
    const current = this.get(id);
    if (!current.ok) return current;
    return success(
      this.db.transaction(() => {
        const removedEvents = deleteEvents ? this.db.prepare('DELETE FROM event WHERE feed_id = ?').run(id).changes : 0;
        const removedCacheValues = this.db
          .prepare<[number], number>("SELECT coalesce(sum(value_count), 0) FROM cache_set WHERE feed_id = ? AND state = 'live'")
          .pluck()
          .get(id)!;
        this.db
          .prepare("UPDATE cache_set SET state = 'retired', updated_at = ?, owner_pid = NULL WHERE feed_id = ? AND state IN ('live', 'building')")
          .run(nowSeconds(), id);
        this.db.prepare('DELETE FROM feed WHERE id = ?').run(id);
        return { removedEvents, removedCacheValues };
      })(),
    );
  }

  /** The event a fixed-event freetext/CSV feed keeps adding to (MISP stores its id back into the feed). */
  setFixedEvent(id: number, eventId: number | null): void {
    this.db.prepare("UPDATE feed SET config = json_set(config, '$.eventId', ?) WHERE id = ?").run(eventId, id);
  }

  noteImport(id: number, source: string, at: number): void {
    this.db.prepare('UPDATE feed SET last_imported_at = ?, last_source = ? WHERE id = ?').run(at, source, id);
  }

  /** After a cache run: when and from where; the count is the live cache set's (the one readers see). */
  noteCache(id: number, source: string, at: number, values: number): void {
    this.db
      .prepare(
        `UPDATE feed SET last_cached_at = ?, last_source = ?,
           cached_values = coalesce((SELECT value_count FROM cache_set WHERE feed_id = feed.id AND state = 'live'), ?)
         WHERE id = ?`,
      )
      .run(at, source, values, id);
  }
}
