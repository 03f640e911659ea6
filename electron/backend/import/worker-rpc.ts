/**
 * Requests to a worker thread and their answers, matched by id: the one channel the import's workers (bulk load,
 * cache) are driven through. Each request is answered `{ id, ok, value }` or `{ id, ok: false, message }`; a worker
 * that dies fails every pending request and every later one with why it stopped.
 */
import { Worker } from 'node:worker_threads';

export type WorkerReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly message: string };

export interface WorkerRpc {
  call(request: unknown, transfer?: ArrayBuffer[]): Promise<unknown>;
  /** Stops the worker; never rejects. */
  stop(): Promise<void>;
}

/**
 * `heapMiB` caps the worker's old generation: V8 then collects garbage as the heap nears it instead of letting it
 * grow, which is what keeps a worker that parses one huge file from doubling the process's memory. A worker that
 * needs more than that dies (ERR_WORKER_OUT_OF_MEMORY), which its caller handles like any other death.
 */
export function startWorkerRpc(entry: string, workerData: unknown, name: string, heapMiB?: number): WorkerRpc {
  const worker = new Worker(entry, { workerData, ...(heapMiB !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: heapMiB } } : {}) });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let dead: Error | null = null;
  const failAll = (e: Error) => {
    dead ??= e;
    for (const p of pending.values()) p.reject(dead);
    pending.clear();
  };
  worker.on('message', (m: WorkerReply) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (!p) return;
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.message));
  });
  worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => failAll(new Error(`the ${name} stopped (exit code ${code})`)));
  return {
    call: (request, transfer = []) =>
      new Promise((resolve, reject) => {
        if (dead) return reject(dead);
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, request }, transfer);
      }),
    stop: async () => {
      worker.removeAllListeners('exit');
      await worker.terminate().catch(() => undefined);
    },
  };
}
