/**
 * The engine as one object: the library (one writer, read connections on committed snapshots) and the handlers for
 * every channel of the contract. The Electron utility process, the browser-mode host, the CLI and the tests all
 * build it the same way, so they all run the same code.
 */
import { openLibrary } from './db/open-library';
import { schemaVersion } from './db/migrate';
import { Reader } from './db/reader';
import { Writer, type WriteStep } from './db/writer';
import { startCacheCleanup } from './import/cache-cleanup';
import type { Changes } from './db/changes';
import type { ReadHandle } from './db/handles';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatch';
import { exportMetadata, importMetadata, readMetadataSource } from './feeds/feed-metadata-io';
import { FeedReads, FeedStore } from './db/queries/feed-store';
import { previewFeed, previewFeedAttributes, previewFeedEvent } from './feeds/preview';
import { getRunReport, listRuns } from './db/queries/import-runs';
import type { BulkLoadPolicy } from './import/bulk-load';
import { importFeed, type ImportEnvironment } from './import/import-feed';
import { failure, success, type Result } from './result';
import { DEFAULT_LIMITS, type SourceLimits } from './source/limits';
import { listEvents } from './db/queries/event-list';
import { readAttributePage, readEventPage } from './db/queries/event-page';
import { searchValue } from './db/queries/value-search';
import { ENGINE_VERSION } from './version';
import { countExport, exportFeed, exportHistory } from './export/export-feed';
import { verifyFeed } from './export/verify-feed';
import { profileRemove, profileRun, profileSave, profilesList } from './export/export-profiles';
import { keysExport, keysGenerate, keysImport, keysList, keysRemove } from './keys/manage-keys';
import { listKeys } from './db/queries/key-store';

export interface EngineOptions {
  readonly dbPath: string;
  /** A better-sqlite3 build for the running runtime when it is not Node's (the Electron utility process). */
  readonly sqliteBinding?: string;
  readonly limits?: SourceLimits;
  /** Whether fetch imports may stage new events and merge them in sorted steps (see import/bulk-load.ts). */
  readonly bulkLoad?: BulkLoadPolicy;
  /** How long a write waits for another process's lock before failing with `busy`. */
  readonly maxBusyMs?: number;
  /** How often to look for other processes' commits (ms; 0: never, e.g. a one-shot CLI command). */
  readonly watchMs?: number;
  /** Tests only: make an import step fail, to prove that only that step is undone. */
  readonly faults?: ImportEnvironment['faults'];
  readonly onInternalError?: (e: unknown) => void;
}

export interface Engine {
  readonly writer: Writer;
  readonly reader: Reader;
  readonly dbPath: string;
  readonly dispatcher: Dispatcher;
  /** A read on a committed snapshot (tests and tools that look at the library directly). */
  read<T>(fn: (db: ReadHandle) => T): T;
  /** Resolves once queued writes and background work (cache cleanup) have finished. */
  idle(): Promise<void>;
  close(): void;
}

/** Long imports run one at a time: a second one waits instead of interleaving its steps with the first. */
function serialised() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

function buildHandlers(writer: Writer, reader: Reader, options: EngineOptions): Handlers {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const exclusive = serialised();
  // Exports only read the library, so they run beside imports; but one at a time, as two into one place would race.
  const oneExport = serialised();
  const exportEnv = { dbPath: options.dbPath, sqliteBinding: options.sqliteBinding, writer };
  const env: ImportEnvironment = {
    writer, reader, dbPath: options.dbPath, sqliteBinding: options.sqliteBinding, limits, bulkLoad: options.bulkLoad ?? 'auto',
    ...(options.faults ? { faults: options.faults } : {}),
  };
  const read = <T>(fn: (db: ReadHandle) => Result<T>) => Promise.resolve(reader.read(fn));
  /** A feed write as one step; every feed change is announced as such. */
  const feedWrite = <T>(label: string, fn: (feeds: FeedStore, step: WriteStep) => Result<T>, changes: Changes = { feeds: true }) =>
    writer.write(label, (step) => {
      const result = fn(new FeedStore(step.db), step);
      if (result.ok) step.changed(changes);
      return result;
    });

  return {
    'app.info': async () => read((db) => success({ version: ENGINE_VERSION, dbPath: options.dbPath, schemaVersion: schemaVersion(db) })),
    'feeds.preview': async ({ source }) => previewFeed(source, limits),
    'feeds.previewEvent': async ({ source, uuid }) => previewFeedEvent(source, uuid, limits, options.sqliteBinding),
    'feeds.previewAttributes': async ({ source, uuid, ...page }) => previewFeedAttributes(source, uuid, page, limits, options.sqliteBinding),
    'feeds.list': () => read((db) => success(new FeedReads(db).list())),
    'feeds.get': ({ id }) => read((db) => new FeedReads(db).get(id)),
    'feeds.add': (settings) => feedWrite('feeds.add', (feeds) => feeds.add(settings)),
    'feeds.edit': ({ id, changes }) => feedWrite('feeds.edit', (feeds) => feeds.edit(id, changes)),
    'feeds.setEnabled': ({ id, enabled, cachingEnabled }) =>
      feedWrite('feeds.setEnabled', (feeds) =>
        feeds.edit(id, { ...(enabled !== undefined ? { enabled } : {}), ...(cachingEnabled !== undefined ? { cachingEnabled } : {}) }),
      ),
    'feeds.remove': ({ id, deleteEvents }) =>
      feedWrite('feeds.remove', (feeds) => feeds.remove(id, deleteEvents), { feeds: true, events: 'all', cache: true }),
    'feeds.exportMetadata': ({ ids }) => read((db) => exportMetadata(new FeedReads(db), ids)),
    'feeds.importMetadata': async (input) => {
      const text = await readMetadataSource(input);
      if (!text.ok) return text;
      return feedWrite('feeds.importMetadata', (feeds) => importMetadata(feeds, text.value.text, text.value.file, input.markDefault));
    },
    'feeds.import': (request, ctx) => exclusive(() => importFeed(env, request, ctx)),
    'imports.list': ({ limit, feedId }) => read((db) => success(listRuns(db, limit, feedId))),
    'imports.get': ({ id }) => read((db) => getRunReport(db, id)),
    'events.list': (request) => read((db) => success(listEvents(db, request))),
    'events.get': ({ uuid }) =>
      read((db) => {
        const page = readEventPage(db, uuid);
        return page ? success(page) : failure('not-found', `no event ${uuid} in the library`);
      }),
    'events.attributes': ({ uuid, ...page }) =>
      read((db) => {
        const found = readAttributePage(db, uuid, page);
        return found ? success(found) : failure('not-found', `no event ${uuid} in the library`);
      }),
    'search.value': ({ value }) => read((db) => success(searchValue(db, value))),
    'export.count': async (request) => countExport(exportEnv, request),
    'export.run': (request, ctx) =>
      oneExport(async () => {
        if (request.saveProfile) {
          const { target, filter, options: exportOptions, incremental } = request;
          const saved = await profileSave(writer, request.saveProfile, {
            target, filter, options: exportOptions, incremental, ...(request.sign ? { signKey: request.sign.key } : {}),
          });
          if (!saved.ok) return saved;
        }
        return exportFeed(exportEnv, { ...request, ...(request.saveProfile ? { profile: request.saveProfile } : {}) }, ctx);
      }),
    'export.history': ({ limit }) => read((db) => success(exportHistory(db, limit))),
    'export.profiles': () => read((db) => profilesList(db)),
    'export.saveProfile': ({ name, settings }) => profileSave(writer, name, settings),
    'export.removeProfile': ({ name }) => profileRemove(writer, name),
    'export.runProfile': (input, ctx) => oneExport(() => profileRun(exportEnv, reader, input, ctx)),
    'feeds.verify': ({ source }) => verifyFeed(source, limits, reader.read((db) => listKeys(db))),
    'keys.list': async () => keysList(reader),
    'keys.generate': (input) => keysGenerate(writer, input),
    'keys.import': (input) => keysImport(writer, input),
    'keys.export': async ({ key }) => keysExport(reader, key),
    'keys.remove': ({ key }) => keysRemove(writer, key),
  };
}

export function openEngine(options: EngineOptions): Result<Engine> {
  const opened = openLibrary(options.dbPath, options.sqliteBinding);
  if (!opened.ok) return opened;
  const db = opened.value;
  let reader: Reader;
  try {
    reader = new Reader(options.dbPath, options.sqliteBinding);
  } catch (e) {
    db.close();
    return failure('unavailable', `cannot open library ${options.dbPath} for reading: ${(e as Error).message}`);
  }
  const writer = new Writer(db, {
    ...(options.maxBusyMs !== undefined ? { maxBusyMs: options.maxBusyMs } : {}),
    ...(options.watchMs !== undefined ? { watchMs: options.watchMs } : {}),
  });
  const dispatcher = createDispatcher(buildHandlers(writer, reader, options), options.onInternalError);
  writer.subscribe((event) => dispatcher.broadcast(event));
  // Rows of replaced caches, and whatever a crashed run left, are deleted in the background, in steps.
  const cleanup = startCacheCleanup(writer, { dbPath: options.dbPath, sqliteBinding: options.sqliteBinding });
  let closed = false;
  return success({
    writer,
    reader,
    dbPath: options.dbPath,
    dispatcher,
    read: (fn) => reader.read(fn),
    idle: async () => {
      await cleanup.idle();
      await writer.idle();
    },
    close: () => {
      if (closed) return;
      closed = true;
      writer.close();
      reader.close();
      db.close();
    },
  });
}
