/**
 * The paged event view in SQL: an event's header and counts, and pages of its attributes (in objects or not) sorted
 * and filtered by SQLite, with each page's tags and objects fetched in one query each. An event of 345,819
 * attributes opens with its first page in milliseconds instead of sending 100 MB; no answer grows with the event.
 *
 * Orders. The default order (`id`: the event's own order as stored; top-level attributes first, then each object's,
 * as the feed file has them; later additions at the end) is read straight off the attribute_event index, at any
 * offset or after a cursor. Any other order or a filter needs the event's rows sorted, which no index serves (one
 * index per sortable column would slow every import); sorting 345k rows takes SQLite 0.5–2 s, and an OFFSET deep
 * in that order costs the same again on every page. So the first page of such an order computes the whole ordered
 * list of row ids once (8 bytes a row) and keeps it, with the filter's total and per-object counts, in a small
 * cache; every further page is a slice of it plus a primary-key fetch of its rows. The cache belongs to the read
 * connection and is dropped whenever `PRAGMA data_version` says another connection committed, so a page never
 * comes from an order computed on other data.
 *
 * The same functions serve a previewed event (feeds/preview-store.ts loads it into a scratch database of the same
 * schema), so the preview pane has the same contract as a stored event's.
 */
import type { z } from 'zod';
import {
  MAX_EVENT_ISSUES,
  MAX_OBJECT_REFERENCES,
  type AttributePageRequest,
  type attributePageSchema,
  type eventCountsSchema,
  type eventHeaderSchema,
  type eventPageSchema,
} from '../../../../shared/ipc/library-schemas';
import type { Issue } from '../../../../shared/feed/issues';
import type { ReadHandle } from '../handles';
import { attributeUuidKey } from './attribute-uuid';

export type AttributePage = z.infer<typeof attributePageSchema>;
export type EventPage = z.infer<typeof eventPageSchema>;
export type EventHeader = z.infer<typeof eventHeaderSchema>;
export type EventCounts = z.infer<typeof eventCountsSchema>;
type AttributeFilter = AttributePageRequest['filter'];

/** What the pane opens with: the event's own order, deleted attributes included (greyed), 200 rows. */
export const FIRST_PAGE: AttributePageRequest = { offset: 0, limit: 200, sort: 'id', direction: 'asc', filter: { includeDeleted: true } };

interface EventRow {
  id: number; uuid: string; feed_id: number | null; feed_name: string | null; info: string; date: string; timestamp: number;
  publish_timestamp: number; published: number; analysis: number; threat_level_id: number; distribution: number | null;
  orgc_name: string | null; orgc_uuid: string | null; locally_edited: number; attribute_count: number; object_count: number;
}

interface AttributeRow {
  id: number; uuid: string; type: string; category: string; value: string; to_ids: number; comment: string; timestamp: number;
  distribution: number | null; object_relation: string | null; first_seen: string | null; last_seen: string | null;
  deleted: number; disable_correlation: number; object_id: number | null; object_uuid: string | null;
}

interface ObjectRow {
  id: number; uuid: string; name: string; meta_category: string; description: string; template_uuid: string;
  template_version: number; comment: string; timestamp: number; distribution: number | null; deleted: number; reference_count: number;
}

interface ReferenceRow {
  object_id: number; uuid: string; referenced_uuid: string; relationship_type: string; comment: string; deleted: number; target: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// SQL (every order ends with the row id, so rows with equal keys keep one stable order)

// Whitelisted ORDER BY clauses: the sort key comes from the UI, so it never reaches SQL as text.
const ORDER: Record<AttributePageRequest['sort'], string> = {
  id: 'a.id %DIR',
  type: 'a.type %DIR, a.id %DIR',
  category: 'a.category %DIR, a.id %DIR',
  value: 'a.value %DIR, a.id %DIR',
  timestamp: 'a.timestamp %DIR, a.id %DIR',
  toIds: 'a.to_ids %DIR, a.id %DIR',
  comment: 'a.comment %DIR, a.id %DIR',
};

const ROW_COLUMNS = `a.id, a.uuid, a.type, a.category, a.value, a.to_ids, a.comment, a.timestamp, a.distribution,
  a.object_relation, a.first_seen, a.last_seen, a.deleted, a.disable_correlation, a.object_id, o.uuid AS object_uuid`;

const EVENT_SQL = `SELECT e.id, e.uuid, e.feed_id, json_extract(f.config, '$.name') AS feed_name, e.info, e.date, e.timestamp,
    e.publish_timestamp, e.published, e.analysis, e.threat_level_id, e.distribution, e.orgc_name, e.orgc_uuid,
    e.locally_edited, e.attribute_count, e.object_count
  FROM event e LEFT JOIN feed f ON f.id = e.feed_id WHERE e.uuid = ?`;

const EVENT_TAGS_SQL = `SELECT t.name, t.colour, x.local FROM event_tag x JOIN tag t ON t.id = x.tag_id WHERE x.event_id = ? ORDER BY t.name`;

const ROWS_BY_ID_SQL = `SELECT ${ROW_COLUMNS} FROM attribute a LEFT JOIN object o ON o.id = a.object_id
  WHERE a.id IN (SELECT value FROM json_each(?))`;

const TAGS_SQL = `SELECT x.attribute_id AS owner, t.name, t.colour, x.local FROM attribute_tag x JOIN tag t ON t.id = x.tag_id
  WHERE x.attribute_id IN (SELECT value FROM json_each(?)) ORDER BY x.attribute_id, t.name`;

const OBJECTS_SQL = `SELECT o.id, o.uuid, o.name, o.meta_category, o.description, o.template_uuid, o.template_version, o.comment,
    o.timestamp, o.distribution, o.deleted, (SELECT count(*) FROM object_reference r WHERE r.object_id = o.id) AS reference_count
  FROM object o WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`;

// The first MAX_OBJECT_REFERENCES references of each object, each with its target in words, found by uuid (an
// attribute: "type value", or "object/relation value" inside an object; an object: "name object (comment)").
const REFERENCES_SQL = `SELECT r.object_id, r.uuid, r.referenced_uuid, r.relationship_type, r.comment, r.deleted,
    substr(coalesce(
      (SELECT CASE WHEN t.object_id IS NULL THEN t.type || ' ' || t.value
                   ELSE coalesce(tobj.name, '') || '/' || coalesce(t.object_relation, t.type) || ' ' || t.value END
         FROM attribute t LEFT JOIN object tobj ON tobj.id = t.object_id WHERE ${attributeUuidKey('t.uuid')} = ${attributeUuidKey('r.referenced_uuid')}),
      (SELECT t.name || ' object' || CASE WHEN t.comment <> '' THEN ' (' || t.comment || ')' ELSE '' END
         FROM object t WHERE t.uuid = r.referenced_uuid)), 1, 300) AS target
  FROM (SELECT r.*, row_number() OVER (PARTITION BY r.object_id ORDER BY r.id) AS n
          FROM object_reference r WHERE r.object_id IN (SELECT value FROM json_each(?))) r
  WHERE r.n <= ${MAX_OBJECT_REFERENCES} ORDER BY r.object_id, r.n`;

function likeTerm(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The WHERE clause of a filter, with named parameters. */
function filterSql(eventId: number, filter: AttributeFilter): { where: string; params: Record<string, unknown> } {
  const where = ['a.event_id = @eventId'];
  const params: Record<string, unknown> = { eventId };
  if (!filter.includeDeleted) where.push('a.deleted = 0');
  if (filter.type !== undefined) {
    where.push('a.type = @type');
    params['type'] = filter.type;
  }
  if (filter.category !== undefined) {
    where.push('a.category = @category');
    params['category'] = filter.category;
  }
  if (filter.toIds !== undefined) {
    where.push('a.to_ids = @toIds');
    params['toIds'] = filter.toIds ? 1 : 0;
  }
  if (filter.objectUuid === null) where.push('a.object_id IS NULL');
  else if (filter.objectUuid !== undefined) {
    where.push('a.object_id = (SELECT id FROM object WHERE uuid = @objectUuid AND event_id = @eventId)');
    params['objectUuid'] = filter.objectUuid.toLowerCase();
  }
  const text = filter.text?.trim();
  if (text) {
    // The table's filter box: what an analyst sees in a row, and the object a row belongs to.
    where.push(`(a.value LIKE @like ESCAPE '\\' OR a.type LIKE @like ESCAPE '\\' OR a.category LIKE @like ESCAPE '\\'
      OR a.comment LIKE @like ESCAPE '\\' OR a.object_relation LIKE @like ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM attribute_tag x JOIN tag t ON t.id = x.tag_id WHERE x.attribute_id = a.id AND t.name LIKE @like ESCAPE '\\')
      OR (a.object_id IS NOT NULL AND EXISTS (SELECT 1 FROM object ob WHERE ob.id = a.object_id
            AND (ob.name LIKE @like ESCAPE '\\' OR ob.comment LIKE @like ESCAPE '\\'))))`);
    params['like'] = likeTerm(text);
  }
  return { where: where.join(' AND '), params };
}

/** No filter at all: every row of the event, as the index holds them. */
function isPlain(filter: AttributeFilter): boolean {
  return (
    filter.includeDeleted &&
    filter.type === undefined &&
    filter.category === undefined &&
    filter.toIds === undefined &&
    filter.objectUuid === undefined &&
    !filter.text?.trim()
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The per-connection cache of computed orders and counts

interface Order {
  readonly ids: Float64Array;
  /** objectId → rows of that object in this order (those passing the filter). */
  readonly perObject: ReadonlyMap<number, number>;
}

/** Orders kept per connection; each is 8 bytes a row (2.8 MB for 345k rows). */
const MAX_ORDERS = 6;
/** Events whose per-object attribute counts are kept. */
const MAX_COUNTED_EVENTS = 4;

class ViewCache {
  readonly totals = new Map<number, number>();
  readonly objectCounts = new Map<number, ReadonlyMap<number, number>>();
  readonly orders = new Map<string, Order>();
  constructor(readonly version: number) {}
}

const caches = new WeakMap<ReadHandle, ViewCache>();

/** Call after the read's first statement, so the version is the snapshot's. */
function cacheFor(db: ReadHandle): ViewCache {
  const version = db.pragma('data_version', { simple: true }) as number;
  let cache = caches.get(db);
  if (!cache || cache.version !== version) {
    cache = new ViewCache(version);
    caches.set(db, cache);
  }
  return cache;
}

/** Least recently used first: re-inserting on use keeps a Map in use order. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) map.delete(map.keys().next().value as K);
  return value;
}

function allRows(db: ReadHandle, cache: ViewCache, eventId: number): number {
  const known = cache.totals.get(eventId);
  if (known !== undefined) return known;
  const n = db.prepare('SELECT count(*) FROM attribute WHERE event_id = ?').pluck().get(eventId) as number;
  return remember(cache.totals, eventId, n, 64);
}

/** Attributes per object, for the whole event at once: no index leads from an object to its attributes. */
function objectCounts(db: ReadHandle, cache: ViewCache, eventId: number): ReadonlyMap<number, number> {
  const known = cache.objectCounts.get(eventId);
  if (known) return remember(cache.objectCounts, eventId, known, MAX_COUNTED_EVENTS);
  const counts = new Map<number, number>();
  const rows = db
    .prepare<[number], [number, number]>('SELECT object_id, count(*) FROM attribute WHERE event_id = ? AND object_id IS NOT NULL GROUP BY object_id')
    .raw()
    .iterate(eventId);
  for (const [objectId, n] of rows) counts.set(objectId, n);
  return remember(cache.objectCounts, eventId, counts, MAX_COUNTED_EVENTS);
}

function buildOrder(db: ReadHandle, eventId: number, request: AttributePageRequest): Order {
  const { where, params } = filterSql(eventId, request.filter);
  const order = ORDER[request.sort].replaceAll('%DIR', request.direction === 'asc' ? 'ASC' : 'DESC');
  const rows = db.prepare(`SELECT a.id, a.object_id FROM attribute a WHERE ${where} ORDER BY ${order}`).raw().iterate(params) as IterableIterator<
    [number, number | null]
  >;
  let ids = new Float64Array(4096);
  let n = 0;
  const perObject = new Map<number, number>();
  for (const [id, objectId] of rows) {
    if (n === ids.length) {
      const grown = new Float64Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
    }
    ids[n++] = id;
    if (objectId !== null) perObject.set(objectId, (perObject.get(objectId) ?? 0) + 1);
  }
  return { ids: ids.slice(0, n), perObject };
}

function orderFor(db: ReadHandle, cache: ViewCache, eventId: number, request: AttributePageRequest): Order {
  const key = JSON.stringify([eventId, request.sort, request.direction, request.filter]);
  const known = cache.orders.get(key);
  return remember(cache.orders, key, known ?? buildOrder(db, eventId, request), MAX_ORDERS);
}

/** Index of the first id after `after` in an id-ordered list (ascending or descending). */
function positionAfter(ids: Float64Array, after: number, ascending: boolean): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ascending ? ids[mid]! <= after : ids[mid]! >= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------------------------
// Pages

const tagView = (t: { name: string; colour: string | null; local: number }) => ({ name: t.name, local: t.local === 1, ...(t.colour ? { colour: t.colour } : {}) });

function findEvent(db: ReadHandle, uuid: string): EventRow | undefined {
  return db.prepare<[string], EventRow>(EVENT_SQL).get(uuid.toLowerCase());
}

/** Tags, objects and references of a page's rows: one query each, whatever the page size. */
function completePage(db: ReadHandle, cache: ViewCache, eventId: number, rows: readonly AttributeRow[], total: number, offset: number | null, perObject: ReadonlyMap<number, number> | null): AttributePage {
  const tags = new Map<number, ReturnType<typeof tagView>[]>();
  if (rows.length > 0) {
    const tagRows = db
      .prepare<[string], { owner: number; name: string; colour: string | null; local: number }>(TAGS_SQL)
      .all(JSON.stringify(rows.map((r) => r.id)));
    for (const t of tagRows) {
      const list = tags.get(t.owner);
      if (list) list.push(tagView(t));
      else tags.set(t.owner, [tagView(t)]);
    }
  }
  const objectIds = [...new Set(rows.flatMap((r) => (r.object_id === null ? [] : [r.object_id])))];
  let objects: AttributePage['objects'] = [];
  if (objectIds.length > 0) {
    const ids = JSON.stringify(objectIds);
    const counts = objectCounts(db, cache, eventId);
    const references = new Map<number, AttributePage['objects'][number]['references']>();
    for (const r of db.prepare<[string], ReferenceRow>(REFERENCES_SQL).all(ids)) {
      const ref = { uuid: r.uuid, referencedUuid: r.referenced_uuid, relationshipType: r.relationship_type, comment: r.comment, deleted: r.deleted === 1, target: r.target };
      const list = references.get(r.object_id);
      if (list) list.push(ref);
      else references.set(r.object_id, [ref]);
    }
    objects = db
      .prepare<[string], ObjectRow>(OBJECTS_SQL)
      .all(ids)
      .map((o) => {
        const attributeCount = counts.get(o.id) ?? 0;
        return {
          uuid: o.uuid, name: o.name, metaCategory: o.meta_category, description: o.description, templateUuid: o.template_uuid,
          templateVersion: o.template_version, comment: o.comment, timestamp: o.timestamp, distribution: o.distribution,
          deleted: o.deleted === 1, attributeCount, matching: perObject ? (perObject.get(o.id) ?? 0) : attributeCount,
          references: references.get(o.id) ?? [], referenceCount: o.reference_count,
        };
      });
  }
  return {
    total,
    offset,
    rows: rows.map((r) => ({
      id: r.id, uuid: r.uuid, type: r.type, category: r.category, value: r.value, toIds: r.to_ids === 1, comment: r.comment,
      timestamp: r.timestamp, distribution: r.distribution, objectRelation: r.object_relation, firstSeen: r.first_seen,
      lastSeen: r.last_seen, deleted: r.deleted === 1, disableCorrelation: r.disable_correlation === 1,
      tags: tags.get(r.id) ?? [], objectUuid: r.object_uuid,
    })),
    objects,
  };
}

/** The rows with these ids, in this order. */
function rowsById(db: ReadHandle, ids: readonly number[]): AttributeRow[] {
  if (ids.length === 0) return [];
  const byId = new Map(db.prepare<[string], AttributeRow>(ROWS_BY_ID_SQL).all(JSON.stringify(ids)).map((r) => [r.id, r]));
  // Within one read every id is there; skipping a missing one only matters to a caller reading outside a transaction.
  return ids.flatMap((id) => byId.get(id) ?? []);
}

function pageOf(db: ReadHandle, cache: ViewCache, eventId: number, request: AttributePageRequest): AttributePage {
  const dir = request.direction === 'asc' ? 'ASC' : 'DESC';
  if (request.sort === 'id' && isPlain(request.filter)) {
    // Straight off the index, which holds the row ids: no sort, and an offset only steps over index entries (the
    // rows themselves are read for the page alone).
    const cursor = request.after === undefined ? '' : request.direction === 'asc' ? 'AND id > @after' : 'AND id < @after';
    const ids = db
      .prepare(`SELECT id FROM attribute WHERE event_id = @eventId ${cursor} ORDER BY id ${dir} LIMIT @limit OFFSET @offset`)
      .pluck()
      .all({ eventId, limit: request.limit, offset: request.offset, ...(request.after !== undefined ? { after: request.after } : {}) }) as number[];
    const rows = rowsById(db, ids);
    return completePage(db, cache, eventId, rows, allRows(db, cache, eventId), request.after === undefined ? request.offset : null, null);
  }
  const order = orderFor(db, cache, eventId, request);
  const start = request.after === undefined ? request.offset : positionAfter(order.ids, request.after, request.direction === 'asc');
  const rows = rowsById(db, Array.from(order.ids.subarray(start, start + request.limit)));
  return completePage(db, cache, eventId, rows, order.ids.length, request.after === undefined ? start : null, order.perObject);
}

function headerOf(db: ReadHandle, e: EventRow, issues: readonly Issue[]): EventHeader {
  return {
    uuid: e.uuid, info: e.info, date: e.date, timestamp: e.timestamp, publishTimestamp: e.publish_timestamp,
    published: e.published === 1, analysis: e.analysis, threatLevelId: e.threat_level_id, distribution: e.distribution,
    orgName: e.orgc_name, orgUuid: e.orgc_uuid, feedId: e.feed_id, feedName: e.feed_name, locallyEdited: e.locally_edited === 1,
    tags: db.prepare<[number], { name: string; colour: string | null; local: number }>(EVENT_TAGS_SQL).all(e.id).map(tagView),
    issues: issues.slice(0, MAX_EVENT_ISSUES),
  };
}

function countsOf(db: ReadHandle, cache: ViewCache, e: EventRow): EventCounts {
  const attributes = allRows(db, cache, e.id);
  const objects = db.prepare('SELECT count(*) FROM object WHERE event_id = ?').pluck().get(e.id) as number;
  // The event row keeps the counts of what is not deleted (written with every import step).
  return { attributes, deleted: Math.max(0, attributes - e.attribute_count), objects, deletedObjects: Math.max(0, objects - e.object_count) };
}

/** The event pane's opening answer: header, counts and the first page; undefined when there is no such event. */
export function readEventPage(db: ReadHandle, uuid: string, issues: readonly Issue[] = []): EventPage | undefined {
  const e = findEvent(db, uuid);
  if (!e) return undefined;
  const cache = cacheFor(db);
  return { ...headerOf(db, e, issues), counts: countsOf(db, cache, e), page: pageOf(db, cache, e.id, FIRST_PAGE) };
}

/** One page of an event's attributes; undefined when there is no such event. */
export function readAttributePage(db: ReadHandle, uuid: string, request: AttributePageRequest): AttributePage | undefined {
  const e = findEvent(db, uuid);
  if (!e) return undefined;
  return pageOf(db, cacheFor(db), e.id, request);
}
