/**
 * Open a feed and list what its manifest announces, or read one of its events, storing nothing (MISP's preview).
 * A read event is paged like a stored one (see preview-store.ts): the header and first page, then further pages.
 */
import type { z } from 'zod';
import { readEvent } from '../../../shared/feed/event-reader';
import type { ManifestEntry } from '../../../shared/feed/manifest';
import type { AttributePageRequest } from '../../../shared/ipc/library-schemas';
import type { feedPreviewSchema, previewEventSchema } from '../../../shared/ipc/schemas';
import { failure, success, type Result } from '../result';
import { DEFAULT_LIMITS, type SourceLimits } from '../source/limits';
import { openFeed, readText, type OpenedFeed } from '../source/open-feed';
import { readAttributePage, readEventPage, type AttributePage, type EventPage } from '../db/queries/event-page';
import { findPreview, loadPreview, type LoadedPreview } from './preview-store';

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

/** Read one event file of a feed and load it for paging, replacing an earlier load of the same event. */
function readFeedEvent(path: string, uuid: string, limits: SourceLimits, sqliteBinding?: string): Promise<Result<LoadedPreview>> {
  return withFeed(path, limits, async ({ layout, source }) => {
    const name = layout.eventFiles.get(uuid.toLowerCase());
    if (!name) return failure('not-found', `${source.path}: no event file ${uuid}.json`);
    const text = await readText(source, name, limits.maxJsonBytes);
    if (!text.ok) return text;
    const parsed = readEvent(text.value, { file: name });
    if (!parsed.value) return failure('bad-source', `${name}: ${parsed.issues[0]?.message ?? 'not a MISP event'}`, parsed.issues);
    return loadPreview(path, uuid, parsed.value, parsed.issues, sqliteBinding);
  });
}

/** The event pane's opening answer for an event inside a feed: header, counts, first page, and the reader's issues. */
export async function previewFeedEvent(path: string, uuid: string, limits: SourceLimits = DEFAULT_LIMITS, sqliteBinding?: string): Promise<Result<EventPage>> {
  const loaded = await readFeedEvent(path, uuid, limits, sqliteBinding);
  if (!loaded.ok) return loaded;
  const { db, uuid: eventUuid, issues } = loaded.value;
  // The scratch database is written once, when loaded: no read needs a transaction of its own.
  const page = readEventPage(db, eventUuid, issues);
  return page ? success(page) : failure('internal', `${uuid}: the previewed event was not kept`);
}

/** A page of a previewed event, from what previewFeedEvent loaded (read again if it was dropped since). */
export async function previewFeedAttributes(
  path: string,
  uuid: string,
  request: AttributePageRequest,
  limits: SourceLimits = DEFAULT_LIMITS,
  sqliteBinding?: string,
): Promise<Result<AttributePage>> {
  let preview = findPreview(path, uuid);
  if (!preview) {
    const loaded = await readFeedEvent(path, uuid, limits, sqliteBinding);
    if (!loaded.ok) return loaded;
    preview = loaded.value;
  }
  const { db, uuid: eventUuid } = preview;
  const page = readAttributePage(db, eventUuid, request);
  return page ? success(page) : failure('internal', `${uuid}: the previewed event was not kept`);
}
