/**
 * Where an export's events are turned into files: a pool of export worker threads (export-worker.ts), or this
 * thread when none can start (a bundle built without export-worker.js). Batches go to the members in turn; each
 * answer is a promise, so the caller keeps as many in flight as it likes and takes them in its own order.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { EventFiles } from './event-files';
import { checkKept, handleBatch, type ExportBatch, type KeptFile } from './export-worker';
import { startWorkerRpc, type WorkerRpc } from '../import/worker-rpc';

export interface WriterPool {
  write(batch: ExportBatch): Promise<EventFiles[]>;
  /** Whether each earlier file still has its checksum: read and hashed off this thread. */
  check(files: readonly KeptFile[]): Promise<boolean[]>;
  close(): Promise<void>;
}

/** Old-generation cap of each export worker (see startWorkerRpc): one that needs more dies, and the export fails saying so. */
const WORKER_HEAP_MIB = 512;

/** From sources the worker is started through tsx; bundled, it is export-worker.js next to the bundle or one up. */
function workerEntry(): string | null {
  if (__filename.endsWith('.ts')) return join(__dirname, 'export-worker-entry.cjs');
  return [join(__dirname, 'export-worker.js'), join(__dirname, '..', 'export-worker.js')].find((c) => existsSync(c)) ?? null;
}

/**
 * One worker per core: the engine's own thread mostly waits for the disk meanwhile. A worker's heap is capped so
 * that a huge event is collected as it goes rather than growing every heap at once.
 */
export function startWriterPool(size = Math.max(1, Math.min(4, availableParallelism()))): WriterPool {
  const entry = workerEntry();
  const members: WorkerRpc[] = [];
  if (entry) {
    for (let i = 0; i < size; i++) members.push(startWorkerRpc(entry, { ferryExportWorker: true }, 'export worker', WORKER_HEAP_MIB));
  }
  let next = 0;
  return {
    async write(batch) {
      if (members.length === 0) return handleBatch(batch);
      const member = members[next++ % members.length]!;
      return (await member.call({ op: 'files', batch })) as EventFiles[];
    },
    async check(files) {
      if (members.length === 0) return checkKept(files);
      const member = members[next++ % members.length]!;
      return (await member.call({ op: 'check', files })) as boolean[];
    },
    async close() {
      await Promise.all(members.map((m) => m.stop()));
    },
  };
}
