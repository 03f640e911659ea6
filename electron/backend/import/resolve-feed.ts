/**
 * Which feed an import belongs to: the one named by id, or by name (created if new), or the one already pointing
 * at this path, or a new local MISP feed named after the folder or zip.
 */
import { basename } from 'node:path';
import type { FeedStore, FeedSummary } from '../feeds/feed-store';
import { failure, type Result } from '../result';

export interface FeedChoice {
  readonly feedId?: number | undefined;
  readonly feedName?: string | undefined;
}

function nameFromPath(path: string): string {
  const base = basename(path).replace(/\.zip$/i, '');
  return base === '' ? 'Imported feed' : base;
}

export function resolveFeed(store: FeedStore, path: string, choice: FeedChoice): Result<FeedSummary> {
  if (choice.feedId !== undefined) return store.get(choice.feedId);
  if (choice.feedName !== undefined) {
    return store.findByName(choice.feedName) ? { ok: true, value: store.findByName(choice.feedName)! } : create(store, choice.feedName, path);
  }
  const byUrl = store.findByUrl(path);
  if (byUrl) return { ok: true, value: byUrl };
  let name = nameFromPath(path);
  // Two USB keys may both hold a folder called "feed": keep names unique rather than merge unrelated feeds.
  for (let n = 2; store.findByName(name); n++) name = `${nameFromPath(path)} (${n})`;
  return create(store, name, path);
}

function create(store: FeedStore, name: string, path: string): Result<FeedSummary> {
  const added = store.add({ name, provider: 'local', url: path, inputSource: 'local', sourceFormat: 'misp', enabled: true });
  return added.ok ? added : failure(added.error.code, `cannot create a feed for ${path}: ${added.error.message}`);
}
