/**
 * An export worker thread: batches of stored events' rows in, their feed files out (event-files.ts). The engine
 * reads the rows on its snapshot and writes the files; the work between, most of an export's time, is spread over
 * these threads. Answers carry the file bytes transferred, not copied.
 */
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { EventRows } from '../db/queries/event-load';
import { eventFilesFromRows, type EventFiles, type FileOptions } from './event-files';
import type { WorkerReply } from '../import/worker-rpc';

export interface ExportBatch {
  readonly rows: readonly EventRows[];
  readonly options: FileOptions;
}

export function handleBatch(batch: ExportBatch): EventFiles[] {
  return batch.rows.map((rows) => eventFilesFromRows(rows, batch.options));
}

/** An earlier export's file that an incremental export means to keep, and the checksum it must still have. */
export interface KeptFile {
  readonly path: string;
  readonly sha256: string;
}

/** Whether each file still has its checksum (a file that cannot be read has not). */
export function checkKept(files: readonly KeptFile[]): boolean[] {
  return files.map((f) => {
    try {
      return hash('sha256', readFileSync(f.path), 'hex') === f.sha256;
    } catch {
      return false;
    }
  });
}

export type ExportWorkerRequest = { readonly op: 'files'; readonly batch: ExportBatch } | { readonly op: 'check'; readonly files: readonly KeptFile[] };

function handle(request: ExportWorkerRequest): EventFiles[] | boolean[] {
  switch (request.op) {
    case 'files':
      return handleBatch(request.batch);
    case 'check':
      return checkKept(request.files);
    default: {
      const exhaustive: never = request;
      return exhaustive;
    }
  }
}

const port = parentPort;
// Only when started as the export worker (a test runner's own worker threads import nothing of this).
if (port && (workerData as { ferryExportWorker?: boolean } | null)?.ferryExportWorker) {
  port.on('message', ({ id, request }: { id: number; request: ExportWorkerRequest }) => {
    let reply: WorkerReply;
    const transfer: ArrayBuffer[] = [];
    try {
      const value = handle(request);
      for (const f of value) if (typeof f === 'object' && f.status === 'written') transfer.push(f.bytes.buffer as ArrayBuffer);
      reply = { id, ok: true, value };
    } catch (e) {
      reply = { id, ok: false, message: (e as Error)?.message ?? String(e) };
    }
    port.postMessage(reply, transfer);
  });
}
