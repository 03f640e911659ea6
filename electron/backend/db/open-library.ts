import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { failure, success, type Result } from '../result';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';

import type { WriteHandle } from './handles';

/** The write connection, as code that writes inside a writer step sees it. */
export type Library = WriteHandle;

/**
 * Open (creating if needed) the SQLite library file and migrate it. `nativeBinding` points at a better-sqlite3 build
 * for another runtime (Electron's ABI differs from Node's); by default the one in node_modules is used.
 */
/** The page size of a library Ferry creates (the bench's baseline uses it too, to compare like with like). */
export const LIBRARY_PAGE_SIZE = 16_384;
const CHECKPOINT_BYTES = 32 * 1024 * 1024;

/** The WAL size, in this library's pages, at which a commit checkpoints: 32 MiB whatever the page size. */
export function checkpointPages(db: Database.Database): number {
  return Math.max(1000, Math.round(CHECKPOINT_BYTES / (db.pragma('page_size', { simple: true }) as number)));
}

export function openLibrary(path: string, nativeBinding?: string): Result<Database.Database> {
  let db: Database.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, nativeBinding ? { nativeBinding } : {});
  } catch (e) {
    return failure('unavailable', `cannot open library ${path}: ${(e as Error).message}`);
  }
  // 16 KiB pages for a new library (an existing one keeps its own: changing it would take a VACUUM). An import's
  // merge steps write every page they touch to the WAL; with bigger pages the table appends take a quarter of the
  // writes, the random-order indexes are shallower, and a step of a large import measured a fifth faster.
  db.pragma(`page_size = ${LIBRARY_PAGE_SIZE}`);
  // WAL: readers (the UI's lists) are not blocked by a long import's writes.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Only while opening and migrating: afterwards the writer retries a taken lock from a timer (db/writer.ts).
  db.pragma('busy_timeout = 10000');
  // Imports insert into randomly ordered indexes (uuids, key hashes); a page cache that holds much of them avoids
  // re-reading pages. 64 MB: twice that measured no faster on the L benchmark and cost ~70 MB of peak memory.
  db.pragma('cache_size = -65536');
  // Steps commit often; checkpointing every 4 MB of WAL would fsync every few steps during an import.
  db.pragma(`wal_autocheckpoint = ${checkpointPages(db)}`);
  const migrated = migrate(db, MIGRATIONS);
  if (!migrated.ok) {
    db.close();
    return migrated;
  }
  return success(db);
}
