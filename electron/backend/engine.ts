/**
 * The engine as one object: the library database and the handlers for every channel of the contract. The Electron
 * utility process, the browser-mode host, the CLI and the tests all build it the same way, so they all run the same
 * code.
 */
import { openLibrary, type Library } from './db/open-library';
import { schemaVersion } from './db/migrate';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatch';
import { exportMetadata, importMetadata, readMetadataSource } from './feeds/feed-metadata-io';
import { FeedStore } from './feeds/feed-store';
import { previewFeed, previewFeedEvent } from './feeds/preview';
import { getRunReport, listRuns } from './import/import-log';
import type { BulkLoadPolicy } from './import/bulk-load';
import { importFeed } from './import/import-feed';
import { failure, success, type Result } from './result';
import { DEFAULT_LIMITS, type SourceLimits } from './source/limits';
import { loadEvent } from './store/event-load';
import { listEvents } from './store/event-list';
import { eventToView } from './store/event-view';
import { searchValue } from './store/value-search';
import { ENGINE_VERSION } from './version';

export interface EngineOptions {
  readonly dbPath: string;
  /** A better-sqlite3 build for the running runtime when it is not Node's (the Electron utility process). */
  readonly sqliteBinding?: string;
  readonly limits?: SourceLimits;
  /** Whether fetch imports may rebuild indexes instead of inserting into them (see import/bulk-load.ts). */
  readonly bulkLoad?: BulkLoadPolicy;
  readonly onInternalError?: (e: unknown) => void;
}

export interface Engine {
  readonly db: Library;
  readonly dbPath: string;
  readonly dispatcher: Dispatcher;
  close(): void;
}

/** Long writes (import, cache) run one at a time: a second one waits instead of interleaving with the first. */
function serialised() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

function buildHandlers(db: Library, options: EngineOptions): Handlers {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const feeds = new FeedStore(db);
  const exclusive = serialised();
  const env = { db, dbPath: options.dbPath, sqliteBinding: options.sqliteBinding, limits, bulkLoad: options.bulkLoad ?? 'auto' };
  const sync = <T>(result: Result<T>) => Promise.resolve(result);

  return {
    'app.info': async () => success({ version: ENGINE_VERSION, dbPath: options.dbPath, schemaVersion: schemaVersion(db) }),
    'feeds.preview': async ({ source }) => previewFeed(source, limits),
    'feeds.previewEvent': async ({ source, uuid }) => previewFeedEvent(source, uuid, limits),
    'feeds.list': async () => success(feeds.list()),
    'feeds.get': ({ id }) => sync(feeds.get(id)),
    'feeds.add': (settings) => sync(feeds.add(settings)),
    'feeds.edit': ({ id, changes }) => sync(feeds.edit(id, changes)),
    'feeds.setEnabled': ({ id, enabled, cachingEnabled }) =>
      sync(feeds.edit(id, { ...(enabled !== undefined ? { enabled } : {}), ...(cachingEnabled !== undefined ? { cachingEnabled } : {}) })),
    'feeds.remove': ({ id, deleteEvents }) => sync(feeds.remove(id, deleteEvents)),
    'feeds.exportMetadata': ({ ids }) => sync(exportMetadata(feeds, ids)),
    'feeds.importMetadata': async (input) => {
      const text = await readMetadataSource(input);
      return text.ok ? importMetadata(feeds, text.value.text, text.value.file, input.markDefault) : text;
    },
    'feeds.import': (request, ctx) => exclusive(() => importFeed(env, request, ctx)),
    'imports.list': async ({ limit, feedId }) => success(listRuns(db, limit, feedId)),
    'imports.get': ({ id }) => sync(getRunReport(db, id)),
    'events.list': async (request) => success(listEvents(db, request)),
    'events.get': async ({ uuid }) => {
      const loaded = loadEvent(db, uuid);
      return loaded ? success(eventToView(loaded.event, loaded.meta)) : failure('not-found', `no event ${uuid} in the library`);
    },
    'search.value': async ({ value }) => success(searchValue(db, value)),
  };
}

export function openEngine(options: EngineOptions): Result<Engine> {
  const opened = openLibrary(options.dbPath, options.sqliteBinding);
  if (!opened.ok) return opened;
  const db = opened.value;
  const dispatcher = createDispatcher(buildHandlers(db, options), options.onInternalError);
  return success({ db, dbPath: options.dbPath, dispatcher, close: () => db.close() });
}
