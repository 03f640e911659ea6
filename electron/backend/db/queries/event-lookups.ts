/** Small lookups of stored events by key, for code that only needs to know what is there. */
import type { ReadHandle, WriteHandle } from '../handles';

/** The stored timestamp of each event uuid asked for (undefined: not in the library), with one prepared statement. */
export function storedTimestamps(db: ReadHandle, uuids: readonly string[]): Map<string, number | undefined> {
  const state = db.prepare<[string], { timestamp: number }>('SELECT timestamp FROM event WHERE uuid = ?');
  return new Map(uuids.map((uuid) => [uuid, state.get(uuid)?.timestamp]));
}

/** The uuid of the event with library id `id`, if there is one. */
export function eventUuidById(db: ReadHandle | WriteHandle, id: number): string | undefined {
  return db.prepare<[number], string>('SELECT uuid FROM event WHERE id = ?').pluck().get(id);
}
