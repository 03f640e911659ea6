/** One import run, fetch or cache: resolve the feed, open the source, do the work, keep the report in the log. */
import type { z } from 'zod';
import type { Issue } from '../../../shared/feed/issues';
import type { importRequestSchema } from '../../../shared/ipc/library-schemas';
import type { Library } from '../db/open-library';
import type { HandlerContext } from '../dispatch';
import { FeedStore, nowSeconds } from '../feeds/feed-store';
import { success, type Result } from '../result';
import type { SourceLimits } from '../source/limits';
import { openFeed } from '../source/open-feed';
import type { BulkLoadPolicy } from './bulk-load';
import { cacheFeed } from './cache-feed';
import { fetchEvents } from './fetch-feed';
import { closeRun, openRun, type ImportReport } from './import-log';
import { resolveFeed } from './resolve-feed';

export type ImportRequest = z.output<typeof importRequestSchema>;

export interface ImportEnvironment {
  readonly db: Library;
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
  readonly limits: SourceLimits;
  readonly bulkLoad: BulkLoadPolicy;
}

export async function importFeed(env: ImportEnvironment, request: ImportRequest, handler: HandlerContext): Promise<Result<ImportReport>> {
  const feeds = new FeedStore(env.db);
  const opened = await openFeed(request.source, env.limits, request.mode !== 'cache');
  if (!opened.ok) return opened;
  const { source } = opened.value;
  try {
    const resolved = resolveFeed(feeds, source.path, { feedId: request.feedId, feedName: request.feedName });
    if (!resolved.ok) return resolved;
    const feed = resolved.value;
    const startedAt = nowSeconds();
    const importId = openRun(env.db, feed.id, source.path, source.kind, request.mode, startedAt);
    const counts: ImportReport['counts'] = { selected: 0, added: 0, updated: 0, unchanged: 0, filtered: 0, rejected: 0, conflicts: 0, attributes: 0, cachedValues: 0 };
    const items: ImportReport['items'] = [];
    const issues: Issue[] = [...opened.value.issues];
    let status: ImportReport['status'] = 'failed';
    let cacheSource: ImportReport['cacheSource'] = null;
    const report = (): ImportReport => ({
      importId, feedId: feed.id, feedName: feed.settings.name, mode: request.mode, source: source.path, status,
      startedAt, finishedAt: nowSeconds(), counts, items, issues, cacheSource,
    });
    try {
      switch (request.mode) {
        case 'fetch': {
          const selection = request.events ? new Set(request.events.map((u) => u.toLowerCase())) : null;
          status = await fetchEvents(opened.value, selection, { db: env.db, feedId: feed.id, feed: feed.settings, importId, limits: env.limits, handler, bulkLoad: env.bulkLoad }, counts, items, issues);
          feeds.noteImport(feed.id, source.path, nowSeconds());
          break;
        }
        case 'cache': {
          counts.selected = opened.value.entries.length;
          const outcome = await cacheFeed(opened.value, { dbPath: env.dbPath, sqliteBinding: env.sqliteBinding, feedId: feed.id, feed: feed.settings, limits: env.limits, handler }, issues);
          status = outcome.status;
          cacheSource = outcome.from;
          counts.cachedValues = outcome.values;
          if (outcome.status === 'done') feeds.noteCache(feed.id, source.path, nowSeconds(), outcome.values);
          break;
        }
        default: {
          const exhaustive: never = request.mode;
          return exhaustive;
        }
      }
    } finally {
      closeRun(env.db, report());
    }
    return success(report());
  } finally {
    await source.close();
  }
}
