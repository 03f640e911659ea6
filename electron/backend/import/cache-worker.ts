/**
 * Worker thread for caching a feed: runs a CacheStage (db/queries/cache-stage.ts) on connections of its own, one request at a
 * time, so staging, in-step sorting and the library's merge and purge transactions never block the main thread.
 * Requests and answers are plain objects; a batch of rows arrives as a transferred buffer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { handleStageRequest, type CacheStage, type StageReply, type StageRequest } from '../db/queries/cache-stage';

const port = parentPort;
// Only when started as the cache worker (a test runner's own worker threads import nothing of this).
if (port && (workerData as { ferryCacheWorker?: boolean } | null)?.ferryCacheWorker) {
  const holder: { stage: CacheStage | null } = { stage: null };
  port.on('message', ({ id, request }: { id: number; request: StageRequest }) => {
    let reply: StageReply;
    try {
      reply = { id, ok: true, value: handleStageRequest(holder, request) };
    } catch (e) {
      reply = { id, ok: false, message: (e as Error)?.message ?? String(e) };
    }
    port.postMessage(reply);
  });
}
