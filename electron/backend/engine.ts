/**
 * The engine as one object: the library database and the handlers for every channel of the contract. The Electron
 * utility process, the browser-mode host, the CLI and the tests all build it the same way, so they all run the same
 * code.
 */
import { openLibrary, type Library } from './db/open-library';
import { schemaVersion } from './db/migrate';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatch';
import { previewFeed } from './feeds/preview';
import { success, type Result } from './result';
import { DEFAULT_LIMITS, type SourceLimits } from './source/limits';
import { ENGINE_VERSION } from './version';

export interface EngineOptions {
  readonly dbPath: string;
  /** A better-sqlite3 build for the running runtime when it is not Node's (the Electron utility process). */
  readonly sqliteBinding?: string;
  readonly limits?: SourceLimits;
  readonly onInternalError?: (e: unknown) => void;
}

export interface Engine {
  readonly db: Library;
  readonly dbPath: string;
  readonly dispatcher: Dispatcher;
  close(): void;
}

function buildHandlers(db: Library, options: EngineOptions): Handlers {
  const limits = options.limits ?? DEFAULT_LIMITS;
  return {
    'app.info': async () => success({ version: ENGINE_VERSION, dbPath: options.dbPath, schemaVersion: schemaVersion(db) }),
    'feeds.preview': async ({ source }) => previewFeed(source, limits),
  };
}

export function openEngine(options: EngineOptions): Result<Engine> {
  const opened = openLibrary(options.dbPath, options.sqliteBinding);
  if (!opened.ok) return opened;
  const db = opened.value;
  const dispatcher = createDispatcher(buildHandlers(db, options), options.onInternalError);
  return success({ db, dbPath: options.dbPath, dispatcher, close: () => db.close() });
}
