import type { Migration } from '../migration';

/**
 * OpenPGP keys (own signing keys, trusted producers' public keys), export profiles and the export history.
 *
 * A private key is stored only as OpenPGP armours it after encrypting it with its passphrase (S2K), so the library
 * file alone does not give a signing key away. Fingerprints are lower-case hex, the key's identity everywhere.
 */
export const migration007: Migration = {
  version: 7,
  name: 'keys-and-exports',
  up(db) {
    db.exec(`
      CREATE TABLE pgp_key (
        fingerprint     TEXT PRIMARY KEY NOT NULL CHECK (fingerprint GLOB '[0-9a-f]*' AND length(fingerprint) >= 32),
        kind            TEXT NOT NULL CHECK (kind IN ('own', 'trusted')),
        user_ids        TEXT NOT NULL CHECK (json_valid(user_ids)),
        algorithm       TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        added_at        INTEGER NOT NULL,
        public_armored  TEXT NOT NULL,
        private_armored TEXT,
        CHECK ((kind = 'own') = (private_armored IS NOT NULL))
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE export_profile (
        name       TEXT PRIMARY KEY NOT NULL COLLATE NOCASE,
        settings   TEXT NOT NULL CHECK (json_valid(settings)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE export_run (
        id          INTEGER PRIMARY KEY,
        profile     TEXT,
        target      TEXT NOT NULL,
        format      TEXT NOT NULL CHECK (format IN ('folder', 'zip')),
        started_at  INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        report      TEXT NOT NULL CHECK (json_valid(report))
      ) STRICT;
      CREATE INDEX export_run_target ON export_run (target, id);
    `);
  },
};
