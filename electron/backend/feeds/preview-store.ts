/**
 * A previewed event — read from a feed folder or zip, never stored in the library — copied into a private scratch
 * database of the library's own schema, so that the paged event view (db/queries/event-page.ts) serves it with the same
 * queries, orders, filters and answer shapes as a stored event. The preview pane then has one contract.
 *
 * Why not keep the parsed event in memory and page it in JavaScript: a 100 MB event is ~1 GB of JS objects; the
 * scratch database (SQLite's private temporary database: pages beyond its small cache spill to an unlinked temp
 * file) holds it in a few tens of MB, and sorting and filtering are SQL like everywhere else. Why not re-read the
 * file for each page: parsing 100 MB takes seconds.
 *
 * `feeds.previewEvent` always reads the file afresh (it is the "open" action) and replaces what was loaded for that
 * source and uuid; `feeds.previewAttributes` pages what was loaded, reading the file again only if it was evicted
 * (the engine keeps the last two previewed events). Pages always match the header the pane shows.
 */
import type Database from 'better-sqlite3';
import { issue, type Issue } from '../../../shared/feed/issues';
import type { Event } from '../../../shared/model/event';
import { asReadHandle, asWriteHandle, type ReadHandle } from '../db/handles';
import { openPrivateScratch } from '../db/scratch';
import { failure, success, type Result } from '../result';
import { EventStore } from '../db/queries/event-store';

export interface LoadedPreview {
  readonly db: ReadHandle;
  /** The event's own uuid (the file's name is what the caller asked by). */
  readonly uuid: string;
  readonly issues: readonly Issue[];
}

interface Entry extends LoadedPreview {
  readonly connection: Database.Database;
}

/** Previewed events kept loaded (per process), least recently used first. */
const MAX_LOADED = 2;
const loaded = new Map<string, Entry>();

const keyOf = (source: string, uuid: string) => `${source}\u0000${uuid.toLowerCase()}`;

function close(entry: Entry): void {
  if (entry.connection.open) entry.connection.close();
}

/** A preview loaded earlier for this source and event, if it is still kept. */
export function findPreview(source: string, uuid: string): LoadedPreview | undefined {
  const key = keyOf(source, uuid);
  const entry = loaded.get(key);
  if (!entry) return undefined;
  loaded.delete(key);
  loaded.set(key, entry);
  return entry;
}

/** Copy a parsed event into a fresh scratch database and keep it for paging; replaces an earlier load of it. */
export function loadPreview(source: string, requestedUuid: string, event: Event, issues: readonly Issue[], nativeBinding?: string): Result<LoadedPreview> {
  let connection: Database.Database;
  try {
    connection = openPrivateScratch(nativeBinding);
  } catch (e) {
    return failure('unavailable', `cannot open a scratch database for the preview: ${(e as Error).message}`);
  }
  try {
    const store = new EventStore(asWriteHandle(connection));
    // Nothing correlates in a preview: skip the correlation keys.
    const written = connection.transaction(() => {
      const counts = store.insert({ ...event, disableCorrelation: true }, { feedId: null, importId: null });
      store.flushKeys();
      return counts;
    })();
    const all = [...issues];
    if (written.droppedUuids.length > 0) {
      all.push(
        issue(
          'warning',
          'event.duplicate-uuid',
          `${event.uuid}.json`,
          `${written.droppedUuids.length} item(s) repeat a uuid already used in this event (${written.droppedUuids.slice(0, 3).join(', ')}…); each is shown once, as an import would store it`,
        ),
      );
    }
    const entry: Entry = { connection, db: asReadHandle(connection), uuid: event.uuid, issues: all };
    const key = keyOf(source, requestedUuid);
    const previous = loaded.get(key);
    if (previous) close(previous);
    loaded.delete(key);
    loaded.set(key, entry);
    while (loaded.size > MAX_LOADED) {
      const [oldest, old] = loaded.entries().next().value as [string, Entry];
      loaded.delete(oldest);
      close(old);
    }
    return success(entry);
  } catch (e) {
    connection.close();
    return failure('internal', `cannot load the previewed event: ${(e as Error).message}`);
  }
}

/** Tests and shutdown: close every scratch database. */
export function closePreviews(): void {
  for (const entry of loaded.values()) close(entry);
  loaded.clear();
}
