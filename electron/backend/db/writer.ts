/**
 * The one writer. Every write in this process goes through `write` (a synchronous step on the write connection) or
 * `writeElsewhere` (one transaction that a worker thread runs on its own connection), queued in arrival order. A
 * step is one transaction, committed before the next step starts, and never spans an `await`: long work (an
 * import) is a series of steps, and another request's write waits at most for the step in progress.
 *
 * Between steps the queue yields to the event loop, so reads and new requests are served while an import runs.
 * Other processes (the CLI, a producer) take the same file's write lock: a step that finds it taken retries with
 * back-off for up to `maxBusyMs`, without blocking the event loop, and then fails with `busy`.
 *
 * After each commit, what changed is pushed (coalesced) as `library.changed`; a commit by another process is found
 * through `PRAGMA data_version`, which changes on this connection only when another connection committed.
 */
import type Database from 'better-sqlite3';
import type { LibraryChangedEvent } from '../../../shared/ipc/wire';
import { failure, type Result } from '../result';
import { ChangeSet, type Changes } from './changes';
import { asWriteHandle, type WriteHandle } from './handles';
import { isBusy } from './busy';

export interface WriteStep {
  readonly db: WriteHandle;
  /** Record what this step changed; it is pushed to clients once the step has committed. */
  changed(changes: Changes): void;
}

export interface WriterOptions {
  /** How long a step waits for another process's write lock before failing with `busy`. */
  readonly maxBusyMs?: number;
  /** How often to look for commits by other processes (0: never). */
  readonly watchMs?: number;
  /** How long after a commit changes are pushed, so that a burst of steps becomes one event. */
  readonly coalesceMs?: number;
  readonly onChanged?: (event: LibraryChangedEvent) => void;
}

interface Queued {
  readonly label: string;
  run(): Promise<'retry' | 'done'>;
  fail(result: Result<never>): void;
  readonly since: number;
}

const DEFAULT_MAX_BUSY_MS = 15_000;

export class Writer {
  private readonly queue: Queued[] = [];
  private running = false;
  private closed = false;
  private readonly pending = new ChangeSet();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly watchTimer: NodeJS.Timeout | null = null;
  private dataVersion: number;
  private readonly listeners = new Set<(event: LibraryChangedEvent) => void>();
  private readonly handle: WriteHandle;
  private readonly maxBusyMs: number;
  private readonly coalesceMs: number;

  constructor(
    private readonly db: Database.Database,
    options: WriterOptions = {},
  ) {
    this.handle = asWriteHandle(db);
    this.maxBusyMs = options.maxBusyMs ?? DEFAULT_MAX_BUSY_MS;
    this.coalesceMs = options.coalesceMs ?? 50;
    if (options.onChanged) this.listeners.add(options.onChanged);
    // The event loop must not stall in SQLite's own busy wait: a taken lock is retried from a timer instead.
    db.pragma('busy_timeout = 0');
    this.dataVersion = this.readDataVersion();
    const watchMs = options.watchMs ?? 250;
    if (watchMs > 0) {
      this.watchTimer = setInterval(() => this.lookForOtherWriters(), watchMs);
      this.watchTimer.unref();
    }
  }

  /** Listen to `library.changed`; returns the way to stop listening. */
  subscribe(listener: (event: LibraryChangedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Queue one synchronous step. `fn` runs inside BEGIN IMMEDIATE … COMMIT; a failure it returns, or an exception it
   * throws, rolls the step back (and only this step).
   */
  write<T>(label: string, fn: (step: WriteStep) => Result<T>): Promise<Result<T>> {
    return this.enqueue(label, (done) => {
      const changes = new ChangeSet();
      const step: WriteStep = { db: this.handle, changed: (c) => changes.add(c) };
      try {
        this.db.exec('BEGIN IMMEDIATE');
      } catch (e) {
        if (isBusy(e)) return 'retry';
        done(failure('internal', `${label}: ${(e as Error).message}`));
        return 'done';
      }
      let result: Result<T>;
      try {
        result = fn(step);
      } catch (e) {
        this.rollback();
        done(failure('internal', `${label}: ${(e as Error).message}`));
        return 'done';
      }
      if (!result.ok) {
        this.rollback();
        done(result);
        return 'done';
      }
      try {
        this.db.exec('COMMIT');
      } catch (e) {
        this.rollback();
        done(isBusy(e) ? failure('busy', `${label}: the library stayed locked by another process`) : failure('internal', `${label}: ${(e as Error).message}`));
        return 'done';
      }
      this.committed(changes);
      done(result);
      return 'done';
    });
  }

  /**
   * Queue a step that another connection runs (a worker thread's, for work too long to run on this thread without
   * stalling reads). `run` must perform exactly one transaction and settle once it has committed or rolled back;
   * the queue holds every other write until then. It answers 'busy' when it found the write lock taken by another
   * process: the step is then retried like a local one.
   */
  writeElsewhere<T>(label: string, run: () => Promise<Result<T> | 'busy'>, changes: (value: T) => Changes): Promise<Result<T>> {
    return this.enqueueAsync(label, async (done) => {
      let result: Result<T> | 'busy';
      try {
        result = await run();
      } catch (e) {
        done(failure('internal', `${label}: ${(e as Error).message}`));
        return 'done';
      }
      if (result === 'busy') return 'retry';
      // Our own worker's commit moves data_version like another process's would: take the new value as ours.
      this.dataVersion = this.readDataVersion();
      if (result.ok) {
        const set = new ChangeSet();
        set.add(changes(result.value));
        this.committed(set);
      }
      done(result);
      return 'done';
    });
  }

  /** Resolves when every step queued so far has run. */
  idle(): Promise<void> {
    return this.write('idle', () => ({ ok: true, value: undefined })).then(() => undefined);
  }

  /** Push pending changes now (tests, shutdown). */
  flushChanges(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const event = this.pending.take();
    if (!event) return;
    for (const l of this.listeners) l(event);
  }

  close(): void {
    this.closed = true;
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.flushChanges();
    for (const q of this.queue.splice(0)) q.fail(failure('unavailable', `${q.label}: the library was closed`));
  }

  /** Checks for commits by other processes; called on a timer and before a step. */
  lookForOtherWriters(): void {
    if (this.closed || this.db.inTransaction || !this.db.open) return;
    const v = this.readDataVersion();
    if (v !== this.dataVersion) {
      this.dataVersion = v;
      this.pending.addExternal();
      this.scheduleFlush();
    }
  }

  private readDataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  private rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  private committed(changes: ChangeSet): void {
    const event = changes.take();
    if (!event) return;
    this.pending.add({ feeds: event.feeds, events: event.events, imports: event.imports, cache: event.cache, reference: event.reference, keys: event.keys, exports: event.exports });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flushChanges(), this.coalesceMs);
  }

  private enqueue<T>(label: string, attempt: (done: (r: Result<T>) => void) => 'retry' | 'done'): Promise<Result<T>> {
    return this.enqueueAsync(label, (done) => Promise.resolve(attempt(done)));
  }

  private enqueueAsync<T>(label: string, attempt: (done: (r: Result<T>) => void) => Promise<'retry' | 'done'>): Promise<Result<T>> {
    if (this.closed) return Promise.resolve(failure('unavailable', `${label}: the library is closed`));
    return new Promise<Result<T>>((resolve) => {
      this.queue.push({ label, since: Date.now(), run: () => attempt(resolve), fail: resolve as (r: Result<never>) => void });
      this.pump();
    });
  }

  private pump(): void {
    if (this.running) return;
    this.running = true;
    // Start on a later turn: the caller's own synchronous code (and waiting I/O) runs first.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    let backoff = 5;
    while (this.queue.length > 0 && !this.closed) {
      const next = this.queue[0]!;
      this.lookForOtherWriters();
      const outcome = await next.run();
      if (outcome === 'retry') {
        if (Date.now() - next.since > this.maxBusyMs) {
          this.queue.shift();
          next.fail(failure('busy', `${next.label}: another process has held the library's write lock for over ${Math.round(this.maxBusyMs / 1000)} s; try again when it is done`));
          backoff = 5;
          continue;
        }
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 100);
        continue;
      }
      this.queue.shift();
      backoff = 5;
      // Let reads, new requests and progress messages through between two steps.
      await new Promise((r) => setImmediate(r));
    }
    this.running = false;
  }
}
