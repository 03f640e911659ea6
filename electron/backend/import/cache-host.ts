/**
 * Where a CacheStage runs (db/queries/cache-stage.ts): on a worker thread of its own, or, when no worker can be started (a
 * bundle built without cache-worker.js), on this thread. The interface is the same; the caller only chooses
 * smaller batches and steps in-thread, because there each of them blocks the event loop while it runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startWorkerRpc } from './worker-rpc';
import { handleStageRequest, type CacheStage, type MergeRequest, type OpenRequest, type PurgeRequest, type PurgeResult, type Sealed, type StageRequest, type StepAnswer } from '../db/queries/cache-stage';

export interface StageHost {
  /** True when requests run on this thread (they then block it while they run). */
  readonly inThread: boolean;
  rows(rows: Uint8Array, count: number, events: readonly (readonly [number, string])[]): Promise<number>;
  clear(): Promise<void>;
  seal(): Promise<Sealed>;
  merge(request: MergeRequest): Promise<StepAnswer<{ rows: number; ms: number }>>;
  purge(request: PurgeRequest): Promise<StepAnswer<PurgeResult & { ms: number }>>;
  /** Closes the connections, deletes the staging file, stops the worker. Never rejects. */
  close(): Promise<void>;
}

/**
 * From sources the worker is started through tsx; bundled, it is cache-worker.js next to the bundle this code is in
 * or one level up (as for parse-worker.js, see event-preparer.ts). null: there is none.
 */
function workerEntry(): string | null {
  if (__filename.endsWith('.ts')) return join(__dirname, 'cache-worker-entry.cjs');
  return [join(__dirname, 'cache-worker.js'), join(__dirname, '..', 'cache-worker.js')].find((c) => existsSync(c)) ?? null;
}

type Call = (request: StageRequest, transfer?: ArrayBuffer[]) => Promise<unknown>;

function hostOver(call: Call, inThread: boolean, stop: () => Promise<void>): StageHost {
  const timed = <T extends object>(request: StageRequest) => {
    const started = performance.now();
    return (call(request) as Promise<StepAnswer<T>>).then((a) => (a === 'busy' || !a.ok ? a : { ok: true as const, value: { ...a.value, ms: performance.now() - started } }));
  };
  return {
    inThread,
    rows: (rows, count, events) => call({ op: 'rows', rows, count, events }, inThread ? [] : [rows.buffer as ArrayBuffer]) as Promise<number>,
    clear: () => call({ op: 'clear' }).then(() => undefined),
    seal: () => call({ op: 'seal' }) as Promise<Sealed>,
    merge: (request) => timed<{ rows: number }>({ op: 'merge', request }),
    purge: (request) => timed<PurgeResult>({ op: 'purge', request }),
    close: async () => {
      await call({ op: 'close' }).catch(() => undefined);
      await stop().catch(() => undefined);
    },
  };
}

function inThreadHost(): { call: Call; host: StageHost } {
  const holder: { stage: CacheStage | null } = { stage: null };
  const call: Call = async (request) => handleStageRequest(holder, request);
  return { call, host: hostOver(call, true, async () => {}) };
}

function workerHost(entry: string): { call: Call; host: StageHost } {
  const rpc = startWorkerRpc(entry, { ferryCacheWorker: true }, 'cache worker');
  const call: Call = (request, transfer) => rpc.call(request, transfer);
  return { call, host: hostOver(call, false, () => rpc.stop()) };
}

/**
 * A host with its stage opened: on a worker when one starts, else in-thread. Rejects only when the stage cannot be
 * opened in-thread either (the library or the staging file cannot be opened).
 */
export async function openStageHost(request: OpenRequest, preferWorker = true): Promise<StageHost> {
  const entry = preferWorker ? workerEntry() : null;
  if (entry) {
    let started: { call: Call; host: StageHost } | null = null;
    try {
      started = workerHost(entry);
      await started.call({ op: 'open', request });
      return started.host;
    } catch {
      // A worker that cannot start (or cannot load its code) slows caching down; it does not stop it.
      await started?.host.close();
    }
  }
  const local = inThreadHost();
  try {
    await local.call({ op: 'open', request });
  } catch (e) {
    await local.host.close();
    throw e;
  }
  return local.host;
}
