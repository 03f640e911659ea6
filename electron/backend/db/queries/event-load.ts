/** Rebuild a model event from the library: for the event view now, for export later. */
import type { AnalystData, AnalystDataHolder, AnalystDataKind, JsonRecord } from '../../../../shared/model/analyst-data';
import type { Attribute } from '../../../../shared/model/attribute';
import type { Event, EventReport, Orgc } from '../../../../shared/model/event';
import type { Analysis, Distribution, ThreatLevel } from '../../../../shared/model/levels';
import type { MispObject, ObjectReference } from '../../../../shared/model/object';
import type { Tag } from '../../../../shared/model/tag';
import type { ReadHandle } from '../handles';
import type { EventMeta } from './event-view';

interface EventRow {
  id: number; uuid: string; feed_id: number | null; feed_name: string | null; info: string; date: string; timestamp: number;
  publish_timestamp: number; published: number; analysis: number; threat_level_id: number; distribution: number | null;
  sharing_group_id: number | null; orgc_name: string | null; orgc_uuid: string | null; locally_edited: number; extra: string;
}
interface ObjectRow {
  id: number; uuid: string; name: string; meta_category: string; description: string; template_uuid: string;
  template_version: number; comment: string; timestamp: number; distribution: number | null;
  sharing_group_id: number | null; first_seen: string | null; last_seen: string | null; deleted: number;
}
interface TagRow { owner: number; name: string; colour: string | null; local: number; exportable: number; relationship_type: string | null }

const some = <K extends string, V>(key: K, v: V | null): { [P in K]?: V } => (v === null ? {} : ({ [key]: v } as { [P in K]: V }));

function tagOf(r: TagRow): Tag {
  return {
    name: r.name,
    local: r.local === 1,
    ...some('colour', r.colour),
    ...(r.exportable === 0 ? { exportable: false } : {}),
    ...some('relationshipType', r.relationship_type),
  };
}

function group<T extends { owner: number }>(rows: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const list = m.get(r.owner);
    if (list) list.push(r);
    else m.set(r.owner, [r]);
  }
  return m;
}

export interface LoadedEvent {
  readonly event: Event;
  readonly meta: EventMeta;
  readonly id: number;
}

/** Attribute columns in the order loadEvent reads them, as one JSON array per attribute. */
const ATTRIBUTE_COLUMNS = `id, object_id, uuid, type, category, value, to_ids, comment, timestamp, distribution, sharing_group_id,
  object_relation, first_seen, last_seen, deleted, disable_correlation, data`;
type RawAttribute = [
  number, number | null, string, string, string, string, number, string, number, number | null, number | null,
  string | null, string | null, string | null, number, number, string | null,
];

function rawAttributeOf(r: RawAttribute, tags: Tag[]): Attribute {
  // Assigned one by one, not spread from small objects: an export builds a million of these.
  const a: { -readonly [K in keyof Attribute]: Attribute[K] } = {
    uuid: r[2], type: r[3], category: r[4], value: r[5], toIds: r[6] === 1, comment: r[7], timestamp: r[8],
    disableCorrelation: r[15] === 1, tags,
  };
  if (r[9] !== null) a.distribution = r[9] as Distribution;
  if (r[10] !== null) a.sharingGroupId = r[10];
  if (r[11] !== null) a.objectRelation = r[11];
  if (r[12] !== null) a.firstSeen = r[12];
  if (r[13] !== null) a.lastSeen = r[13];
  if (r[14] === 1) a.deleted = true;
  if (r[16] !== null) a.data = r[16];
  return a;
}

const TAG_SELECT = `t.name, t.colour, t.exportable, x.local, x.relationship_type`;

interface ReferenceRow { owner: number; uuid: string; referenced_uuid: string; relationship_type: string; comment: string; timestamp: number; deleted: number; object_uuid: string }
interface AnalystDataRow { kind: AnalystDataKind; uuid: string; holder_type: AnalystDataHolder; holder_uuid: string; body: string }
interface ReportRow { uuid: string; name: string; content: string; timestamp: number; distribution: number | null; sharing_group_id: number | null; deleted: number }

/** The statements of loadEvent, prepared once per connection (an export calls it for every event). */
function statementsFor(db: ReadHandle) {
  return {
    event: db.prepare<[string], EventRow>(
      `SELECT e.*, json_extract(f.config, '$.name') AS feed_name FROM event e LEFT JOIN feed f ON f.id = e.feed_id WHERE e.uuid = ?`,
    ),
    eventTags: db.prepare<[number], TagRow>(
      `SELECT x.event_id AS owner, ${TAG_SELECT} FROM event_tag x JOIN tag t ON t.id = x.tag_id WHERE x.event_id = ? ORDER BY x.position, x.tag_id`,
    ),
    idRange: db.prepare<[number], { first: number | null; last: number | null; n: number }>(
      'SELECT min(id) AS first, max(id) AS last, count(*) AS n FROM attribute WHERE event_id = ?',
    ),
    // By the event's attribute id range (a range of the primary key), not a lookup per attribute; rows of other
    // events inside the range are never asked for (only this event's ids are looked up).
    attributeTags: db.prepare<[number, number], TagRow>(
      `SELECT x.attribute_id AS owner, ${TAG_SELECT} FROM attribute_tag x JOIN tag t ON t.id = x.tag_id WHERE x.attribute_id BETWEEN ? AND ?
       ORDER BY x.attribute_id, x.position, x.tag_id`,
    ),
    // An event whose attributes are spread over the table (edited long after) is asked by its own ids instead.
    attributeTagsByEvent: db.prepare<[number], TagRow>(
      `SELECT x.attribute_id AS owner, ${TAG_SELECT} FROM attribute_tag x JOIN tag t ON t.id = x.tag_id
       JOIN attribute a ON a.id = x.attribute_id WHERE a.event_id = ? ORDER BY x.attribute_id, x.position, x.tag_id`,
    ),
    // One JSON text for all of an event's attributes: SQLite writes it and JSON.parse reads it far faster than
    // better-sqlite3 turns a million rows into values one column at a time; and a text posts to a worker as it is.
    attributes: db
      .prepare<[number], string>(
        `SELECT json_group_array(json_array(${ATTRIBUTE_COLUMNS})) FROM (SELECT ${ATTRIBUTE_COLUMNS} FROM attribute WHERE event_id = ? ORDER BY id)`,
      )
      .pluck(),
    objects: db.prepare<[number], ObjectRow>('SELECT * FROM object WHERE event_id = ? ORDER BY id'),
    references: db.prepare<[number], ReferenceRow>(
      `SELECT r.object_id AS owner, r.uuid, r.referenced_uuid, r.relationship_type, r.comment, r.timestamp, r.deleted, o.uuid AS object_uuid
       FROM object_reference r JOIN object o ON o.id = r.object_id WHERE o.event_id = ? ORDER BY r.id`,
    ),
    reports: db.prepare<[number], ReportRow>('SELECT * FROM event_report WHERE event_id = ? ORDER BY id'),
    analystData: db.prepare<[number], AnalystDataRow>(
      'SELECT kind, uuid, holder_type, holder_uuid, body FROM analyst_data WHERE event_id = ? ORDER BY holder_uuid, position, id',
    ),
  };
}

const prepared = new WeakMap<ReadHandle, ReturnType<typeof statementsFor>>();

/** An event as read from the library, plain data: what eventFromRows builds the model event from. */
export interface EventRows {
  readonly event: EventRow;
  readonly eventTags: readonly TagRow[];
  /** `[[id, object_id, uuid, …], …]` in ATTRIBUTE_COLUMNS order. */
  readonly attributesJson: string;
  readonly attributeTags: readonly TagRow[];
  readonly objects: readonly ObjectRow[];
  readonly references: readonly ReferenceRow[];
  readonly reports: readonly ReportRow[];
  readonly analystData: readonly AnalystDataRow[];
}

export function readEventRows(db: ReadHandle, uuid: string): EventRows | undefined {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = statementsFor(db)));
  const event = s.event.get(uuid.toLowerCase());
  if (!event) return undefined;
  const range = s.idRange.get(event.id)!;
  const attributeTags =
    range.first === null || range.last === null
      ? []
      : range.last - range.first < 2 * range.n + 1024
        ? s.attributeTags.all(range.first, range.last)
        : s.attributeTagsByEvent.all(event.id);
  return {
    event,
    eventTags: s.eventTags.all(event.id),
    attributesJson: s.attributes.get(event.id) ?? '[]',
    attributeTags,
    objects: s.objects.all(event.id),
    references: s.references.all(event.id),
    reports: s.reports.all(event.id),
    analystData: s.analystData.all(event.id),
  };
}

export function loadEvent(db: ReadHandle, uuid: string): LoadedEvent | undefined {
  const rows = readEventRows(db, uuid);
  return rows && eventFromRows(rows);
}

/** The model event from its rows; pure, so it runs on a worker thread as well. */
export function eventFromRows(rows: EventRows): LoadedEvent {
  const loaded = plainEventFromRows(rows);
  return rows.analystData.length === 0 ? loaded : { ...loaded, event: withAnalystData(loaded.event, rows.analystData) };
}

/**
 * The event with its analyst records put back on their holders. A record whose holder is not in the event (the
 * holder's uuid was taken by another event when it was stored) stays out, as its holder did.
 */
function withAnalystData(event: Event, rows: readonly AnalystDataRow[]): Event {
  const byHolder = new Map<string, AnalystData[]>();
  for (const r of rows) {
    const key = `${r.holder_type}:${r.holder_uuid}`;
    const list = byHolder.get(key) ?? [];
    list.push({ kind: r.kind, uuid: r.uuid, body: JSON.parse(r.body) as JsonRecord });
    byHolder.set(key, list);
  }
  const attach = <T extends { readonly uuid: string }>(type: AnalystDataHolder, item: T): T => {
    const records = byHolder.get(`${type}:${item.uuid}`);
    return records ? { ...item, analystData: records } : item;
  };
  return attach('Event', {
    ...event,
    attributes: event.attributes.map((a) => attach('Attribute', a)),
    objects: event.objects.map((o) => attach('Object', { ...o, attributes: o.attributes.map((a) => attach('Attribute', a)) })),
    reports: event.reports.map((r) => attach('EventReport', r)),
  });
}

function plainEventFromRows(rows: EventRows): LoadedEvent {
  const e = rows.event;
  const eventTags = rows.eventTags.map(tagOf);
  const attributes = JSON.parse(rows.attributesJson) as RawAttribute[];
  const attributeTags = group([...rows.attributeTags]);
  const objects = rows.objects;
  const references = group([...rows.references]);
  const reports = rows.reports.map(
    (r): EventReport => ({
      uuid: r.uuid, name: r.name, content: r.content, timestamp: r.timestamp,
      ...some('distribution', r.distribution as Distribution | null),
      ...some('sharingGroupId', r.sharing_group_id),
      ...(r.deleted === 1 ? { deleted: true } : {}),
    }),
  );

  const byObject = new Map<number, Attribute[]>();
  const topLevel: Attribute[] = [];
  for (const r of attributes) {
    const owned = attributeTags.get(r[0]);
    const a = rawAttributeOf(r, owned ? owned.map(tagOf) : []);
    const objectId = r[1];
    if (objectId === null) topLevel.push(a);
    else {
      const list = byObject.get(objectId);
      if (list) list.push(a);
      else byObject.set(objectId, [a]);
    }
  }
  const mispObjects: MispObject[] = objects.map((o) => ({
    uuid: o.uuid, name: o.name, metaCategory: o.meta_category, description: o.description, templateUuid: o.template_uuid,
    templateVersion: o.template_version, comment: o.comment, timestamp: o.timestamp,
    ...some('distribution', o.distribution as Distribution | null),
    ...some('sharingGroupId', o.sharing_group_id),
    ...some('firstSeen', o.first_seen),
    ...some('lastSeen', o.last_seen),
    ...(o.deleted === 1 ? { deleted: true } : {}),
    attributes: byObject.get(o.id) ?? [],
    references: (references.get(o.id) ?? []).map(
      (r): ObjectReference => ({
        uuid: r.uuid, objectUuid: r.object_uuid, referencedUuid: r.referenced_uuid, relationshipType: r.relationship_type,
        comment: r.comment, timestamp: r.timestamp, ...(r.deleted === 1 ? { deleted: true } : {}),
      }),
    ),
  }));
  const extra = JSON.parse(e.extra) as { extendsUuid?: string; protected?: boolean; disableCorrelation?: boolean; org?: Orgc; cryptographicKeys?: JsonRecord[] };
  const event: Event = {
    uuid: e.uuid, info: e.info, date: e.date, timestamp: e.timestamp, publishTimestamp: e.publish_timestamp,
    published: e.published === 1, analysis: e.analysis as Analysis, threatLevelId: e.threat_level_id as ThreatLevel,
    ...some('distribution', e.distribution as Distribution | null),
    ...some('sharingGroupId', e.sharing_group_id),
    extendsUuid: extra.extendsUuid ?? '',
    protected: extra.protected === true,
    ...(extra.disableCorrelation !== undefined ? { disableCorrelation: extra.disableCorrelation } : {}),
    ...(e.orgc_name !== null ? { orgc: { name: e.orgc_name, ...(e.orgc_uuid !== null ? { uuid: e.orgc_uuid } : {}) } } : {}),
    ...(extra.org ? { org: extra.org } : {}),
    tags: eventTags,
    attributes: topLevel,
    objects: mispObjects,
    reports,
    ...(extra.cryptographicKeys ? { cryptographicKeys: extra.cryptographicKeys } : {}),
  };
  return { id: e.id, event, meta: { feedId: e.feed_id, feedName: e.feed_name, locallyEdited: e.locally_edited === 1 } };
}
