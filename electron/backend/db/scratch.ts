/**
 * Scratch databases: SQLite files (or private temporary databases) with the library's schema that nobody else
 * reads — a bulk load's staging file, a previewed event. Durability does not matter for them (a crash leaves only
 * a file to delete), speed does.
 */
import Database from 'better-sqlite3';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';

/** Indexes a bulk load's staging file goes without: they are grown at random and nobody looks anything up by them. */
const STAGING_DROPPED_INDEXES = ['attribute_uuid', 'correlation_key_hash'] as const;

function configure(db: Database.Database, journal: 'WAL' | 'OFF'): void {
  db.pragma(`journal_mode = ${journal}`);
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -16384');
}

/**
 * Creates a bulk load's staging file at `path` (replacing any): the library's schema without its random-order
 * indexes, and a `part_of` column on events (see import/bulk-stage.ts). Throws what SQLite throws; the caller
 * removes the file then.
 */
export function createStagingFile(path: string, nativeBinding?: string): Database.Database {
  const db = new Database(path, nativeBinding ? { nativeBinding } : {});
  try {
    // WAL, so that the merge (another connection, maybe another thread) reads staged events while more are staged.
    configure(db, 'WAL');
    const migrated = migrate(db, MIGRATIONS);
    if (!migrated.ok) throw new Error(migrated.error.message);
    for (const name of STAGING_DROPPED_INDEXES) db.exec(`DROP INDEX IF EXISTS ${name}`);
    // The parts of a large event point at its first part.
    db.exec('ALTER TABLE event ADD COLUMN part_of INTEGER');
    // An attribute whose only key is its own value has that key's hash here instead of a correlation_key row.
    db.exec('ALTER TABLE attribute ADD COLUMN key_hash INTEGER');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** The stager's own connection to a staging file made by createStagingFile, with the statements it needs besides EventStore's. */
export interface StagingWriter {
  readonly db: Database.Database;
  readonly eventId: Database.Statement<[string], number>;
  readonly markPart: Database.Statement<[number, number]>;
}

export function openStagingWriter(path: string, nativeBinding?: string): StagingWriter {
  const db = new Database(path, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  configure(db, 'WAL');
  return {
    db,
    eventId: db.prepare<[string], number>('SELECT id FROM event WHERE uuid = ?').pluck(),
    markPart: db.prepare<[number, number]>('UPDATE event SET part_of = ? WHERE id = ?'),
  };
}

/** A private temporary database ('' : deleted when closed) at the library's schema; throws what SQLite throws. */
export function openPrivateScratch(nativeBinding?: string): Database.Database {
  const db = new Database('', nativeBinding ? { nativeBinding } : {});
  try {
    configure(db, 'OFF');
    const migrated = migrate(db, MIGRATIONS);
    if (!migrated.ok) throw new Error(migrated.error.message);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
