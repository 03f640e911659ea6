/**
 * Readers for the parts of an event: tags, attributes, objects, object references and event reports.
 * Each returns the model value, or undefined when the item cannot be kept, after logging why. A rejected item
 * only costs itself: the event keeps everything else (see event-reader.ts for the severity rules).
 */
import { typeInfo, validateAttributeValue } from '../misp';
import type { Attribute } from '../model/attribute';
import type { EventReport } from '../model/event';
import { isDistribution, type Distribution } from '../model/levels';
import type { MispObject, ObjectReference } from '../model/object';
import { galaxyTagName, tagKey, type Tag } from '../model/tag';
import { normaliseUuid } from '../model/uuid';
import { readAnalystData } from './analyst-data-reader';
import type { IssueLog } from './issue-log';
import { describeValue, isJsonObject, looseBool, looseInt, looseString, type JsonObject, type Mutable } from './loose-json';

export interface ItemContext {
  readonly log: IssueLog;
  /** Mints uuids for items that lack one, as MISP does on save; without it such items are dropped. */
  readonly newUuid?: () => string;
  /** Keep attribute values exactly as written instead of normalising them the way MISP stores them. */
  readonly keepRawValues: boolean;
  /** Used for items without a timestamp of their own: the enclosing event's or object's. */
  readonly fallbackTimestamp: number;
  /** Every item uuid taken so far in this event, with where it was first seen. */
  readonly claimed: Map<string, string>;
  /** Give every attribute and object this distribution instead of the one written (see ReadEventOptions). */
  readonly itemDistribution?: Distribution;
}

/** MISP refuses attribute values longer than this many UTF-8 bytes. */
const MAX_VALUE_BYTES = 65535;
const COLOUR = /^#[0-9a-f]{6}$/i;

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
    if (n > MAX_VALUE_BYTES) return n; // enough to know it is too long
  }
  return n;
}

export function list(raw: unknown, pointer: string, what: string, log: IssueLog): unknown[] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) return raw;
  log.warn('event.not-a-list', pointer, `${what} should be a list but is ${describeValue(raw)}; ignored`);
  return [];
}

export function readUuid(raw: JsonObject, pointer: string, what: string, ctx: ItemContext): string | undefined {
  const uuid = normaliseUuid(raw['uuid']);
  if (uuid !== undefined) return uuid;
  if (ctx.newUuid) {
    const minted = ctx.newUuid();
    ctx.log.info(`${what}.uuid-generated`, `${pointer}/uuid`, `${what} uuid ${describeValue(raw['uuid'])} is not a uuid; a new one was given`);
    return minted;
  }
  ctx.log.warn(`${what}.uuid-invalid`, `${pointer}/uuid`, `${what} uuid ${describeValue(raw['uuid'])} is not a uuid; ${what} skipped`);
  return undefined;
}

/**
 * MISP keeps item uuids unique instance-wide and drops an item whose uuid is taken; within one event a repeat
 * is certainly a mistake, so the later copy goes.
 */
function claim(uuid: string, pointer: string, what: string, ctx: ItemContext): boolean {
  const first = ctx.claimed.get(uuid);
  if (first !== undefined) {
    ctx.log.warn('event.duplicate-uuid', `${pointer}/uuid`, `${what} uuid ${uuid} was already used at ${first}; this ${what} skipped`);
    return false;
  }
  ctx.claimed.set(uuid, pointer);
  return true;
}

export function readTimestamp(raw: unknown, pointer: string, what: string, ctx: ItemContext): number {
  const t = looseInt(raw);
  if (t !== undefined && t >= 0) return t;
  if (raw !== undefined && raw !== null) {
    ctx.log.warn(`${what}.timestamp-invalid`, pointer, `timestamp ${describeValue(raw)} is not Unix seconds; the parent's is used`);
  }
  return ctx.fallbackTimestamp;
}

export function readDistribution(raw: unknown, pointer: string, ctx: ItemContext, allowInherit = true): Distribution | undefined {
  if (raw === undefined || raw === null) return undefined;
  const d = looseInt(raw);
  if (isDistribution(d) && (allowInherit || d !== 5)) return d;
  ctx.log.warn('distribution.invalid', pointer, `distribution ${describeValue(raw)} is not one of ${allowInherit ? '0-5' : '0-4'}; ignored`);
  return undefined;
}

/** MISP writes "0" when there is no sharing group; only a real id is kept. */
export function readSharingGroupId(raw: unknown): number | undefined {
  const id = looseInt(raw);
  return id !== undefined && id > 0 ? id : undefined;
}

/** first_seen / last_seen: kept as the ISO text the source wrote; MISP writes null when unset. */
export function readSeen(raw: unknown, pointer: string, ctx: ItemContext): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'string' && raw.length <= 64 && /^\d{4}-\d{2}-\d{2}/.test(raw)) return raw;
  ctx.log.warn('seen.invalid', pointer, `${describeValue(raw)} is not an ISO 8601 date-time; ignored`);
  return undefined;
}

/** `deleted` is kept only when the source carries it, because PyMISP writes it only then. */
function readDeleted(raw: unknown): boolean | undefined {
  return looseBool(raw);
}

function readTag(raw: unknown, pointer: string, log: IssueLog): Tag | undefined {
  // PyMISP and some producers accept a bare tag name.
  if (typeof raw === 'string' && raw !== '') return { name: raw, local: false };
  if (!isJsonObject(raw)) {
    log.warn('tag.invalid', pointer, `tag is ${describeValue(raw)}, not an object; skipped`);
    return undefined;
  }
  const name = looseString(raw['name']);
  if (name === undefined || name.trim() === '') {
    log.warn('tag.name-missing', `${pointer}/name`, 'tag without a name skipped');
    return undefined;
  }
  if (name.length > 255) log.info('tag.name-too-long', `${pointer}/name`, 'tag name is longer than the 255 characters MISP keeps');
  const tag: Mutable<Tag> = { name, local: looseBool(raw['local']) ?? false };
  const colour = raw['colour'];
  if (typeof colour === 'string' && COLOUR.test(colour)) tag.colour = colour;
  else if (colour !== undefined && colour !== null && colour !== '') {
    log.warn('tag.colour-invalid', `${pointer}/colour`, `colour ${describeValue(colour)} is not #rrggbb; dropped`);
  }
  const exportable = looseBool(raw['exportable']);
  if (exportable !== undefined) tag.exportable = exportable;
  if (typeof raw['relationship_type'] === 'string') tag.relationshipType = raw['relationship_type'];
  return tag;
}

/**
 * Tags of an event or attribute, plus the galaxy clusters attached next to them. Clusters become tags named
 * `misp-galaxy:<type>="<value>"` (their `tag_name`), the only form feeds carry; duplicates are dropped.
 */
export function readTags(owner: JsonObject, pointer: string, log: IssueLog): Tag[] {
  const tags: Tag[] = [];
  const seen = new Set<string>();
  const add = (tag: Tag, at: string): void => {
    const key = tagKey(tag.name);
    if (seen.has(key)) {
      log.info('tag.duplicate', at, `tag ${describeValue(tag.name)} appears more than once; kept once`);
      return;
    }
    seen.add(key);
    tags.push(tag);
  };
  list(owner['Tag'], `${pointer}/Tag`, 'Tag', log).forEach((raw, i) => {
    const tag = readTag(raw, `${pointer}/Tag/${i}`, log);
    if (tag) add(tag, `${pointer}/Tag/${i}`);
  });
  list(owner['Galaxy'], `${pointer}/Galaxy`, 'Galaxy', log).forEach((galaxy, g) => {
    if (!isJsonObject(galaxy)) return;
    list(galaxy['GalaxyCluster'], `${pointer}/Galaxy/${g}/GalaxyCluster`, 'GalaxyCluster', log).forEach((cluster, c) => {
      if (!isJsonObject(cluster)) return;
      const at = `${pointer}/Galaxy/${g}/GalaxyCluster/${c}`;
      const type = looseString(cluster['type']) ?? looseString(galaxy['type']);
      const value = looseString(cluster['value']);
      const name = looseString(cluster['tag_name']) || (type && value ? galaxyTagName(type, value) : undefined);
      if (!name) {
        log.warn('galaxy.cluster-unnamed', at, 'galaxy cluster without tag_name, type or value skipped');
        return;
      }
      if (!seen.has(tagKey(name))) {
        log.info('galaxy.as-tag', at, `galaxy cluster kept as the tag ${describeValue(name)}, the only form feeds carry`);
        add({ name, local: looseBool(cluster['local']) ?? false }, at);
      }
    });
  });
  return tags;
}

export function readAttribute(raw: unknown, pointer: string, ctx: ItemContext, inObject: boolean): Attribute | undefined {
  const { log } = ctx;
  if (!isJsonObject(raw)) {
    log.warn('attribute.not-object', pointer, `attribute is ${describeValue(raw)}, not an object; skipped`);
    return undefined;
  }
  const type = raw['type'];
  const info = typeof type === 'string' ? typeInfo(type) : undefined;
  if (typeof type !== 'string' || !info) {
    log.warn('attribute.unknown-type', `${pointer}/type`, `attribute type ${describeValue(type)} is not a MISP type; attribute skipped`);
    return undefined;
  }
  if (!info.knownToMisp251) {
    log.info('attribute.type-newer-than-misp', `${pointer}/type`, `type ${type} is newer than MISP 2.5.1, which refuses it`);
  }
  const rawValue = looseString(raw['value']);
  if (rawValue === undefined) {
    log.warn('attribute.value-missing', `${pointer}/value`, `${type} attribute has ${describeValue(raw['value'])} as value; attribute skipped`);
    return undefined;
  }
  if (utf8Length(rawValue) > MAX_VALUE_BYTES) {
    log.warn('attribute.value-too-long', `${pointer}/value`, `${type} value is longer than the ${MAX_VALUE_BYTES} bytes MISP stores; attribute skipped`);
    return undefined;
  }
  const check = validateAttributeValue(type, rawValue);
  if (!check.ok) {
    log.warn('attribute.invalid-value', `${pointer}/value`, `${type} value ${describeValue(rawValue)} rejected: ${check.reason}; attribute skipped`);
    return undefined;
  }
  for (const w of check.warnings) log.info('attribute.value-warning', `${pointer}/value`, w);
  let value = rawValue;
  if (check.value !== rawValue && !ctx.keepRawValues) {
    log.info('attribute.value-normalised', `${pointer}/value`, `${describeValue(rawValue)} stored as ${describeValue(check.value)}, as MISP would`);
    value = check.value;
  }

  let category = looseString(raw['category']) ?? '';
  if (category === '') {
    category = info.defaultCategory; // MISP fills an empty category the same way
  } else if (!(info.categories as readonly string[]).includes(category)) {
    log.warn(
      'attribute.category-invalid',
      `${pointer}/category`,
      `${describeValue(category)} is not a category for ${type}; its default ${info.defaultCategory} is used, as PyMISP does`,
    );
    category = info.defaultCategory;
  }

  let objectRelation: string | undefined;
  if (inObject) {
    objectRelation = looseString(raw['object_relation']);
    if (!objectRelation) {
      log.warn('attribute.object-relation-missing', `${pointer}/object_relation`, 'object attribute without object_relation skipped; MISP requires it');
      return undefined;
    }
  }

  const uuid = readUuid(raw, pointer, 'attribute', ctx);
  if (uuid === undefined || !claim(uuid, pointer, 'attribute', ctx)) return undefined;

  const attribute: Mutable<Attribute> = {
    uuid,
    type,
    category,
    value,
    toIds: looseBool(raw['to_ids']) ?? info.defaultToIds,
    comment: looseString(raw['comment']) ?? '',
    timestamp: readTimestamp(raw['timestamp'], `${pointer}/timestamp`, 'attribute', ctx),
    disableCorrelation: looseBool(raw['disable_correlation']) ?? false,
    tags: readTags(raw, pointer, log),
  };
  const distribution = ctx.itemDistribution ?? readDistribution(raw['distribution'], `${pointer}/distribution`, ctx);
  if (distribution !== undefined) attribute.distribution = distribution;
  const sharingGroupId = readSharingGroupId(raw['sharing_group_id']);
  if (sharingGroupId !== undefined) attribute.sharingGroupId = sharingGroupId;
  const firstSeen = readSeen(raw['first_seen'], `${pointer}/first_seen`, ctx);
  if (firstSeen !== undefined) attribute.firstSeen = firstSeen;
  const lastSeen = readSeen(raw['last_seen'], `${pointer}/last_seen`, ctx);
  if (lastSeen !== undefined) attribute.lastSeen = lastSeen;
  const deleted = readDeleted(raw['deleted']);
  if (deleted !== undefined) attribute.deleted = deleted;
  if (objectRelation !== undefined) attribute.objectRelation = objectRelation;
  if (typeof raw['data'] === 'string' && raw['data'] !== '') attribute.data = raw['data'];
  const analystData = readAnalystData(raw, pointer, log, ctx.claimed);
  if (analystData) attribute.analystData = analystData;
  return attribute;
}

function readReference(raw: unknown, pointer: string, ctx: ItemContext, objectUuid: string): ObjectReference | undefined {
  const { log } = ctx;
  if (!isJsonObject(raw)) {
    log.warn('reference.not-object', pointer, `reference is ${describeValue(raw)}, not an object; skipped`);
    return undefined;
  }
  const referencedUuid = normaliseUuid(raw['referenced_uuid']);
  if (referencedUuid === undefined) {
    log.warn('reference.target-invalid', `${pointer}/referenced_uuid`, `referenced_uuid ${describeValue(raw['referenced_uuid'])} is not a uuid; reference skipped`);
    return undefined;
  }
  const relationshipType = looseString(raw['relationship_type']);
  if (!relationshipType) {
    log.warn('reference.relationship-missing', `${pointer}/relationship_type`, 'reference without relationship_type skipped');
    return undefined;
  }
  // REST exports call the source `source_uuid` on some versions; either way it must be the enclosing object.
  const declared = normaliseUuid(raw['object_uuid']) ?? normaliseUuid(raw['source_uuid']);
  if (declared !== undefined && declared !== objectUuid) {
    log.warn('reference.source-mismatch', `${pointer}/object_uuid`, `object_uuid ${declared} is not the enclosing object ${objectUuid}; the enclosing object is used`);
  }
  const uuid = readUuid(raw, pointer, 'reference', ctx);
  if (uuid === undefined || !claim(uuid, pointer, 'reference', ctx)) return undefined;
  const reference: Mutable<ObjectReference> = {
    uuid,
    objectUuid,
    referencedUuid,
    relationshipType,
    comment: looseString(raw['comment']) ?? '',
    timestamp: readTimestamp(raw['timestamp'], `${pointer}/timestamp`, 'reference', ctx),
  };
  const deleted = readDeleted(raw['deleted']);
  if (deleted !== undefined) reference.deleted = deleted;
  return reference;
}

export function readObject(raw: unknown, pointer: string, ctx: ItemContext): MispObject | undefined {
  const { log } = ctx;
  if (!isJsonObject(raw)) {
    log.warn('object.not-object', pointer, `object is ${describeValue(raw)}, not an object; skipped`);
    return undefined;
  }
  const name = looseString(raw['name']);
  if (!name) {
    log.warn('object.name-missing', `${pointer}/name`, 'object without a template name skipped; MISP requires it');
    return undefined;
  }
  const uuid = readUuid(raw, pointer, 'object', ctx);
  if (uuid === undefined || !claim(uuid, pointer, 'object', ctx)) return undefined;

  let metaCategory = looseString(raw['meta-category']);
  if (!metaCategory) {
    log.warn('object.meta-category-missing', `${pointer}/meta-category`, 'object without meta-category; "misc" used, as PyMISP does');
    metaCategory = 'misc';
  }
  const description = looseString(raw['description']) ?? '';
  if (description === '') log.warn('object.description-missing', `${pointer}/description`, 'object without description');
  const templateUuid = normaliseUuid(raw['template_uuid']) ?? '';
  if (templateUuid === '') {
    log.warn('object.template-uuid-invalid', `${pointer}/template_uuid`, `template_uuid ${describeValue(raw['template_uuid'])} is not a uuid; MISP requires one`);
  }
  let templateVersion = looseInt(raw['template_version']);
  if (templateVersion === undefined || templateVersion < 0) {
    if (raw['template_version'] !== undefined && raw['template_version'] !== null && raw['template_version'] !== '') {
      log.warn('object.template-version-invalid', `${pointer}/template_version`, `template_version ${describeValue(raw['template_version'])} is not a number; 1 used`);
    }
    templateVersion = 1; // MISP turns an empty version into 1
  }
  const timestamp = readTimestamp(raw['timestamp'], `${pointer}/timestamp`, 'object', ctx);
  const inner: ItemContext = { ...ctx, fallbackTimestamp: timestamp };

  const attributes: Attribute[] = [];
  list(raw['Attribute'], `${pointer}/Attribute`, 'Attribute', log).forEach((a, i) => {
    const attribute = readAttribute(a, `${pointer}/Attribute/${i}`, inner, true);
    if (attribute) attributes.push(attribute);
  });
  const references: ObjectReference[] = [];
  list(raw['ObjectReference'], `${pointer}/ObjectReference`, 'ObjectReference', log).forEach((r, i) => {
    const reference = readReference(r, `${pointer}/ObjectReference/${i}`, inner, uuid);
    if (reference) references.push(reference);
  });
  if (Array.isArray(raw['Tag']) && raw['Tag'].length > 0) {
    log.info('object.tags-ignored', `${pointer}/Tag`, 'object tags are not part of the feed format; ignored');
  }

  const object: Mutable<MispObject> = {
    uuid,
    name,
    metaCategory,
    description,
    templateUuid,
    templateVersion,
    comment: looseString(raw['comment']) ?? '',
    timestamp,
    attributes,
    references,
  };
  const distribution = ctx.itemDistribution ?? readDistribution(raw['distribution'], `${pointer}/distribution`, ctx);
  if (distribution !== undefined) object.distribution = distribution;
  const sharingGroupId = readSharingGroupId(raw['sharing_group_id']);
  if (sharingGroupId !== undefined) object.sharingGroupId = sharingGroupId;
  const firstSeen = readSeen(raw['first_seen'], `${pointer}/first_seen`, ctx);
  if (firstSeen !== undefined) object.firstSeen = firstSeen;
  const lastSeen = readSeen(raw['last_seen'], `${pointer}/last_seen`, ctx);
  if (lastSeen !== undefined) object.lastSeen = lastSeen;
  const deleted = readDeleted(raw['deleted']);
  if (deleted !== undefined) object.deleted = deleted;
  const analystData = readAnalystData(raw, pointer, log, ctx.claimed);
  if (analystData) object.analystData = analystData;
  return object;
}

export function readReport(raw: unknown, pointer: string, ctx: ItemContext): EventReport | undefined {
  const { log } = ctx;
  if (!isJsonObject(raw)) {
    log.warn('report.not-object', pointer, `event report is ${describeValue(raw)}, not an object; skipped`);
    return undefined;
  }
  const name = looseString(raw['name']);
  if (!name || name.trim() === '') {
    log.warn('report.name-missing', `${pointer}/name`, 'event report without a name skipped; MISP requires one');
    return undefined;
  }
  const uuid = readUuid(raw, pointer, 'report', ctx);
  if (uuid === undefined || !claim(uuid, pointer, 'report', ctx)) return undefined;
  const report: Mutable<EventReport> = {
    uuid,
    name,
    content: looseString(raw['content']) ?? '',
    timestamp: readTimestamp(raw['timestamp'], `${pointer}/timestamp`, 'report', ctx),
  };
  const distribution = readDistribution(raw['distribution'], `${pointer}/distribution`, ctx);
  if (distribution !== undefined) report.distribution = distribution;
  const sharingGroupId = readSharingGroupId(raw['sharing_group_id']);
  if (sharingGroupId !== undefined) report.sharingGroupId = sharingGroupId;
  const deleted = readDeleted(raw['deleted']);
  if (deleted !== undefined) report.deleted = deleted;
  const analystData = readAnalystData(raw, pointer, log, ctx.claimed);
  if (analystData) report.analystData = analystData;
  return report;
}
