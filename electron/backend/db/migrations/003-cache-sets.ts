import type { Migration } from '../migration';

/**
 * Feed cache sets: a feed's cache is a set of rows that is built beside the live one and swapped in by one small
 * step (see import/cache-feed.ts), instead of one transaction that held the write lock for the whole run.
 *
 * - `cache_set`: one row per cache a feed has, is building, or had. `building` sets are filled in bounded steps and
 *   seen by nobody; the swap turns the feed's `live` set `retired` and the new one `live` in the same step; the rows
 *   of `retired` sets are deleted afterwards in bounded steps (import/cache-cleanup.ts). At most one live set per
 *   feed. `owner_pid` says which process builds a `building` set, so one left by a crash can be told from one that
 *   another process is still building. `first_row`/`last_row` bound the rowids of the set's rows in feed_cache
 *   (rows are appended in md5 order, so a set's rows are one run of rowids unless two processes build at once) and
 *   `value_count` counts them, so a feed's cached values are known without counting millions of rows.
 * - `feed_cache` rows point at their set, not at the feed, and nothing cascades: removing a feed only retires its
 *   sets (one small step) instead of deleting millions of rows in the same step. No foreign keys either: checking a
 *   parent on each of millions of inserts costs more than it proves, and every writer goes through cache-*.ts.
 * - `feed_cache_event` is keyed by (set, ref): refs are numbered per set while it is built, so a new set needs no
 *   ids from the library and never clashes with the live set's.
 * - The md5 index keeps its name and is never dropped: readers always have it.
 *
 * An existing library keeps its cache: each feed's rows become that feed's live set, with their rowids and event
 * references unchanged. That copies the cache once (tens of seconds for tens of millions of rows); a new library
 * has nothing to copy.
 */
export const migration003: Migration = {
  version: 3,
  name: 'cache-sets',
  up(db) {
    db.exec(`
      CREATE TABLE cache_set (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        feed_id     INTEGER NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('building', 'live', 'retired')),
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        owner_pid   INTEGER,
        value_count INTEGER NOT NULL DEFAULT 0,
        first_row   INTEGER,
        last_row    INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX cache_set_live ON cache_set (feed_id) WHERE state = 'live';

      DROP INDEX feed_cache_md5;
      DROP INDEX feed_cache_feed;
      ALTER TABLE feed_cache RENAME TO feed_cache_002;
      ALTER TABLE feed_cache_event RENAME TO feed_cache_event_002;

      CREATE TABLE feed_cache (
        md5       BLOB NOT NULL,
        set_id    INTEGER NOT NULL,
        event_ref INTEGER
      ) STRICT;

      CREATE TABLE feed_cache_event (
        set_id INTEGER NOT NULL,
        ref    INTEGER NOT NULL,
        uuid   TEXT NOT NULL,
        PRIMARY KEY (set_id, ref)
      ) STRICT, WITHOUT ROWID;

      INSERT INTO cache_set (feed_id, state, created_at, updated_at, value_count, first_row, last_row)
        SELECT c.feed_id, 'live', coalesce(f.last_cached_at, unixepoch()), unixepoch(), count(*), min(c.rowid), max(c.rowid)
        FROM feed_cache_002 c JOIN feed f ON f.id = c.feed_id
        GROUP BY c.feed_id ORDER BY c.feed_id;
      INSERT INTO feed_cache (rowid, md5, set_id, event_ref)
        SELECT c.rowid, c.md5, s.id, c.event_ref
        FROM feed_cache_002 c JOIN cache_set s ON s.feed_id = c.feed_id
        ORDER BY c.rowid;
      INSERT INTO feed_cache_event (set_id, ref, uuid)
        SELECT s.id, e.id, e.uuid FROM feed_cache_event_002 e JOIN cache_set s ON s.feed_id = e.feed_id;
      UPDATE feed SET cached_values = coalesce((SELECT s.value_count FROM cache_set s WHERE s.feed_id = feed.id), 0);

      DROP TABLE feed_cache_002;
      DROP TABLE feed_cache_event_002;
      -- Built once over the copied rows (sorting them beats inserting them one by one into the index).
      CREATE INDEX feed_cache_md5 ON feed_cache (md5);
    `);
  },
};
