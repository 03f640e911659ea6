/**
 * Where events are prepared: on this thread, or on a worker thread for large imports so that preparing the next
 * events overlaps with writing the current one. If the worker cannot start or dies, the events it was given are
 * prepared here instead: a broken worker slows an import down, it never loses an event.
 */
import { existsSync } from 'node:fs';
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

/**
 * From sources the worker is started through tsx; bundled, it is parse-worker.js next to the bundle this code is in
 * (out/main/ for the app, out/cli/ for the command line, see bin/cli-build.cjs) or one level up if the bundler moved
 * this code into a chunk folder.
 */
function workerEntry(): string {
  if (__filename.endsWith('.ts')) return join(__dirname, 'parse-worker-entry.cjs');
  const candidates = [join(__dirname, 'parse-worker.js'), join(__dirname, '..', 'parse-worker.js')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

interface Pending {
  readonly entry: EntryRef;
  readonly fileName: string;
  readonly bytes: Buffer;
  readonly resolve: (r: ImportItem | PreparedEvent) => void;
}

/**
 * A pool of worker threads, used in turn. One by default: on the two-core machines this runs on, a second worker
 * only competed with the writer for the same cores (L feed: 13.7 s and 430 MB with two, 13.3 s and 350 MB with one).
 */
export function workerPreparer(feed: FeedSettings, rules: CompiledEventFilter, entry = workerEntry(), size = 1): EventPreparer {
  const local = inThreadPreparer(feed, rules);
  let nextId = 1;
  let pool: { worker: Worker; pending: Map<number, Pending> }[] = [];

  for (let i = 0; i < size; i++) {
    const member = { worker: new Worker(entry, { workerData: { feed } }), pending: new Map<number, Pending>() };
    const fallBack = () => {
      pool = pool.filter((m) => m !== member);
      for (const [id, p] of member.pending) {
        member.pending.delete(id);
        void local.prepare(p.entry, p.fileName, p.bytes).then(p.resolve);
      }
    };
    member.worker.on('message', (m: ParseResponse) => {
      const p = member.pending.get(m.id);
      member.pending.delete(m.id);
      p?.resolve(JSON.parse(m.json) as ImportItem | PreparedEvent);
    });
    member.worker.on('error', fallBack);
    member.worker.on('exit', fallBack);
    pool.push(member);
  }

  return {
    prepare(entry, fileName, bytes) {
      const id = nextId++;
      const member = pool[id % Math.max(pool.length, 1)];
      if (!member) return local.prepare(entry, fileName, bytes);
      return new Promise((resolve) => {
        member.pending.set(id, { entry, fileName, bytes, resolve });
        // Copied, not transferred: the bytes are kept until the answer, in case the worker dies meanwhile.
        member.worker.postMessage({ id, uuid: entry.uuid, info: entry.info, fileName, bytes } satisfies ParseRequest);
      });
    },
    async close() {
      const members = pool;
      pool = [];
      for (const m of members) m.worker.removeAllListeners('exit');
      await Promise.all(members.map((m) => m.worker.terminate()));
    },
  };
}
