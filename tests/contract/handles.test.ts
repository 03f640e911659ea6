/**
 * Read handles cannot write: the write query functions take a WriteHandle, and the compiler refuses a ReadHandle
 * there (`tsc -b` checks this file: an `@ts-expect-error` that no longer finds an error fails the type-check).
 */
import { describe, expect, it } from 'vitest';
import type { ReadHandle, WriteHandle } from '../../electron/backend/db/handles';
import { closeRun, listRuns, openRun } from '../../electron/backend/db/queries/import-runs';
import { FeedReads, FeedStore } from '../../electron/backend/db/queries/feed-store';
import { testEngine } from '../support/engine';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();

// Type-level only: never called.
export function typeChecks(read: ReadHandle, write: WriteHandle): void {
  // @ts-expect-error a read handle cannot open an import run
  openRun(read, 1, '/x', 'folder', 'fetch', 0);
  // @ts-expect-error nor close one
  closeRun(read, {} as never);
  // @ts-expect-error nor build the feed writer
  new FeedStore(read);
  // A write handle reads as well.
  listRuns(write, 1);
  new FeedReads(write).list();
}

describe('branded handles', () => {
  it('the engine hands out read handles on a read-only connection', () => {
    const engine = testEngine(tempDir());
    expect(engine.read((db) => db.readonly)).toBe(true);
    engine.close();
  });
});
