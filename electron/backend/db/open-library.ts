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
export function openLibrary(path: string, nativeBinding?: string): Result<Database.Database> {
  let db: Database.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, nativeBinding ? { nativeBinding } : {});
  } catch (e) {
    return failure('unavailable', `cannot open library ${path}: ${(e as Error).message}`);
  }
  // WAL: readers (the UI's lists) are not blocked by a long import's writes.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Only while opening and migrating: afterwards the writer retries a taken lock from a timer (db/writer.ts).
  db.pragma('busy_timeout = 10000');
  // Imports insert into randomly ordered indexes (uuids, values, keys); a page cache that holds much of them avoids
  // re-reading pages. 64 MB: twice that measured no faster on the L benchmark and cost ~70 MB of peak memory.
  db.pragma('cache_size = -65536');
  // Steps commit often; checkpointing every 4 MB of WAL would fsync every few steps during an import.
  db.pragma('wal_autocheckpoint = 8192');
  const migrated = migrate(db, MIGRATIONS);
  if (!migrated.ok) {
    db.close();
    return migrated;
  }
  return success(db);
}
