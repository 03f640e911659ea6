/**
 * A long read on one committed snapshot, on a connection of its own: an export reads every event it writes from
 * the same moment of the library, however long it takes and whatever is written meanwhile, without holding the
 * shared Reader (whose other reads would then all see that old moment too).
 */
import Database from 'better-sqlite3';
import { asReadHandle, type ReadHandle } from './handles';

export class Snapshot {
  private readonly db: Database.Database;
  readonly handle: ReadHandle;

  constructor(path: string, nativeBinding?: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    try {
      this.db.pragma('busy_timeout = 2000');
      this.db.pragma('cache_size = -32768');
      // A deferred transaction takes its snapshot at the first read: make that read now.
      this.db.exec('BEGIN');
      this.db.prepare('SELECT count(*) FROM event').pluck().get();
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.handle = asReadHandle(this.db);
  }

  close(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.db.close();
  }
}
