/**
 * The small steps of a cache set's life (schema: db/migrations/003-cache-sets.ts), run on the writer's connection:
 * start building a set, swap it in, give it up, and find the sets whose rows are to be deleted. Filling a set and
 * deleting its rows are the big, bounded steps in cache-stage.ts.
 */
import { resolve } from 'node:path';
import type { WriteHandle } from '../handles';
import { failure, success, type Result } from '../../result';
import { isProcessAlive } from '../../process-alive';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Sets this process is building, by library file and set id: a `building` set owned by this process but not listed
 * here was left by an engine that failed to give it up, and is as dead as one whose process is gone.
 */
const building = new Set<string>();
const key = (dbPath: string, setId: number) => `${resolve(dbPath)}#${setId}`;

export function markBuilding(dbPath: string, setId: number, active: boolean): void {
  if (active) building.add(key(dbPath, setId));
  else building.delete(key(dbPath, setId));
}

/** The scratch file a set is staged in: next to the library, so a crash's leftover is found from the set alone. */
export function stagingPath(dbPath: string, setId: number): string {
  return `${resolve(dbPath)}.cache-${setId}.staging`;
}

/** A new `building` set for the feed, owned by this process. */
export function beginSet(db: WriteHandle, dbPath: string, feedId: number): Result<number> {
  const feed = db.prepare<[number], number>('SELECT id FROM feed WHERE id = ?').pluck().get(feedId);
  if (feed === undefined) return failure('not-found', `no feed with id ${feedId}`);
  const now = nowSeconds();
  const id = Number(
    db
      .prepare("INSERT INTO cache_set (feed_id, state, created_at, updated_at, owner_pid) VALUES (?, 'building', ?, ?, ?)")
      .run(feedId, now, now, process.pid).lastInsertRowid,
  );
  markBuilding(dbPath, id, true);
  return success(id);
}

/**
 * The swap: the feed's live set (if any) becomes retired and this one live, in one small step; the feed's count of
 * cached values follows. Refused when the set is no longer building (the feed was removed meanwhile).
 */
export function swapSet(db: WriteHandle, feedId: number, setId: number): Result<{ values: number }> {
  const set = db.prepare<[number], { state: string; feed_id: number; value_count: number }>('SELECT state, feed_id, value_count FROM cache_set WHERE id = ?').get(setId);
  const feed = db.prepare<[number], number>('SELECT id FROM feed WHERE id = ?').pluck().get(feedId);
  if (!set || set.state !== 'building' || set.feed_id !== feedId || feed === undefined) {
    return failure('cancelled', `feed ${feedId} was removed while it was being cached; nothing was kept`);
  }
  const now = nowSeconds();
  db.prepare("UPDATE cache_set SET state = 'retired', updated_at = ? WHERE feed_id = ? AND state = 'live'").run(now, feedId);
  db.prepare("UPDATE cache_set SET state = 'live', updated_at = ?, owner_pid = NULL WHERE id = ?").run(now, setId);
  db.prepare('UPDATE feed SET cached_values = ? WHERE id = ?').run(set.value_count, feedId);
  return success({ values: set.value_count });
}

/** Give up a set being built: its rows (if any) are left to the cleanup. */
export function retireSet(db: WriteHandle, setId: number): void {
  db.prepare("UPDATE cache_set SET state = 'retired', updated_at = ?, owner_pid = NULL WHERE id = ? AND state = 'building'").run(nowSeconds(), setId);
}

/** How long a building set may go without a merge step before it counts as abandoned, whoever owns it. */
const STALE_SECONDS = 24 * 3600;


/**
 * Retires the building sets nobody is building any more (their process is gone, or it is this one and it forgot
 * them, or they have not moved for a day) and lists every retired set, oldest first, with the staging files of the
 * sets it retired (to delete once the step has committed).
 */
export function findLeftovers(db: WriteHandle, dbPath: string): { retired: number[]; staging: string[] } {
  const now = nowSeconds();
  const staging: string[] = [];
  const builds = db.prepare<[], { id: number; owner_pid: number | null; updated_at: number }>("SELECT id, owner_pid, updated_at FROM cache_set WHERE state = 'building'").all();
  for (const b of builds) {
    const mine = b.owner_pid === process.pid;
    const alive = mine ? building.has(key(dbPath, b.id)) : b.owner_pid !== null && isProcessAlive(b.owner_pid);
    if (alive && now - b.updated_at < STALE_SECONDS) continue;
    retireSet(db, b.id);
    staging.push(stagingPath(dbPath, b.id));
  }
  const retired = db.prepare<[], number>("SELECT id FROM cache_set WHERE state = 'retired' ORDER BY id").pluck().all();
  return { retired, staging };
}
