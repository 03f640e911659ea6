/**
 * Where one half of a bulk load runs (bulk-worker.ts): a worker thread of its own, or this thread when no worker
 * can start (a bundle built without bulk-worker.js) or when the import is too small to be worth one. The caller
 * sees the same interface either way; a worker that dies fails its pending requests, and bulk-load.ts then hands
 * what was not merged to the step path, so a broken worker never loses an event.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { handleBulkRequest, type BulkAnswers, type BulkRequest, type BulkState } from './bulk-worker';
import { startWorkerRpc } from './worker-rpc';

export interface BulkHost {
  readonly inThread: boolean;
  call<R extends BulkRequest>(request: R, transfer?: ArrayBuffer[]): Promise<BulkAnswers[R['op']]>;
  /** Closes the connections and stops the worker. Never rejects. */
  close(): Promise<void>;
}

/** From sources the worker is started through tsx; bundled, it is bulk-worker.js next to the bundle or one up. */
function workerEntry(): string | null {
  if (__filename.endsWith('.ts')) return join(__dirname, 'bulk-worker-entry.cjs');
  return [join(__dirname, 'bulk-worker.js'), join(__dirname, '..', 'bulk-worker.js')].find((c) => existsSync(c)) ?? null;
}

function inThreadHost(): BulkHost {
  const state: BulkState = { stager: null, merger: null };
  return {
    inThread: true,
    call: async (request) => handleBulkRequest(state, request) as never,
    close: async () => {
      handleBulkRequest(state, { op: 'close' });
    },
  };
}

function workerHost(entry: string, heapMiB: number | undefined): BulkHost {
  const rpc = startWorkerRpc(entry, { ferryBulkWorker: true }, 'bulk load worker', heapMiB);
  const call = (request: BulkRequest, transfer?: ArrayBuffer[]) => rpc.call(request, transfer) as Promise<never>;
  return {
    inThread: false,
    call,
    close: async () => {
      await call({ op: 'close' }).catch(() => undefined);
      await rpc.stop();
    },
  };
}

/**
 * A host opened with `open` (a stager's or a merger's): on a worker if wanted and one starts, else here.
 * `heapMiB`: the worker's heap cap (see worker-rpc.ts).
 */
export async function openBulkHost(open: BulkRequest & { op: 'open-stager' | 'open-merger' }, preferWorker: boolean, heapMiB?: number): Promise<BulkHost> {
  const entry = preferWorker ? workerEntry() : null;
  if (entry) {
    let host: BulkHost | null = null;
    try {
      host = workerHost(entry, heapMiB);
      await host.call(open);
      return host;
    } catch {
      // A worker that cannot start (or load its code) slows the import down; it does not stop it.
      await host?.close();
    }
  }
  const local = inThreadHost();
  try {
    await local.call(open);
  } catch (e) {
    await local.close();
    throw e;
  }
  return local;
}
