/**
 * Read connections: opened read-only, so SQLite itself refuses a write; each `read` runs in a deferred transaction
 * so all of its statements see one committed WAL snapshot, whatever the writer (or another process) commits
 * meanwhile. A read never sees a step that has not committed, nor an index that a step is rebuilding.
 */
import Database from 'better-sqlite3';
import { asReadHandle, type ReadHandle } from './handles';

export class Reader {
  private readonly db: Database.Database;
  private readonly handle: ReadHandle;
  private depth = 0;

  constructor(path: string, nativeBinding?: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    this.db.pragma('busy_timeout = 2000');
    this.db.pragma('cache_size = -32768');
    this.handle = asReadHandle(this.db);
  }

  read<T>(fn: (db: ReadHandle) => T): T {
    if (this.depth > 0) return fn(this.handle);
    this.depth++;
    this.db.exec('BEGIN');
    try {
      return fn(this.handle);
    } finally {
      this.depth--;
      if (this.db.inTransaction) this.db.exec('COMMIT');
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
