/** Open a feed and list what its manifest announces, or read one of its events, storing nothing (MISP's preview). */
import type { z } from 'zod';
import { readEvent } from '../../../shared/feed/event-reader';
import type { ManifestEntry } from '../../../shared/feed/manifest';
import type { eventViewSchema } from '../../../shared/ipc/library-schemas';
import type { feedPreviewSchema, previewEventSchema } from '../../../shared/ipc/schemas';
import { failure, success, type Result } from '../result';
import { DEFAULT_LIMITS, type SourceLimits } from '../source/limits';
import { openFeed, readText, type OpenedFeed } from '../source/open-feed';
import { eventToView } from '../store/event-view';

type FeedPreview = z.infer<typeof feedPreviewSchema>;
type PreviewEvent = z.infer<typeof previewEventSchema>;
type EventView = z.infer<typeof eventViewSchema>;

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

async function withFeed<T>(path: string, limits: SourceLimits, use: (feed: OpenedFeed) => Promise<Result<T>>): Promise<Result<T>> {
  const opened = await openFeed(path, limits);
  if (!opened.ok) return opened;
  try {
    return await use(opened.value);
  } finally {
    await opened.value.source.close();
  }
}

export function previewFeed(path: string, limits: SourceLimits = DEFAULT_LIMITS): Promise<Result<FeedPreview>> {
  return withFeed(path, limits, async ({ source, layout, entries, issues }) => {
    const events = entries.map(toPreviewEvent);
    // Newest first, as MISP's preview index shows them.
    events.sort((a, b) => (a.date === b.date ? b.timestamp - a.timestamp : a.date < b.date ? 1 : -1));
    return success({
      source: {
        path: source.path,
        kind: source.kind,
        sizeBytes: source.sizeBytes,
        feedRoot: layout.root,
        hasHashesCsv: layout.hashes !== null,
        eventFileCount: layout.eventFiles.size,
      },
      events,
      issues: [...issues],
    });
  });
}

export function previewFeedEvent(path: string, uuid: string, limits: SourceLimits = DEFAULT_LIMITS): Promise<Result<EventView>> {
  return withFeed(path, limits, async ({ layout, source }) => {
    const name = layout.eventFiles.get(uuid.toLowerCase());
    if (!name) return failure('not-found', `${source.path}: no event file ${uuid}.json`);
    const text = await readText(source, name, limits.maxJsonBytes);
    if (!text.ok) return text;
    const parsed = readEvent(text.value, { file: name });
    if (!parsed.value) return failure('bad-source', `${name}: ${parsed.issues[0]?.message ?? 'not a MISP event'}`, parsed.issues);
    return success(eventToView(parsed.value, { feedId: null, feedName: null, locallyEdited: false }, parsed.issues));
  });
}
