/**
 * Which feed an import belongs to: the one named by id, or by name (created if new), or the one already pointing
 * at this path, or a new local MISP feed named after the folder or zip.
 */
import { basename } from 'node:path';
import { newFeedSettings, type FeedSettings } from '../../../shared/model/feed-settings';
import type { FeedReads, FeedStore, FeedSummary } from '../db/queries/feed-store';
import { failure, type Result } from '../result';

export interface FeedChoice {
  readonly feedId?: number | undefined;
  readonly feedName?: string | undefined;
}

function nameFromPath(path: string): string {
  const base = basename(path).replace(/\.(zip|txt|csv)$/i, '');
  return base === '' ? 'Imported feed' : base;
}

/** The feed an import would use, if it exists already (null: a new one would be made). */
function existingFeed(store: FeedReads, path: string, choice: FeedChoice, valueList: boolean): Result<FeedSummary | null> {
  const found = choice.feedId !== undefined ? store.get(choice.feedId) : undefined;
  if (found && !found.ok) return found;
  const feed = found?.value ?? (choice.feedName !== undefined ? store.findByName(choice.feedName) : store.findByUrl(path));
  if (feed) {
    const isValueFeed = feed.settings.sourceFormat !== 'misp';
    if (isValueFeed !== valueList) {
      return failure(
        'invalid-input',
        valueList
          ? `${path} is a value list, but feed "${feed.settings.name}" is a MISP feed (a folder or zip with manifest.json)`
          : `${path} is a MISP feed, but feed "${feed.settings.name}" is a ${feed.settings.sourceFormat} feed`,
      );
    }
    return { ok: true, value: feed };
  }
  return { ok: true, value: null };
}

/** The settings a value list would be read with: its feed's, or a new freetext feed's. Stores nothing. */
export function valueListSettings(store: FeedReads, path: string, choice: FeedChoice): Result<FeedSettings> {
  const existing = existingFeed(store, path, choice, true);
  if (!existing.ok) return existing;
  return { ok: true, value: existing.value?.settings ?? newFeedSettings({ name: nameFromPath(path), provider: 'local', url: path, inputSource: 'local', sourceFormat: 'freetext', enabled: true }) };
}

/** `valueList`: the source is a freetext/CSV file, not a MISP feed folder or zip. */
export function resolveFeed(store: FeedStore, path: string, choice: FeedChoice, valueList = false): Result<FeedSummary> {
  const existing = existingFeed(store, path, choice, valueList);
  if (!existing.ok) return existing;
  if (existing.value) return { ok: true, value: existing.value };
  if (choice.feedName !== undefined) return create(store, choice.feedName, path, valueList);
  let name = nameFromPath(path);
  // Two USB keys may both hold a folder called "feed": keep names unique rather than merge unrelated feeds.
  for (let n = 2; store.findByName(name); n++) name = `${nameFromPath(path)} (${n})`;
  return create(store, name, path, valueList);
}

function create(store: FeedStore, name: string, path: string, valueList: boolean): Result<FeedSummary> {
  const added = store.add({ name, provider: 'local', url: path, inputSource: 'local', sourceFormat: valueList ? 'freetext' : 'misp', enabled: true });
  return added.ok ? added : failure(added.error.code, `cannot create a feed for ${path}: ${added.error.message}`);
}
