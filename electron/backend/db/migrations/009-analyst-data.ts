import type { Migration } from '../migration';

/**
 * MISP 2.5's analyst data (notes, opinions, relationships), kept so an event passed on through Ferry still carries
 * it. One row per record, with the item it hangs on (`holder_type`, `holder_uuid`) and its place among that item's
 * records; `body` is the record as the source wrote it (see shared/feed/analyst-data-reader.ts). Uuids are unique
 * library-wide, as in MISP.
 */
export const migration009: Migration = {
  version: 9,
  name: 'analyst-data',
  up(db) {
    db.exec(`
      CREATE TABLE analyst_data (
        id          INTEGER PRIMARY KEY,
        event_id    INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,
        uuid        TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL CHECK (kind IN ('Note', 'Opinion', 'Relationship')),
        holder_type TEXT NOT NULL CHECK (holder_type IN ('Event', 'Attribute', 'Object', 'EventReport')),
        holder_uuid TEXT NOT NULL,
        position    INTEGER NOT NULL,
        body        TEXT NOT NULL CHECK (json_valid(body))
      ) STRICT;
      CREATE INDEX analyst_data_event ON analyst_data (event_id);
    `);
  },
};
