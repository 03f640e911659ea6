/** Open a feed and list what its manifest announces, storing nothing (MISP's "preview" mode). */
import type { z } from 'zod';
import { issue, type Issue } from '../../../shared/feed/issues';
import { parseManifest, type ManifestEntry } from '../../../shared/feed/manifest';
import type { feedPreviewSchema, previewEventSchema } from '../../../shared/ipc/schemas';
import { failure, success, type Result } from '../result';
import type { FeedSource } from '../source/feed-source';
import { DEFAULT_LIMITS, type SourceLimits } from '../source/limits';
import { locateFeed } from '../source/locate-feed';
import { openFeedSource } from '../source/open-source';

type FeedPreview = z.infer<typeof feedPreviewSchema>;
type PreviewEvent = z.infer<typeof previewEventSchema>;

function toPreviewEvent(entry: ManifestEntry): PreviewEvent {
  return {
    uuid: entry.uuid,
    info: entry.info,
    date: entry.date,
    timestamp: entry.timestamp,
    tags: entry.tags.map((t) => ({ name: t.name, ...(t.colour !== undefined ? { colour: t.colour } : {}) })),
    ...(entry.orgc?.name !== undefined ? { orgName: entry.orgc.name } : {}),
    ...(entry.analysis !== undefined ? { analysis: entry.analysis } : {}),
    ...(entry.threatLevelId !== undefined ? { threatLevelId: entry.threatLevelId } : {}),
  };
}

export async function previewSource(source: FeedSource, limits: SourceLimits): Promise<Result<FeedPreview>> {
  const layout = locateFeed(source);
  if (!layout.ok) return layout;
  const { manifest, eventFiles, hashes, root } = layout.value;
  const bytes = await source.read(manifest, limits.maxJsonBytes);
  if (!bytes.ok) return bytes;
  const parsed = parseManifest(bytes.value.toString('utf8'), manifest);
  const issues: Issue[] = [...parsed.issues];
  if (parsed.issues.some((i) => i.code === 'manifest.not-json' || i.code === 'manifest.not-object')) {
    return failure('bad-source', `${source.path}: ${parsed.issues[0]!.path}: ${parsed.issues[0]!.message}`, issues);
  }
  const announced = new Set<string>();
  for (const entry of parsed.value.entries) {
    announced.add(entry.uuid);
    if (!eventFiles.has(entry.uuid)) {
      issues.push(issue('warning', 'feed.event-file-missing', `${root}${entry.uuid}.json`, 'announced in manifest.json but not in the feed'));
    }
  }
  const unannounced = [...eventFiles.keys()].filter((u) => !announced.has(u));
  if (unannounced.length > 0) {
    issues.push(
      issue('info', 'feed.event-file-unannounced', `${root}${unannounced[0]}.json`, `${unannounced.length} event file(s) not in manifest.json are ignored`),
    );
  }
  const events = parsed.value.entries.map(toPreviewEvent);
  // Newest first, as MISP's preview index shows them.
  events.sort((a, b) => (a.date === b.date ? b.timestamp - a.timestamp : a.date < b.date ? 1 : -1));
  return success({
    source: { path: source.path, kind: source.kind, sizeBytes: source.sizeBytes, feedRoot: root, hasHashesCsv: hashes !== null, eventFileCount: eventFiles.size },
    events,
    issues,
  });
}

export async function previewFeed(path: string, limits: SourceLimits = DEFAULT_LIMITS): Promise<Result<FeedPreview>> {
  const opened = await openFeedSource(path, limits);
  if (!opened.ok) return opened;
  try {
    return await previewSource(opened.value, limits);
  } finally {
    await opened.value.close();
  }
}
