import type { Database } from 'better-sqlite3';
import { failure, success, type Result } from '../result';
import type { Migration } from './migration';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Bring the library up to the newest schema, one transaction per step so a failure leaves the file at the last
 * good version. A library written by a newer Ferry is refused rather than touched.
 */
export function migrate(db: Database, migrations: readonly Migration[]): Result<number> {
  const current = schemaVersion(db);
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    return failure('unavailable', `this library has schema ${current}, newer than this Ferry knows (${newest}); update Ferry`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    try {
      db.transaction(() => {
        m.up(db);
        db.pragma(`user_version = ${m.version}`);
      })();
    } catch (e) {
      return failure('internal', `migration ${m.version} (${m.name}) failed: ${(e as Error).message}`);
    }
  }
  return success(schemaVersion(db));
}
