/**
 * The JSON shapes PyMISP's `to_feed` and `manifest` produce, built from an event that event-writer.ts has
 * already filtered and checked. What PyMISP does, and therefore what we do:
 * - each item emits a fixed set of fields in sorted key order, then its child lists (`Orgc`, `Tag`,
 *   `Attribute`, `Object`, `EventReport` on events; `ObjectReference`, `Attribute` on objects);
 * - integers become strings inside event files but stay numbers in manifest.json;
 * - `deleted`, `first_seen`, `last_seen` and `data` appear only when set; event `Tag` always appears,
 *   attribute `Tag` only when there are tags, object `Attribute` always, `ObjectReference` only when non-empty.
 * - analyst data (Note, Opinion, Relationship) follows an item's own lists and the event's CryptographicKey list
 *   follows EventReport, as MISP 2.5 places them; PyMISP writes the keys, and MISP 2.5 reads analyst data back.
 * One deliberate difference: a reference with `deleted: true` keeps that field. PyMISP cannot express a deleted
 * reference at all, and writing it without the flag would bring it back to life on the consumer.
 */
import { ANALYST_DATA_KINDS, type JsonRecord as JsonRecordIn, type WithAnalystData } from '../model/analyst-data';
import type { Attribute } from '../model/attribute';
import type { Event, EventReport, Orgc } from '../model/event';
import type { MispObject, ObjectReference } from '../model/object';
import type { ManifestEntry, ManifestTag } from './manifest';
import { pyJsonDumps, type PyJson } from './py-json';

type JsonRecord = { [key: string]: PyJson };

export interface FeedJsonOptions {
  /** Also emit `distribution` (PyMISP's with_distribution); sharing group details are not modelled. */
  readonly withDistribution?: boolean;
}

/** Sorted scalar fields first, as PyMISP iterates its field set in sorted order. */
function sortedFields(fields: Record<string, PyJson | undefined>): JsonRecord {
  const keys = Object.keys(fields);
  // The callers list their fields in order already; sorting is only the guard against one that does not (a sort
  // per attribute is a measurable part of exporting a million of them).
  let ordered = true;
  for (let i = 1; i < keys.length && ordered; i++) ordered = keys[i - 1]! < keys[i]!;
  const out: JsonRecord = {};
  for (const key of ordered ? keys : keys.sort()) {
    const value = fields[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * A carried record (analyst data, cryptographic key) with its keys sorted, as PyMISP writes any item; nested
 * objects are written as they were. The record came from JSON, so it is JSON.
 */
function carriedJson(body: JsonRecordIn): JsonRecord {
  const out: JsonRecord = {};
  for (const key of Object.keys(body).sort()) out[key] = body[key] as PyJson;
  return out;
}

/** The item's Note, Opinion and Relationship lists, after its own fields and lists, in MISP's kind order. */
function addAnalystData(out: JsonRecord, holder: WithAnalystData): void {
  if (holder.analystData === undefined) return;
  for (const kind of ANALYST_DATA_KINDS) {
    const records = holder.analystData.filter((d) => d.kind === kind);
    if (records.length > 0) out[kind] = records.map((d) => carriedJson(d.body));
  }
}

function str(n: number | undefined): string | undefined {
  return n === undefined ? undefined : String(n);
}

export const DEFAULT_TAG_COLOUR = '#ffffff';

/** What a tag needs to be written: model tags and manifest tags both qualify. */
interface TagLike {
  readonly name: string;
  readonly colour?: string;
  readonly local?: boolean;
  readonly relationshipType?: string;
}

function tagJson(tag: TagLike): JsonRecord {
  return {
    colour: tag.colour ?? DEFAULT_TAG_COLOUR,
    local: tag.local ?? false,
    name: tag.name,
    relationship_type: tag.relationshipType ?? '',
  };
}

function orgJson(org: Orgc): JsonRecord {
  return { name: org.name, uuid: org.uuid ?? '' };
}

export function attributeJson(a: Attribute, options: FeedJsonOptions = {}): JsonRecord {
  const out = sortedFields({
    category: a.category,
    comment: a.comment,
    data: a.data,
    deleted: a.deleted,
    disable_correlation: a.disableCorrelation,
    distribution: options.withDistribution ? str(a.distribution) : undefined,
    first_seen: a.firstSeen,
    last_seen: a.lastSeen,
    object_relation: a.objectRelation,
    timestamp: String(a.timestamp),
    to_ids: a.toIds,
    type: a.type,
    uuid: a.uuid,
    value: a.value,
  });
  if (a.tags.length > 0) out['Tag'] = a.tags.map(tagJson);
  addAnalystData(out, a);
  return out;
}

function referenceJson(r: ObjectReference): JsonRecord {
  return sortedFields({
    comment: r.comment,
    deleted: r.deleted === true ? true : undefined,
    object_uuid: r.objectUuid,
    referenced_uuid: r.referencedUuid,
    relationship_type: r.relationshipType,
    timestamp: String(r.timestamp),
    uuid: r.uuid,
  });
}

export function objectJson(o: MispObject, options: FeedJsonOptions = {}): JsonRecord {
  const out = sortedFields({
    comment: o.comment,
    deleted: o.deleted,
    description: o.description,
    distribution: options.withDistribution ? str(o.distribution) : undefined,
    first_seen: o.firstSeen,
    last_seen: o.lastSeen,
    'meta-category': o.metaCategory,
    name: o.name,
    template_uuid: o.templateUuid,
    template_version: String(o.templateVersion),
    timestamp: String(o.timestamp),
    uuid: o.uuid,
  });
  if (o.references.length > 0) out['ObjectReference'] = o.references.map(referenceJson);
  out['Attribute'] = o.attributes.map((a) => attributeJson(a, options));
  addAnalystData(out, o);
  return out;
}

function reportJson(r: EventReport, options: FeedJsonOptions): JsonRecord {
  const out = sortedFields({
    content: r.content,
    deleted: r.deleted,
    distribution: options.withDistribution ? str(r.distribution) : undefined,
    name: r.name,
    timestamp: String(r.timestamp),
    uuid: r.uuid,
  });
  addAnalystData(out, r);
  return out;
}

/** `{"Event": {...}}` for an event already prepared by event-writer.ts (it must have an Orgc). */
export function feedEventJson(event: Event & { readonly orgc: Orgc }, options: FeedJsonOptions = {}): JsonRecord {
  const out = sortedFields({
    analysis: String(event.analysis),
    date: event.date,
    distribution: options.withDistribution ? str(event.distribution) : undefined,
    extends_uuid: event.extendsUuid,
    info: event.info,
    protected: event.protected,
    publish_timestamp: String(event.publishTimestamp),
    published: event.published,
    threat_level_id: String(event.threatLevelId),
    timestamp: String(event.timestamp),
    uuid: event.uuid,
  });
  out['Orgc'] = orgJson(event.orgc);
  out['Tag'] = event.tags.map(tagJson);
  if (event.attributes.length > 0) out['Attribute'] = event.attributes.map((a) => attributeJson(a, options));
  if (event.objects.length > 0) out['Object'] = event.objects.map((o) => objectJson(o, options));
  if (event.reports.length > 0) out['EventReport'] = event.reports.map((r) => reportJson(r, options));
  if (event.cryptographicKeys !== undefined && event.cryptographicKeys.length > 0) out['CryptographicKey'] = event.cryptographicKeys.map(carriedJson);
  addAnalystData(out, event);
  return { Event: out };
}

/** The event file's text: `json.dumps(..., indent=2)` as PyMISP's generate.py writes it, no final newline. */
export function feedEventText(event: Event & { readonly orgc: Orgc }, options: FeedJsonOptions = {}): string {
  return pyJsonDumps(feedEventJson(event, options), 2);
}

/** The manifest entry PyMISP derives from an event: creator org, tags, title, date, and numbers as numbers. */
export function manifestEntryOf(event: Event & { readonly orgc: Orgc }): ManifestEntry {
  return {
    uuid: event.uuid,
    info: event.info,
    date: event.date,
    timestamp: event.timestamp,
    analysis: event.analysis,
    threatLevelId: event.threatLevelId,
    orgc: event.orgc.uuid === undefined ? { name: event.orgc.name } : { name: event.orgc.name, uuid: event.orgc.uuid },
    tags: event.tags.map((t): ManifestTag => ({
      name: t.name,
      colour: t.colour ?? DEFAULT_TAG_COLOUR,
      local: t.local,
      relationshipType: t.relationshipType ?? '',
    })),
  };
}

/**
 * One manifest value in PyMISP's key order. Entries read from someone else's manifest may lack fields; they get
 * PyMISP's own defaults (analysis 2, threat level 4) so the written manifest always has the full shape.
 */
export function manifestEntryJson(entry: ManifestEntry): JsonRecord {
  return {
    Orgc: { name: entry.orgc?.name ?? '', uuid: entry.orgc?.uuid ?? '' },
    Tag: entry.tags.map(tagJson),
    info: entry.info,
    date: entry.date,
    analysis: entry.analysis ?? 2,
    threat_level_id: entry.threatLevelId ?? 4,
    timestamp: entry.timestamp,
    // The RFC's integrity field, after PyMISP's seven (MISP ignores it; PyMISP's loader too).
    ...(entry.sha256 !== undefined ? { 'integrity:sha256': entry.sha256 } : {}),
  };
}

/** manifest.json as PyMISP writes it: one compact line, entries in the order given, no final newline. */
export function manifestText(entries: Iterable<ManifestEntry>): string {
  const out: JsonRecord = {};
  for (const entry of entries) out[entry.uuid] = manifestEntryJson(entry);
  return pyJsonDumps(out);
}
