import type { Migration } from '../migration';
import { KEY_HASH_FUNCTION, keyHash } from '../queries/correlation-key';

/**
 * correlation_key indexed by a hash of the key instead of its text (see db/queries/correlation-key.ts).
 *
 * The table is rebuilt rather than altered so that `hash` is NOT NULL without a default: a writer that forgets
 * it fails at once instead of storing rows no lookup finds.
 */
export const migration006: Migration = {
  version: 6,
  name: 'key-index-by-hash',
  up(db) {
    db.function(KEY_HASH_FUNCTION, { deterministic: true }, (key: unknown) => keyHash(String(key)));
    db.exec(`
      CREATE TABLE correlation_key_by_hash (
        key          TEXT NOT NULL,
        hash         INTEGER NOT NULL,
        attribute_id INTEGER NOT NULL,
        event_id     INTEGER NOT NULL
      ) STRICT;
      INSERT INTO correlation_key_by_hash (key, hash, attribute_id, event_id)
        SELECT key, ${KEY_HASH_FUNCTION}(key), attribute_id, event_id FROM correlation_key ORDER BY rowid;
      DROP TRIGGER attribute_drops_keys;
      DROP TABLE correlation_key;
      ALTER TABLE correlation_key_by_hash RENAME TO correlation_key;
      CREATE INDEX correlation_key_hash ON correlation_key (hash);
      CREATE INDEX correlation_key_attribute ON correlation_key (attribute_id);
      CREATE TRIGGER attribute_drops_keys AFTER DELETE ON attribute BEGIN
        DELETE FROM correlation_key WHERE attribute_id = old.id;
      END;
    `);
  },
};
