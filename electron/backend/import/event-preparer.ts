/**
 * Where events are prepared: on this thread, or on a worker thread for large imports so that preparing the next
 * events overlaps with writing the current one. If the worker cannot start or dies, the events it was given are
 * prepared here instead: a broken worker slows an import down, it never loses an event.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CompiledEventFilter } from '../../../shared/feed/filters';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import { prepareEventText, type EntryRef, type ImportItem, type PreparedEvent } from './prepare-event';
import type { ParseRequest, ParseResponse } from './parse-worker';

export interface EventPreparer {
  prepare(entry: EntryRef, fileName: string, bytes: Buffer): Promise<ImportItem | PreparedEvent>;
  close(): Promise<void>;
}

const decoder = new TextDecoder('utf-8');

export function inThreadPreparer(feed: FeedSettings, rules: CompiledEventFilter): EventPreparer {
  return {
    prepare: async (entry, fileName, bytes) => prepareEventText(entry, fileName, decoder.decode(bytes), feed, rules),
    close: async () => {},
  };
}

/** From sources the worker is started through tsx; bundled (Electron), it is a sibling file of the bundle. */
function workerEntry(): string {
  return __filename.endsWith('.ts') ? join(__dirname, 'parse-worker-entry.cjs') : join(__dirname, 'parse-worker.js');
}

export function workerPreparer(feed: FeedSettings, rules: CompiledEventFilter, entry = workerEntry()): EventPreparer {
  const local = inThreadPreparer(feed, rules);
  const pending = new Map<number, { entry: EntryRef; fileName: string; bytes: Buffer; resolve: (r: ImportItem | PreparedEvent) => void }>();
  let nextId = 1;
  let worker: Worker | null = new Worker(entry, { workerData: { feed } });

  const fallBack = () => {
    worker = null;
    for (const [id, p] of pending) {
      pending.delete(id);
      void local.prepare(p.entry, p.fileName, p.bytes).then(p.resolve);
    }
  };
  worker.on('message', (m: ParseResponse) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    p?.resolve(JSON.parse(m.json) as ImportItem | PreparedEvent);
  });
  worker.on('error', fallBack);
  worker.on('exit', fallBack);

  return {
    prepare(entry, fileName, bytes) {
      if (!worker) return local.prepare(entry, fileName, bytes);
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { entry, fileName, bytes, resolve });
        // Copied, not transferred: the bytes are kept until the answer, in case the worker dies meanwhile.
        worker!.postMessage({ id, uuid: entry.uuid, info: entry.info, fileName, bytes } satisfies ParseRequest);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) {
        w.removeAllListeners('exit');
        await w.terminate();
      }
    },
  };
}
