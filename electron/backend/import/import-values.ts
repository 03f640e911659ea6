/**
 * Freetext and CSV feeds (MISP's Feed::saveFreetextFeedData, misp-feed-spec §2.7): a list of indicators in a file
 * becomes attributes of one event. Values are found by the format core's detector (freetext) or read from the
 * feed's columns (CSV), then validated and normalised like any attribute; the ones MISP would refuse are reported
 * by line instead of silently dropped.
 *
 * - fixed event: the feed keeps one event (its id stored in the feed's `eventId`); values already in it are skipped;
 *   with delta merge, attributes no longer in the file are soft-deleted (MISP's way of retracting) and the event is
 *   unpublished. Otherwise each import creates a new event "<feed name> feed".
 * - cache mode indexes the md5 of each value for correlation and creates nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { parseCsvFeed } from '../../../shared/feed/csv';
import { compileMispRegex, parseFreetext, type SuggestedAttribute } from '../../../shared/feed/freetext';
import { issue, type Issue } from '../../../shared/feed/issues';
import { validateAttributeValue } from '../../../shared/misp/validate';
import type { Attribute } from '../../../shared/model/attribute';
import type { Event } from '../../../shared/model/event';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import type { Reader } from '../db/reader';
import type { Writer } from '../db/writer';
import type { HandlerContext } from '../dispatch';
import { FeedStore } from '../db/queries/feed-store';
import { failure, success, type Result } from '../result';
import type { SourceLimits } from '../source/limits';
import { checkText } from '../source/text-check';
import { loadEvent } from '../db/queries/event-load';
import { eventUuidById } from '../db/queries/event-lookups';
import { EventStore } from '../db/queries/event-store';
import { replaceFeedCache } from './cache-feed';
import type { ImportReport } from '../db/queries/import-runs';

type Counts = ImportReport['counts'];
type Item = ImportReport['items'][number];

export interface ValueFeedContext {
  readonly writer: Writer;
  readonly reader: Reader;
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
  readonly feedId: number;
  readonly feed: FeedSettings;
  readonly importId: number;
  readonly limits: SourceLimits;
  readonly handler: HandlerContext;
}

export interface ParsedValues {
  readonly attributes: readonly SuggestedAttribute[];
  readonly issues: readonly Issue[];
}

/** Read the file and find its values the way the feed's format says. */
export async function readFeedValues(path: string, feed: FeedSettings, limits: SourceLimits): Promise<Result<ParsedValues>> {
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) return failure('not-found', `${path}: no such file`);
  if (st.size > limits.maxJsonBytes) return failure('bad-source', `${path}: ${st.size} bytes is over the ${limits.maxJsonBytes}-byte limit for a value list`);
  // Not text (binary, UTF-16, mostly invalid UTF-8) is refused here, before anything is stored (text-check.ts).
  const checked = checkText(await readFile(path), path);
  if (!checked.ok) return checked;
  const text = checked.value;
  const issues: Issue[] = [];
  let excludeRegex: RegExp | null = null;
  if (feed.settings.excludeRegex) {
    const compiled = compileMispRegex(feed.settings.excludeRegex, 'feed.settings.excludeRegex');
    issues.push(...compiled.issues);
    excludeRegex = compiled.value;
  }
  const source = path.split(/[\\/]/).pop() ?? path;
  const common = { excludeRegex, overrideIds: feed.overrideIds, source };
  switch (feed.sourceFormat) {
    case 'csv': {
      const parsed = parseCsvFeed(text, { ...common, valueColumns: feed.settings.csv.valueColumns, delimiter: feed.settings.csv.delimiter });
      return success({ attributes: parsed.value.attributes, issues: [...issues, ...parsed.issues] });
    }
    case 'freetext':
    case 'misp': {
      const parsed = parseFreetext(text, common);
      return success({ attributes: parsed.value.attributes, issues: [...issues, ...parsed.issues] });
    }
    default: {
      const exhaustive: never = feed.sourceFormat;
      return exhaustive;
    }
  }
}

/** Validate and normalise as MISP would on save; refused values become issues naming their line. */
function toAttributes(found: readonly SuggestedAttribute[], source: string, now: number, issues: Issue[]): Attribute[] {
  const out: Attribute[] = [];
  const seen = new Set<string>();
  for (const s of found) {
    const where = `${source}${s.line !== undefined ? `:${s.line}` : s.pointer ?? ''}`;
    const checked = validateAttributeValue(s.type, s.value);
    if (!checked.ok) {
      issues.push(issue('warning', 'values.refused', where, `${s.type} "${s.original.slice(0, 80)}": ${checked.reason}`));
      continue;
    }
    const key = `${s.type}\u0000${checked.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      uuid: randomUUID(),
      type: s.type,
      category: s.category,
      value: checked.value,
      toIds: s.to_ids,
      comment: s.comment ?? '',
      timestamp: now,
      distribution: 5,
      disableCorrelation: false,
      tags: [],
    });
  }
  return out;
}

function newEvent(feed: FeedSettings, now: number): Event {
  return {
    uuid: randomUUID(),
    info: `${feed.name} feed`,
    date: new Date(now * 1000).toISOString().slice(0, 10),
    timestamp: now,
    publishTimestamp: feed.publish ? now : 0,
    published: feed.publish,
    analysis: 2,
    threatLevelId: 4,
    distribution: feed.distribution === 5 ? 0 : feed.distribution,
    extendsUuid: '',
    protected: false,
    ...(feed.settings.disableCorrelation ? { disableCorrelation: true } : {}),
    orgc: { name: feed.provider },
    tags: feed.defaultTag ? [{ name: feed.defaultTag.name, colour: feed.defaultTag.colour, local: false, exportable: feed.defaultTag.exportable }] : [],
    attributes: [],
    objects: [],
    reports: [],
  };
}

export async function fetchValues(path: string, read: ParsedValues, ctx: ValueFeedContext, counts: Counts, items: Item[]): Promise<Result<'done' | 'cancelled'>> {
  const itemIssues: Issue[] = [...read.issues];
  const source = path.split(/[\\/]/).pop() ?? path;
  if (ctx.handler.signal.aborted) return success('cancelled');
  const now = Math.floor(Date.now() / 1000);
  const incoming = toAttributes(read.attributes, source, now, itemIssues);
  counts.selected = incoming.length;
  const provenance = { feedId: ctx.feedId, importId: ctx.importId };

  // One step: the fixed event is read and written in the same transaction, so nothing can change in between.
  const written = await ctx.writer.write('import: value list', (step): Result<Item> => {
    const store = new EventStore(step.db);
    const fixedId = ctx.feed.fixedEvent ? ctx.feed.eventId : null;
    const fixedUuid = fixedId === null ? undefined : eventUuidById(step.db, fixedId);
    const existing = fixedUuid ? loadEvent(step.db, fixedUuid) : undefined;
    if (!existing) {
      const event = { ...newEvent(ctx.feed, now), attributes: incoming };
      const inserted = store.insert(event, provenance);
      store.flushKeys();
      if (ctx.feed.fixedEvent) new FeedStore(step.db).setFixedEvent(ctx.feedId, store.state(event.uuid)?.id ?? null);
      step.changed({ events: [event.uuid], feeds: true });
      return success({ uuid: event.uuid, info: event.info, outcome: 'added', attributes: inserted.attributes, issues: [...itemIssues, ...droppedIssues(inserted.droppedUuids, source)] });
    }
    // The fixed event: add what is new, and with delta merge retract what is gone.
    const old = existing.event;
    const present = new Set(old.attributes.filter((a) => !a.deleted).map((a) => `${a.type}\u0000${a.value}`));
    const wanted = new Set(incoming.map((a) => `${a.type}\u0000${a.value}`));
    const added = incoming.filter((a) => !present.has(`${a.type}\u0000${a.value}`));
    const retracted = ctx.feed.deltaMerge
      ? old.attributes.filter((a) => !a.deleted && !wanted.has(`${a.type}\u0000${a.value}`)).map((a) => ({ ...a, deleted: true, timestamp: Math.max(now, a.timestamp + 1) }))
      : [];
    if (added.length === 0 && retracted.length === 0) {
      return success({ uuid: old.uuid, info: old.info, outcome: 'unchanged', attributes: 0, issues: itemIssues });
    }
    const stored = store.state(old.uuid);
    if (!stored) return failure('internal', `the fixed event ${old.uuid} vanished`);
    const published = retracted.length > 0 ? false : ctx.feed.publish || old.published;
    const timestamp = Math.max(now, stored.timestamp + 1);
    const event: Event = { ...old, timestamp, published, publishTimestamp: published ? timestamp : old.publishTimestamp, attributes: [...retracted, ...added] };
    const updated = store.update(stored, event, provenance);
    store.flushKeys();
    step.changed({ events: [old.uuid], feeds: true });
    if (retracted.length > 0) itemIssues.push(issue('info', 'values.retracted', source, `${retracted.length} values no longer in the file were soft-deleted (delta merge)`));
    return success({ uuid: old.uuid, info: old.info, outcome: 'updated', attributes: updated.attributes, issues: [...itemIssues, ...droppedIssues(updated.droppedUuids, source)] });
  });
  if (!written.ok) return written;
  const item = written.value;
  counts[item.outcome === 'added' ? 'added' : item.outcome === 'updated' ? 'updated' : 'unchanged']++;
  counts.attributes += item.attributes;
  items.push(item);
  return success('done');
}

function droppedIssues(uuids: readonly string[], source: string): Issue[] {
  return uuids.map((u) => issue('warning', 'import.uuid-taken', `${source}#${u}`, `uuid ${u} already belongs to another event; item dropped (as MISP does)`));
}

export async function cacheValues(path: string, read: ParsedValues, ctx: ValueFeedContext, counts: Counts, issues: Issue[]): Promise<Result<'done' | 'cancelled'>> {
  issues.push(...read.issues);
  const source = path.split(/[\\/]/).pop() ?? path;
  const attributes = toAttributes(read.attributes, source, 0, issues);
  counts.selected = attributes.length;
  const result = await replaceFeedCache({ ...ctx }, async (writer) => {
    // As MISP caches a freetext feed: the md5 of each resolved value.
    for (const a of attributes) writer.add(createHash('md5').update(a.value, 'utf8').digest('hex'), null);
    return ctx.handler.signal.aborted ? 'cancelled' : 'done';
  });
  if (!result.ok) return result;
  counts.cachedValues = result.value.values;
  return success(result.value.status);
}
