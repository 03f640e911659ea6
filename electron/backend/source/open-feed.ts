/** Open a feed folder or zip, find its layout and read its manifest: the first steps of preview, fetch and cache. */
import { issue, type Issue } from '../../../shared/feed/issues';
import { parseManifest, type ManifestEntry } from '../../../shared/feed/manifest';
import { failure, success, type Result } from '../result';
import { inspectHashesHead } from './inspect-hashes';
import type { FeedSource } from './feed-source';
import type { SourceLimits } from './limits';
import { locateFeed, type FeedLayout } from './locate-feed';
import { openFeedSource } from './open-source';

export interface OpenedFeed {
  readonly source: FeedSource;
  readonly layout: FeedLayout;
  readonly entries: readonly ManifestEntry[];
  /** Manifest problems and files announced but missing. */
  readonly issues: readonly Issue[];
}

/** Read a whole entry as text; invalid UTF-8 becomes U+FFFD, which the readers then report. */
export async function readText(source: FeedSource, name: string, maxBytes: number): Promise<Result<string>> {
  const bytes = await source.read(name, maxBytes);
  return bytes.ok ? success(new TextDecoder('utf-8').decode(bytes.value)) : bytes;
}

/** `checkHashes`: look at the head of hashes.csv (preview, fetch); cache mode reads all of it anyway. */
export async function openFeed(path: string, limits: SourceLimits, checkHashes = true): Promise<Result<OpenedFeed>> {
  const opened = await openFeedSource(path, limits);
  if (!opened.ok) return opened;
  const source = opened.value;
  const fail = async (r: { ok: false; error: { code: never; message: string } } | Result<never>): Promise<Result<OpenedFeed>> => {
    await source.close();
    return r as Result<OpenedFeed>;
  };
  const layout = locateFeed(source);
  if (!layout.ok) return fail(layout);
  const text = await readText(source, layout.value.manifest, limits.maxJsonBytes);
  if (!text.ok) return fail(text);
  const parsed = parseManifest(text.value, layout.value.manifest);
  const fatal = parsed.issues.find((i) => i.code === 'manifest.not-json' || i.code === 'manifest.not-object');
  if (fatal) return fail(failure('bad-source', `${source.path}: ${fatal.path}: ${fatal.message}`, parsed.issues));
  const issues: Issue[] = [...parsed.issues];
  for (const entry of parsed.value.entries) {
    if (!layout.value.eventFiles.has(entry.uuid)) {
      issues.push(issue('warning', 'feed.event-file-missing', `${layout.value.root}${entry.uuid}.json`, 'announced in manifest.json but not in the feed'));
    }
  }
  const announced = new Set(parsed.value.entries.map((e) => e.uuid));
  const unannounced = [...layout.value.eventFiles.keys()].filter((u) => !announced.has(u));
  if (unannounced.length > 0) {
    issues.push(
      issue('info', 'feed.event-file-unannounced', `${layout.value.root}${unannounced[0]}.json`, `${unannounced.length} event file(s) not in manifest.json are ignored`),
    );
  }
  if (checkHashes && layout.value.hashes) issues.push(...(await inspectHashesHead(source, layout.value.hashes)));
  return success({ source, layout: layout.value, entries: parsed.value.entries, issues });
}
