/** Whether a SQLite error means "another connection holds the lock": the step is retried, not failed. */
export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

/**
 * `work` in one BEGIN IMMEDIATE … COMMIT on `db`, for a connection driven in steps from another thread: 'busy' at
 * once when another connection holds the write lock (the caller retries), rolled back when `work` throws.
 */
export function inImmediateTransaction<T>(db: { exec(sql: string): unknown; readonly inTransaction: boolean }, work: () => T): T | 'busy' {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (e) {
    if (isBusy(e)) return 'busy';
    throw e;
  }
  try {
    const value = work();
    db.exec('COMMIT');
    return value;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}
