import type { Migration } from '../migration';

/**
 * The library: feeds, events with everything MISP feeds carry, where each came from, the correlation index, the feed
 * cache and the import log.
 *
 * Choices worth knowing:
 * - A feed's settings are one JSON document (`config`, the zod-checked FeedSettings), with generated columns for
 *   what SQL filters on, so there is one source of truth and nothing to keep in step.
 * - uuids are globally unique, as in MISP: an attribute uuid seen in another event is refused on import.
 * - Correlation is an index of normalised keys → attribute (not a table of pairs), see architecture.md.
 * - The feed cache stores md5 digests as 16-byte blobs and feed event uuids once per feed (feed_cache_event), so a
 *   13-million-line hashes.csv stays a few hundred MB.
 */
export const migration002: Migration = {
  version: 2,
  name: 'library',
  up(db) {
    db.exec(`
      CREATE TABLE feed (
        id               INTEGER PRIMARY KEY,
        config           TEXT NOT NULL CHECK (json_valid(config)),
        name             TEXT GENERATED ALWAYS AS (json_extract(config, '$.name')) VIRTUAL,
        source_format    TEXT GENERATED ALWAYS AS (json_extract(config, '$.sourceFormat')) VIRTUAL,
        enabled          INTEGER GENERATED ALWAYS AS (json_extract(config, '$.enabled')) VIRTUAL,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        last_imported_at INTEGER,
        last_cached_at   INTEGER,
        cached_values    INTEGER NOT NULL DEFAULT 0,
        last_source      TEXT,
        last_digest      TEXT,
        signer           TEXT
      ) STRICT;
      CREATE UNIQUE INDEX feed_name ON feed (name COLLATE NOCASE);

      CREATE TABLE import_run (
        id          INTEGER PRIMARY KEY,
        feed_id     INTEGER REFERENCES feed (id) ON DELETE SET NULL,
        source      TEXT NOT NULL,
        source_kind TEXT NOT NULL,
        mode        TEXT NOT NULL CHECK (mode IN ('fetch', 'cache')),
        started_at  INTEGER NOT NULL,
        finished_at INTEGER,
        status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
        report      TEXT CHECK (report IS NULL OR json_valid(report))
      ) STRICT;

      CREATE TABLE tag (
        id     INTEGER PRIMARY KEY,
        name   TEXT NOT NULL,
        colour TEXT,
        exportable INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      CREATE UNIQUE INDEX tag_name ON tag (name COLLATE NOCASE);

      CREATE TABLE event (
        id                INTEGER PRIMARY KEY,
        uuid              TEXT NOT NULL UNIQUE,
        feed_id           INTEGER REFERENCES feed (id) ON DELETE SET NULL,
        import_id         INTEGER REFERENCES import_run (id) ON DELETE SET NULL,
        info              TEXT NOT NULL,
        date              TEXT NOT NULL,
        timestamp         INTEGER NOT NULL,
        publish_timestamp INTEGER NOT NULL DEFAULT 0,
        published         INTEGER NOT NULL DEFAULT 0,
        analysis          INTEGER NOT NULL DEFAULT 0,
        threat_level_id   INTEGER NOT NULL DEFAULT 4,
        distribution      INTEGER,
        sharing_group_id  INTEGER,
        orgc_name         TEXT,
        orgc_uuid         TEXT,
        attribute_count   INTEGER NOT NULL DEFAULT 0,
        object_count      INTEGER NOT NULL DEFAULT 0,
        locally_edited    INTEGER NOT NULL DEFAULT 0,
        -- the rest of what the source carried (extends, protected, org, reports' absence…), for faithful export
        extra             TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra))
      ) STRICT;
      CREATE INDEX event_feed ON event (feed_id);
      CREATE INDEX event_date ON event (date DESC, timestamp DESC);

      CREATE TABLE event_tag (
        event_id INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,
        tag_id   INTEGER NOT NULL REFERENCES tag (id),
        local    INTEGER NOT NULL DEFAULT 0,
        relationship_type TEXT,
        PRIMARY KEY (event_id, tag_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX event_tag_tag ON event_tag (tag_id);

      CREATE TABLE object (
        id               INTEGER PRIMARY KEY,
        event_id         INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,
        uuid             TEXT NOT NULL UNIQUE,
        name             TEXT NOT NULL,
        meta_category    TEXT NOT NULL DEFAULT '',
        description      TEXT NOT NULL DEFAULT '',
        template_uuid    TEXT NOT NULL DEFAULT '',
        template_version INTEGER NOT NULL DEFAULT 0,
        comment          TEXT NOT NULL DEFAULT '',
        timestamp        INTEGER NOT NULL,
        distribution     INTEGER,
        sharing_group_id INTEGER,
        first_seen       TEXT,
        last_seen        TEXT,
        deleted          INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX object_event ON object (event_id);

      CREATE TABLE object_reference (
        id               INTEGER PRIMARY KEY,
        object_id        INTEGER NOT NULL REFERENCES object (id) ON DELETE CASCADE,
        uuid             TEXT NOT NULL UNIQUE,
        referenced_uuid  TEXT NOT NULL,
        relationship_type TEXT NOT NULL,
        comment          TEXT NOT NULL DEFAULT '',
        timestamp        INTEGER NOT NULL,
        deleted          INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX object_reference_object ON object_reference (object_id);

      CREATE TABLE attribute (
        id                  INTEGER PRIMARY KEY,
        event_id            INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,
        object_id           INTEGER REFERENCES object (id) ON DELETE CASCADE,
        uuid                TEXT NOT NULL,
        type                TEXT NOT NULL,
        category            TEXT NOT NULL,
        value               TEXT NOT NULL,
        to_ids              INTEGER NOT NULL,
        comment             TEXT NOT NULL DEFAULT '',
        timestamp           INTEGER NOT NULL,
        distribution        INTEGER,
        sharing_group_id    INTEGER,
        object_relation     TEXT,
        first_seen          TEXT,
        last_seen           TEXT,
        deleted             INTEGER NOT NULL DEFAULT 0,
        disable_correlation INTEGER NOT NULL DEFAULT 0,
        data                TEXT,
        -- 1 when the value itself is the attribute's one correlation key (most attributes: values are stored
        -- normalised); other keys (composite halves…) live in correlation_key.
        correlates          INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX attribute_event ON attribute (event_id);
      -- Named (not a column constraint) so a bulk import can drop it and rebuild it sorted, which is far cheaper
      -- than a million random inserts; see import/bulk-load.ts.
      CREATE UNIQUE INDEX attribute_uuid ON attribute (uuid);
      CREATE INDEX attribute_value_key ON attribute (value) WHERE correlates = 1;

      CREATE TABLE attribute_tag (
        attribute_id INTEGER NOT NULL REFERENCES attribute (id) ON DELETE CASCADE,
        tag_id       INTEGER NOT NULL REFERENCES tag (id),
        local        INTEGER NOT NULL DEFAULT 0,
        relationship_type TEXT,
        PRIMARY KEY (attribute_id, tag_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE event_report (
        id           INTEGER PRIMARY KEY,
        event_id     INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,
        uuid         TEXT NOT NULL UNIQUE,
        name         TEXT NOT NULL,
        content      TEXT NOT NULL,
        timestamp    INTEGER NOT NULL,
        distribution INTEGER,
        sharing_group_id INTEGER,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX event_report_event ON event_report (event_id);

      -- Correlation is an index of normalised keys (shared/misp correlationKeys) → attribute: attribute_value_key
      -- for attributes whose key is their value, this table for the rest (each half of a composite value…).
      -- The key index is separate from the rows so a bulk import can rebuild it sorted.
      -- No foreign key: checking one on each of millions of inserts costs more than the trigger below, which
      -- removes an attribute's keys when the attribute goes (also through the event's cascade).
      CREATE TABLE correlation_key (
        key          TEXT NOT NULL,
        attribute_id INTEGER NOT NULL,
        event_id     INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX correlation_key_key ON correlation_key (key);
      CREATE INDEX correlation_key_attribute ON correlation_key (attribute_id);
      CREATE TRIGGER attribute_drops_keys AFTER DELETE ON attribute BEGIN
        DELETE FROM correlation_key WHERE attribute_id = old.id;
      END;

      CREATE TABLE feed_cache_event (
        id      INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feed (id) ON DELETE CASCADE,
        uuid    TEXT NOT NULL,
        UNIQUE (feed_id, uuid)
      ) STRICT;

      -- md5 of each correlating value of a cached feed (from hashes.csv, or from the events when it is missing).
      CREATE TABLE feed_cache (
        md5      BLOB NOT NULL,
        feed_id  INTEGER NOT NULL REFERENCES feed (id) ON DELETE CASCADE,
        event_ref INTEGER REFERENCES feed_cache_event (id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX feed_cache_md5 ON feed_cache (md5);
      CREATE INDEX feed_cache_feed ON feed_cache (feed_id);
    `);
  },
};
