/**
 * Deletes the rows of retired cache sets (replaced by a newer cache, given up by a cancel or a failure, or of a
 * removed feed) and of sets left `building` by a crash, in bounded steps, in the background. Nobody reads those
 * rows (readers only see live sets), so there is no hurry: each step is one transaction of a few hundred
 * milliseconds on a worker thread's connection (a few tens of milliseconds when it has to run in-thread), queued on
 * the writer like any other write, so a request's write waits at most for one of them.
 *
 * One cleanup per writer. It runs when kicked (after a swap or a give-up, and once at start-up) and whenever a
 * committed change says the cache changed (a feed removed here, or anything done by another process).
 */
import type { Writer } from '../db/writer';
import { failure, success, type Result } from '../result';
import { openStageHost, type StageHost } from './cache-host';
import { findLeftovers } from '../db/queries/cache-sets';
import { removeStagingFile, type StepAnswer } from '../db/queries/cache-stage';

export interface CleanupOptions {
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
}

/** Step sizing; tests make steps tiny to see many of them. */
export const cleanupTuning = {
  /** Rowids one purge step starts with; then sized from the time steps take. */
  firstRows: 20_000,
  maxRows: 1_000_000,
  targetMsWorker: 300,
  targetMsInThread: 30,
  preferWorker: true,
};

const EXTERNAL_KICK_MS = 30_000;

export function answerToResult<T>(answer: StepAnswer<T>): Result<T> | 'busy' {
  if (answer === 'busy') return 'busy';
  return answer.ok ? success(answer.value) : failure(answer.code, answer.message);
}

export class CacheCleanup {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly unsubscribe: () => void;
  private lastExternalKick = 0;

  constructor(
    private readonly writer: Writer,
    private readonly options: CleanupOptions,
  ) {
    this.unsubscribe = writer.subscribe((event) => {
      if (!event.cache) return;
      // Another process's commits cannot say what they touched: look at most every half minute, not on each one.
      if (event.external) {
        if (Date.now() - this.lastExternalKick < EXTERNAL_KICK_MS) return;
        this.lastExternalKick = Date.now();
      }
      this.kick();
    });
  }

  /** Look for work (now, or once the current pass is done). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run()
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
      });
  }

  /** Resolves once there is nothing left to do (tests, tools). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      const found = await this.writer.write('cache: find leftovers', (step) => success(findLeftovers(step.db, this.options.dbPath)));
      if (!found.ok) {
        if (found.error.code === 'unavailable') this.stop();
        return;
      }
      for (const path of found.value.staging) removeStagingFile(path);
      if (found.value.retired.length === 0) continue;
      const host = await openStageHost({ dbPath: this.options.dbPath, sqliteBinding: this.options.sqliteBinding, stagePath: null }, cleanupTuning.preferWorker);
      try {
        for (const setId of found.value.retired) {
          const purged = await this.purge(host, setId);
          if (!purged.ok) {
            if (purged.error.code === 'unavailable') this.stop();
            // Anything else is tried again at the next kick rather than in a loop now.
            return;
          }
        }
      } finally {
        await host.close();
      }
    } while (this.again && !this.stopped);
  }

  private async purge(host: StageHost, setId: number): Promise<Result<void>> {
    const targetMs = host.inThread ? cleanupTuning.targetMsInThread : cleanupTuning.targetMsWorker;
    let rows = cleanupTuning.firstRows;
    for (;;) {
      if (this.stopped) return failure('unavailable', 'the library was closed');
      const window = rows;
      const step = await this.writer.writeElsewhere('cache: clean up', () => host.purge({ setId, rows: window }).then(answerToResult), () => ({}));
      if (!step.ok) return step;
      if (step.value.finished) return success(undefined);
      if (step.value.deleted > 0) {
        const perRow = step.value.ms / window;
        rows = Math.round(Math.min(cleanupTuning.maxRows, Math.max(1_000, (rows + targetMs / Math.max(perRow, 1e-6)) / 2)));
      }
    }
  }
}

const cleanups = new WeakMap<Writer, CacheCleanup>();

/** The writer's cleanup, created (and listening for cache changes) on first use. */
export function cacheCleanup(writer: Writer, options: CleanupOptions): CacheCleanup {
  let cleanup = cleanups.get(writer);
  if (!cleanup) {
    cleanup = new CacheCleanup(writer, options);
    cleanups.set(writer, cleanup);
  }
  return cleanup;
}

/**
 * For the engine at start-up: delete what earlier runs left (sets replaced or given up, sets left by a crash) and
 * keep cleaning up whenever the cache changes.
 */
export function startCacheCleanup(writer: Writer, options: CleanupOptions): CacheCleanup {
  const cleanup = cacheCleanup(writer, options);
  cleanup.kick();
  return cleanup;
}
