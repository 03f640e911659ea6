/**
 * One import run, fetch or cache, of a MISP feed (folder or zip) or a value list (freetext / CSV file): resolve the
 * feed, open the source, do the work, keep the report in the import log.
 */
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { z } from 'zod';
import type { Issue } from '../../../shared/feed/issues';
import type { importRequestSchema } from '../../../shared/ipc/library-schemas';
import type { Library } from '../db/open-library';
import type { HandlerContext } from '../dispatch';
import { FeedStore, nowSeconds, type FeedSummary } from '../feeds/feed-store';
import { success, type Result } from '../result';
import type { SourceLimits } from '../source/limits';
import { openFeed } from '../source/open-feed';
import { looksLikeZip } from '../source/open-source';
import type { BulkLoadPolicy } from './bulk-load';
import { cacheFeed } from './cache-feed';
import { fetchEvents } from './fetch-feed';
import { closeRun, openRun, type ImportReport } from './import-log';
import { cacheValues, fetchValues } from './import-values';
import { resolveFeed } from './resolve-feed';

export type ImportRequest = z.output<typeof importRequestSchema>;

export interface ImportEnvironment {
  readonly db: Library;
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
  readonly limits: SourceLimits;
  readonly bulkLoad: BulkLoadPolicy;
}

interface RunState {
  readonly counts: ImportReport['counts'];
  readonly items: ImportReport['items'];
  readonly issues: Issue[];
  cacheSource: ImportReport['cacheSource'];
}

/** Opens the log entry, runs `work`, and closes the entry with the report whatever happens. */
async function logged(
  env: ImportEnvironment,
  feed: FeedSummary,
  source: { path: string; kind: string },
  mode: ImportRequest['mode'],
  initialIssues: readonly Issue[],
  work: (importId: number, state: RunState) => Promise<'done' | 'cancelled'>,
): Promise<Result<ImportReport>> {
  const startedAt = nowSeconds();
  const importId = openRun(env.db, feed.id, source.path, source.kind, mode, startedAt);
  const state: RunState = {
    counts: { selected: 0, added: 0, updated: 0, unchanged: 0, filtered: 0, rejected: 0, conflicts: 0, attributes: 0, cachedValues: 0 },
    items: [],
    issues: [...initialIssues],
    cacheSource: null,
  };
  let status: ImportReport['status'] = 'failed';
  const report = (): ImportReport => ({
    importId, feedId: feed.id, feedName: feed.settings.name, mode, source: source.path, status, startedAt,
    finishedAt: nowSeconds(), counts: state.counts, items: state.items, issues: state.issues, cacheSource: state.cacheSource,
  });
  try {
    status = await work(importId, state);
  } finally {
    closeRun(env.db, report());
  }
  return success(report());
}

async function isValueList(path: string): Promise<boolean> {
  const st = await lstat(path).catch(() => null);
  return st !== null && st.isFile() && !(await looksLikeZip(path));
}

export async function importFeed(env: ImportEnvironment, request: ImportRequest, handler: HandlerContext): Promise<Result<ImportReport>> {
  const feeds = new FeedStore(env.db);
  const choice = { feedId: request.feedId, feedName: request.feedName };
  // Opening a zip and reading its manifest can take a while on slow removable media: say so at once.
  handler.progress({ phase: 'opening', done: 0, total: null, message: request.source });
  if (await isValueList(request.source)) return importValueList(env, feeds, resolve(request.source), choice, request.mode, handler);

  const opened = await openFeed(request.source, env.limits, request.mode !== 'cache');
  if (!opened.ok) return opened;
  const { source } = opened.value;
  try {
    const resolved = resolveFeed(feeds, source.path, choice);
    if (!resolved.ok) return resolved;
    const feed = resolved.value;
    return await logged(env, feed, source, request.mode, opened.value.issues, async (importId, state) => {
      switch (request.mode) {
        case 'fetch': {
          const selection = request.events ? new Set(request.events.map((u) => u.toLowerCase())) : null;
          const context = { db: env.db, feedId: feed.id, feed: feed.settings, importId, limits: env.limits, handler, bulkLoad: env.bulkLoad };
          const status = await fetchEvents(opened.value, selection, context, state.counts, state.items, state.issues);
          feeds.noteImport(feed.id, source.path, nowSeconds());
          return status;
        }
        case 'cache': {
          state.counts.selected = opened.value.entries.length;
          const context = { dbPath: env.dbPath, sqliteBinding: env.sqliteBinding, feedId: feed.id, feed: feed.settings, limits: env.limits, handler };
          const outcome = await cacheFeed(opened.value, context, state.issues);
          state.cacheSource = outcome.from;
          state.counts.cachedValues = outcome.values;
          if (outcome.status === 'done') feeds.noteCache(feed.id, source.path, nowSeconds(), outcome.values);
          return outcome.status;
        }
        default: {
          const exhaustive: never = request.mode;
          return exhaustive;
        }
      }
    });
  } finally {
    await source.close();
  }
}

async function importValueList(
  env: ImportEnvironment,
  feeds: FeedStore,
  path: string,
  choice: { feedId?: number | undefined; feedName?: string | undefined },
  mode: ImportRequest['mode'],
  handler: HandlerContext,
): Promise<Result<ImportReport>> {
  const resolved = resolveFeed(feeds, path, choice, true);
  if (!resolved.ok) return resolved;
  const feed = resolved.value;
  return logged(env, feed, { path, kind: 'file' }, mode, [], async (importId, state) => {
    const context = { db: env.db, dbPath: env.dbPath, sqliteBinding: env.sqliteBinding, feeds, feedId: feed.id, feed: feed.settings, importId, limits: env.limits, handler };
    switch (mode) {
      case 'fetch': {
        const status = await fetchValues(path, context, state.counts, state.items);
        feeds.noteImport(feed.id, path, nowSeconds());
        return status;
      }
      case 'cache': {
        state.cacheSource = 'values';
        const status = await cacheValues(path, context, state.counts, state.issues);
        if (status === 'done') feeds.noteCache(feed.id, path, nowSeconds(), state.counts.cachedValues);
        return status;
      }
      default: {
        const exhaustive: never = mode;
        return exhaustive;
      }
    }
  });
}
