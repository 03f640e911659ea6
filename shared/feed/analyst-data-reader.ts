/**
 * Reads MISP 2.5's analyst data (Note, Opinion, Relationship lists on an event, attribute, object or event report)
 * and an event's CryptographicKey list. Ferry carries these through rather than interpreting them, so a record is
 * kept as written, with two exceptions: the sender's local row ids are dropped (they mean nothing elsewhere), and a
 * record that PyMISP would refuse to load is skipped with the reason, because writing it back would make the
 * exported event unreadable to PyMISP-based consumers.
 */
import { ANALYST_DATA_KINDS, type AnalystData, type AnalystDataKind, type JsonRecord } from '../model/analyst-data';
import { isDistribution } from '../model/levels';
import { normaliseUuid } from '../model/uuid';
import type { IssueLog } from './issue-log';
import { describeValue, isJsonObject, looseInt, type JsonObject } from './loose-json';

/** Object types a record may hang on or point to (PyMISP's MISPAnalystData.valid_object_type). */
const VALID_OBJECT_TYPES = new Set([
  'Attribute', 'Event', 'EventReport', 'GalaxyCluster', 'Galaxy', 'Object', 'Note', 'Opinion', 'Relationship', 'Organisation', 'SharingGroup',
]);

/** Fields that are the sending instance's own bookkeeping: its row ids, and MISP's UI-only `_`-prefixed flags. */
function isLocalField(key: string): boolean {
  return key === 'id' || key === 'parent_id' || key.startsWith('_');
}

/** A copy of `raw` without local fields, at every depth (nested records carry their own ids). */
function withoutLocalFields(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.map(withoutLocalFields);
  if (!isJsonObject(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (!isLocalField(key)) out[key] = withoutLocalFields(value);
  return out;
}

/** Why PyMISP would refuse this record, or undefined when it loads. */
function refusal(kind: AnalystDataKind, raw: JsonObject): string | undefined {
  const distribution = raw['distribution'];
  if (distribution !== undefined && distribution !== null) {
    const d = looseInt(distribution);
    if (d === undefined || !isDistribution(d)) return `distribution ${describeValue(distribution)} is not 0-5`;
    if (d === 4 && !looseInt(raw['sharing_group_id'])) return 'distribution 4 (sharing group) without a sharing_group_id';
  }
  const objectType = raw['object_type'];
  if (objectType !== undefined && objectType !== null && !VALID_OBJECT_TYPES.has(String(objectType))) {
    return `object_type ${describeValue(objectType)} is not a MISP element type`;
  }
  switch (kind) {
    case 'Note':
      return typeof raw['note'] === 'string' ? undefined : 'a note without its text (note)';
    case 'Opinion': {
      const opinion = looseInt(raw['opinion']);
      if (opinion === undefined || opinion < 0 || opinion > 100) return `opinion ${describeValue(raw['opinion'])} is not 0-100`;
      return raw['comment'] === undefined || raw['comment'] === null ? 'an opinion without a comment' : undefined;
    }
    case 'Relationship': {
      if (!VALID_OBJECT_TYPES.has(String(raw['related_object_type']))) return `related_object_type ${describeValue(raw['related_object_type'])} is not a MISP element type`;
      return normaliseUuid(raw['related_object_uuid']) === undefined ? 'a relationship without a target uuid (related_object_uuid)' : undefined;
    }
  }
}

/**
 * The analyst data on `owner` (an event, attribute, object or event report as parsed), undefined when it has none.
 * `claimed` holds the uuids already used in this event; a repeated one is skipped.
 */
export function readAnalystData(owner: JsonObject, pointer: string, log: IssueLog, claimed: Map<string, string>): AnalystData[] | undefined {
  let out: AnalystData[] | undefined;
  for (const kind of ANALYST_DATA_KINDS) {
    const raw = owner[kind];
    if (raw === undefined || raw === null) continue;
    if (!Array.isArray(raw)) {
      log.warn('analyst-data.not-a-list', `${pointer}/${kind}`, `${kind} should be a list but is ${describeValue(raw)}; ignored`);
      continue;
    }
    raw.forEach((item: unknown, i) => {
      const at = `${pointer}/${kind}/${i}`;
      if (!isJsonObject(item)) {
        log.warn('analyst-data.not-object', at, `${kind} is ${describeValue(item)}, not an object; skipped`);
        return;
      }
      const uuid = normaliseUuid(item['uuid']);
      if (uuid === undefined) {
        log.warn('analyst-data.uuid-invalid', `${at}/uuid`, `${kind} uuid ${describeValue(item['uuid'])} is not a uuid; skipped`);
        return;
      }
      const why = refusal(kind, item);
      if (why !== undefined) {
        log.warn('analyst-data.invalid', at, `${kind} ${uuid} skipped: ${why} (PyMISP refuses it)`);
        return;
      }
      const first = claimed.get(uuid);
      if (first !== undefined) {
        log.warn('event.duplicate-uuid', `${at}/uuid`, `${kind} uuid ${uuid} was already used at ${first}; this ${kind} skipped`);
        return;
      }
      claimed.set(uuid, at);
      const body = withoutLocalFields({ ...item, uuid }) as JsonRecord;
      (out ??= []).push({ kind, uuid, body });
    });
  }
  return out;
}

/** The event's CryptographicKey list without local ids, undefined when it has none. */
export function readCryptographicKeys(event: JsonObject, pointer: string, log: IssueLog): JsonRecord[] | undefined {
  const raw = event['CryptographicKey'];
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    log.warn('event.not-a-list', `${pointer}/CryptographicKey`, `CryptographicKey should be a list but is ${describeValue(raw)}; ignored`);
    return undefined;
  }
  const keys: JsonRecord[] = [];
  raw.forEach((item: unknown, i) => {
    if (isJsonObject(item)) keys.push(withoutLocalFields(item) as JsonRecord);
    else log.warn('event.cryptographic-key-invalid', `${pointer}/CryptographicKey/${i}`, `CryptographicKey is ${describeValue(item)}, not an object; skipped`);
  });
  if (keys.length > 0) {
    log.info('event.cryptographic-keys-kept', `${pointer}/CryptographicKey`, `${keys.length} CryptographicKey entr${keys.length === 1 ? 'y' : 'ies'} kept and passed on unchecked: the feed path never checks MISP's event signatures`);
  }
  return keys.length > 0 ? keys : undefined;
}
