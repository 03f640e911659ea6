/**
 * The two halves of a bulk load as requests (see bulk-load.ts): a stager (reads, checks and writes events into the
 * scratch file) and a merger (moves staged events into the library, one step per request). Each runs on a worker
 * thread of its own, so that neither parsing nor merging blocks the thread that answers the UI, or here on this
 * thread when no worker can start. Requests and answers are plain objects; event bytes arrive transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { issue } from '../../../shared/feed/issues';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import type { Result } from '../result';
import type { Provenance } from '../db/queries/event-store';
import { Merger, type MergeOutcome, type MergeRequest, type MergerOptions } from '../db/queries/bulk-merge';
import { Stager, type StageOutcome } from './bulk-stage';
import { compileFeedRules, type EntryRef } from './prepare-event';
import type { WorkerReply } from './worker-rpc';

export interface StagerOptions {
  readonly scratchPath: string;
  readonly nativeBinding?: string | undefined;
  readonly feed: FeedSettings;
  readonly provenance: Provenance;
}

export type BulkRequest =
  | { readonly op: 'open-stager'; readonly options: StagerOptions }
  | { readonly op: 'stage'; readonly entry: EntryRef; readonly fileName: string; readonly bytes: Uint8Array }
  | { readonly op: 'open-merger'; readonly options: MergerOptions }
  | { readonly op: 'merge'; readonly request: MergeRequest }
  | { readonly op: 'close' };

/** What each request answers. */
export interface BulkAnswers {
  'open-stager': null;
  stage: StageOutcome;
  'open-merger': null;
  merge: Result<MergeOutcome> | 'busy';
  close: null;
}

export interface BulkState {
  stager: Stager | null;
  merger: Merger | null;
}

const decoder = new TextDecoder('utf-8');

export function handleBulkRequest(state: BulkState, request: BulkRequest): BulkAnswers[BulkRequest['op']] {
  switch (request.op) {
    case 'open-stager': {
      const { scratchPath, nativeBinding, feed, provenance } = request.options;
      state.stager = new Stager(scratchPath, nativeBinding, feed, compileFeedRules(feed, []), provenance);
      return null;
    }
    case 'stage': {
      if (!state.stager) throw new Error('the stager is not open');
      const { entry, fileName } = request;
      let bytes: Uint8Array | null = request.bytes;
      // The message keeps the request alive until it is answered: without this, it would keep the bytes too.
      (request as { bytes?: Uint8Array }).bytes = undefined;
      try {
        // The text is handed over as a function and the bytes dropped once decoded: a 100 MB event is held once.
        return state.stager.stage(entry, fileName, () => {
          const text = decoder.decode(bytes!);
          bytes = null;
          return text;
        });
      } catch (e) {
        return { staged: false, item: { uuid: entry.uuid, info: entry.info, attributes: 0, outcome: 'rejected', issues: [issue('error', 'import.prepare-failed', fileName, String((e as Error).message))] } };
      }
    }
    case 'open-merger':
      state.merger = new Merger(request.options);
      return null;
    case 'merge':
      if (!state.merger) throw new Error('the merger is not open');
      return state.merger.merge(request.request);
    case 'close':
      state.stager?.close();
      state.merger?.close();
      state.stager = null;
      state.merger = null;
      return null;
  }
}

const port = parentPort;
// Only when started as the bulk worker (a test runner's own worker threads import nothing of this).
if (port && (workerData as { ferryBulkWorker?: boolean } | null)?.ferryBulkWorker) {
  const state: BulkState = { stager: null, merger: null };
  port.on('message', ({ id, request }: { id: number; request: BulkRequest }) => {
    let reply: WorkerReply;
    try {
      reply = { id, ok: true, value: handleBulkRequest(state, request) };
    } catch (e) {
      reply = { id, ok: false, message: (e as Error)?.message ?? String(e) };
    }
    port.postMessage(reply);
  });
}
