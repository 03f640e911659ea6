/**
 * Reads one event file into the model, leniently. Accepts the feed form `{"Event": {...}}` as PyMISP writes it,
 * full MISP REST exports (ids, `Org`, `attribute_count`, `Galaxy`, `RelatedEvent`, pretty-printed), the
 * `{"response": [...]}` and `[...]` wrappers MISP's own feed import unwraps, and integers or booleans spelled as
 * strings. It never throws, whatever the input.
 *
 * Severity contract, so an importer can act on `hasErrors()` alone:
 * - `error`: the event itself is unusable (not JSON, no event, no uuid, no title); the value is null.
 * - `warning`: something was dropped or repaired (a bad attribute is skipped, the event is kept).
 * - `info`: a deviation from the feed format that changed nothing important (REST export fields, normalised
 *   values, galaxies turned into tags).
 * Paths are `<file>#<json pointer>` into the document as written, e.g. `x.json#/Event/Attribute/3/value`.
 */
import type { Attribute } from '../model/attribute';
import type { Event, EventReport, Orgc } from '../model/event';
import { isAnalysis, isThreatLevel, type Analysis, type Distribution, type ThreatLevel } from '../model/levels';
import type { MispObject, ObjectReference } from '../model/object';
import { isIsoDate, utcDate } from '../model/timestamps';
import { normaliseUuid } from '../model/uuid';
import {
  list,
  readAttribute,
  readDistribution,
  readObject,
  readReport,
  readSharingGroupId,
  readTags,
  type ItemContext,
} from './event-reader-items';
import { readAnalystData, readCryptographicKeys } from './analyst-data-reader';
import { DeferredItem, parseDeferringItems } from './deferred-json';
import { IssueLog } from './issue-log';
import type { Issue, IssueSeverity, Parsed } from './issues';
import { describeValue, isJsonObject, looseBool, looseInt, looseString, type JsonObject, type Mutable } from './loose-json';

export interface ReadEventOptions {
  /** File name used in issue paths. Default `event.json`. */
  readonly file?: string;
  /** Mints a uuid for items that have none or a broken one (MISP does this on save); otherwise they are dropped. */
  readonly newUuid?: () => string;
  /** Keep attribute values exactly as written instead of normalising them as MISP stores them. Default false. */
  readonly keepRawValues?: boolean;
  /** Issues of one code listed one by one before the rest are only counted. Default 200. */
  readonly maxIssuesPerCode?: number;
  /**
   * Set every attribute's and object's distribution to this while reading. An importer whose feed rewrites them all
   * anyway (MISP sets them to 5, "inherit", unless the feed keeps the events' own) saves copying each one after.
   */
  readonly itemDistribution?: Distribution;
  /**
   * streamEvent only: from this many characters of text on, the items are parsed one by one as they are read
   * (shared/feed/deferred-json.ts) instead of with the rest. Default 8 Mi.
   */
  readonly deferItemsFrom?: number;
}

const DEFER_ITEMS_FROM = 8 * 1024 * 1024;

/** Fields a feed event may carry; anything else is reported once so surprises are visible. */
const FEED_FIELDS = new Set([
  'uuid', 'info', 'date', 'timestamp', 'publish_timestamp', 'published', 'analysis', 'threat_level_id',
  'distribution', 'sharing_group_id', 'extends_uuid', 'protected', 'disable_correlation',
  'Orgc', 'orgc', 'Org', 'Tag', 'Galaxy', 'Attribute', 'Object', 'EventReport', 'SharingGroup', 'CryptographicKey',
  'Note', 'Opinion', 'Relationship',
]);

/** Fields only a MISP REST export carries; they mean nothing in a feed and are ignored. */
const REST_FIELDS = new Set([
  'id', 'org_id', 'orgc_id', 'attribute_count', 'locked', 'proposal_email_lock', 'event_creator_email',
  'first_publication', 'sighting_timestamp', 'RelatedEvent', 'ShadowAttribute', 'Sighting',
]);

const ANALYSIS_WORDS: Readonly<Record<string, Analysis>> = { initial: 0, ongoing: 1, completed: 2 };

interface Located {
  readonly event: JsonObject;
  readonly pointer: string;
}

/** Finds the event object inside the document, the way MISP's feed import unwraps it. */
function locate(data: unknown, log: IssueLog): Located | undefined {
  let node = data;
  let pointer = '';
  if (isJsonObject(node) && Array.isArray(node['response'])) {
    node = node['response'][0];
    pointer += '/response/0';
  }
  if (Array.isArray(node)) {
    node = node[0];
    pointer += '/0';
  }
  if (pointer !== '') log.info('event.wrapped', pointer, 'event is wrapped in a list or a REST response; unwrapped as MISP does');
  if (isJsonObject(node) && isJsonObject(node['Event'])) return { event: node['Event'], pointer: `${pointer}/Event` };
  if (isJsonObject(node) && ('uuid' in node || 'info' in node) && !('Event' in node)) {
    log.warn('event.no-wrapper', pointer, 'event is not wrapped in {"Event": ...}; MISP would refuse this file');
    return { event: node, pointer };
  }
  log.error('event.not-event', pointer, `no {"Event": {...}} object here, only ${describeValue(node)}`);
  return undefined;
}

function readOrg(raw: unknown, pointer: string, log: IssueLog): Orgc | undefined {
  if (!isJsonObject(raw)) return undefined;
  const name = looseString(raw['name']) ?? '';
  const uuid = normaliseUuid(raw['uuid']);
  if (raw['uuid'] !== undefined && raw['uuid'] !== null && uuid === undefined) {
    log.warn('org.uuid-invalid', `${pointer}/uuid`, `organisation uuid ${describeValue(raw['uuid'])} is not a uuid; ignored`);
  }
  if (name === '' && uuid === undefined) {
    log.warn('org.empty', pointer, 'organisation has neither name nor uuid; ignored');
    return undefined;
  }
  if (name === '') log.warn('org.name-missing', `${pointer}/name`, 'organisation without a name; MISP needs one to create an unknown org');
  return uuid === undefined ? { name } : { name, uuid };
}

function readDate(raw: unknown, timestamp: number, pointer: string, log: IssueLog): string {
  if (typeof raw === 'string') {
    if (isIsoDate(raw)) return raw;
    const head = raw.trim().slice(0, 10);
    if (isIsoDate(head)) {
      log.warn('event.date-format', pointer, `date ${describeValue(raw)} is not YYYY-MM-DD; ${head} used`);
      return head;
    }
  }
  const fallback = utcDate(timestamp) ?? '1970-01-01';
  log.warn('event.date-invalid', pointer, `date ${describeValue(raw)} is not YYYY-MM-DD; the timestamp's day ${fallback} used`);
  return fallback;
}

function readAnalysis(raw: unknown, pointer: string, log: IssueLog): Analysis {
  const n = looseInt(raw);
  if (isAnalysis(n)) return n;
  const word = typeof raw === 'string' ? ANALYSIS_WORDS[raw.trim().toLowerCase()] : undefined;
  if (word !== undefined) return word;
  if (raw !== undefined && raw !== null) log.warn('event.analysis-invalid', pointer, `analysis ${describeValue(raw)} is not 0, 1 or 2; 0 (initial) used`);
  return 0;
}

function readThreatLevel(raw: unknown, pointer: string, log: IssueLog): ThreatLevel {
  const n = looseInt(raw);
  if (isThreatLevel(n)) return n;
  if (raw !== undefined && raw !== null) log.warn('event.threat-level-invalid', pointer, `threat_level_id ${describeValue(raw)} is not 1-4; 4 (undefined) used`);
  return 4;
}

function readPublished(raw: unknown, pointer: string, log: IssueLog): boolean {
  if (raw === undefined || raw === null) return false;
  const b = looseBool(raw);
  if (b === undefined) {
    log.warn('event.published-invalid', pointer, `published ${describeValue(raw)} is not a boolean; false used`);
    return false;
  }
  if (typeof raw !== 'boolean') {
    log.info('event.published-not-boolean', pointer, `published is ${describeValue(raw)}, not a JSON boolean: read as ${b} like MISP; PyMISP reads anything but true as false`);
  }
  return b;
}

function reportExtraFields(event: JsonObject, pointer: string, log: IssueLog): void {
  const keys = Object.keys(event);
  const rest = keys.filter((k) => REST_FIELDS.has(k));
  if (rest.length > 0 || 'Org' in event) {
    const shown = [...rest, ...('Org' in event ? ['Org'] : [])].slice(0, 8).join(', ');
    log.info('event.rest-export', pointer, `this is a MISP REST export, not a feed export (${shown}); the REST-only fields are ignored`);
  }
  const unknown = keys.filter((k) => !FEED_FIELDS.has(k) && !REST_FIELDS.has(k));
  if (unknown.length > 0) {
    log.info('event.unknown-fields', pointer, `fields not in the MISP event format ignored: ${unknown.slice(0, 8).map((k) => describeValue(k)).join(', ')}`);
  }
  const proposals = Array.isArray(event['ShadowAttribute']) ? event['ShadowAttribute'].length : 0;
  if (proposals > 0) {
    log.info('event.proposals-not-imported', `${pointer}/ShadowAttribute`, `${proposals} proposal(s) (ShadowAttribute) not imported: proposals are another org's suggestions, not the event`);
  }
}

/**
 * Where an event's own fields end and its items begin. The fields that the original reader logged after the items
 * (date, published, analysis, threat level, tags, distribution) are read first, into a log that is replayed after
 * the items, so the issues come out in the same order (and under the same per-code caps) whether the items are
 * collected into arrays or handed over one by one.
 */
interface EventStart {
  readonly event: Mutable<Event>;
  readonly raw: JsonObject;
  readonly pointer: string;
  readonly ctx: ItemContext;
  readonly later: DeferredLog;
}

/** Records issues to add to another log later, in the same order. */
class DeferredLog extends IssueLog {
  private readonly calls: [IssueSeverity, string, string, string][] = [];

  override add(severity: IssueSeverity, code: string, pointer: string, message: string): void {
    this.calls.push([severity, code, pointer, message]);
  }

  replayInto(log: IssueLog): void {
    for (const [severity, code, pointer, message] of this.calls) log.add(severity, code, pointer, message);
  }
}

function startEvent(raw: JsonObject, pointer: string, options: ReadEventOptions, log: IssueLog): EventStart | null {
  const uuid = normaliseUuid(raw['uuid']);
  if (uuid === undefined) {
    log.error('event.uuid-invalid', `${pointer}/uuid`, `event uuid ${describeValue(raw['uuid'])} is not a uuid; MISP refuses the event`);
    return null;
  }
  const info = looseString(raw['info']);
  if (info === undefined || info.trim() === '') {
    log.error('event.info-missing', `${pointer}/info`, 'event has no title (info); MISP refuses it');
    return null;
  }
  if (info.length > 256 || /[\r\n]/.test(info)) log.info('event.info-long', `${pointer}/info`, 'event title should be one line of at most 256 characters');

  reportExtraFields(raw, pointer, log);

  let timestamp = looseInt(raw['timestamp']);
  if (timestamp === undefined || timestamp < 0) {
    log.warn('event.timestamp-invalid', `${pointer}/timestamp`, `timestamp ${describeValue(raw['timestamp'])} is not Unix seconds; 0 used, so any stored copy counts as newer`);
    timestamp = 0;
  }
  let publishTimestamp = looseInt(raw['publish_timestamp']);
  if (publishTimestamp === undefined || publishTimestamp < 0) {
    if (raw['publish_timestamp'] !== undefined && raw['publish_timestamp'] !== null && raw['publish_timestamp'] !== '') {
      log.warn('event.publish-timestamp-invalid', `${pointer}/publish_timestamp`, `publish_timestamp ${describeValue(raw['publish_timestamp'])} is not Unix seconds; 0 used`);
    }
    publishTimestamp = 0;
  }
  let extendsUuid = '';
  if (raw['extends_uuid'] !== undefined && raw['extends_uuid'] !== null && raw['extends_uuid'] !== '') {
    extendsUuid = normaliseUuid(raw['extends_uuid']) ?? '';
    if (extendsUuid === '') log.warn('event.extends-uuid-invalid', `${pointer}/extends_uuid`, `extends_uuid ${describeValue(raw['extends_uuid'])} is not a uuid; ignored`);
  }

  const orgcKey = 'Orgc' in raw ? 'Orgc' : 'orgc' in raw ? 'orgc' : undefined;
  if (orgcKey === 'orgc') log.info('event.orgc-lower-case', `${pointer}/orgc`, 'creator organisation spelt "orgc"; read as Orgc, as MISP does');
  const orgc = orgcKey ? readOrg(raw[orgcKey], `${pointer}/${orgcKey}`, log) : undefined;
  if (!orgc) log.warn('event.orgc-missing', `${pointer}/Orgc`, 'event has no creator organisation (Orgc); it cannot be written to a feed as is');
  const org = readOrg(raw['Org'], `${pointer}/Org`, log);

  const ctx: ItemContext = {
    log,
    keepRawValues: options.keepRawValues ?? false,
    fallbackTimestamp: timestamp,
    claimed: new Map(),
    ...(options.newUuid ? { newUuid: options.newUuid } : {}),
    ...(options.itemDistribution !== undefined ? { itemDistribution: options.itemDistribution } : {}),
  };
  // Read now, reported after the items (see EventStart).
  const later = new DeferredLog(log.file);
  const event: Mutable<Event> = {
    uuid,
    info,
    date: readDate(raw['date'], timestamp, `${pointer}/date`, later),
    timestamp,
    publishTimestamp,
    published: readPublished(raw['published'], `${pointer}/published`, later),
    analysis: readAnalysis(raw['analysis'], `${pointer}/analysis`, later),
    threatLevelId: readThreatLevel(raw['threat_level_id'], `${pointer}/threat_level_id`, later),
    extendsUuid,
    protected: looseBool(raw['protected']) ?? false,
    tags: readTags(raw, pointer, later),
    attributes: [],
    objects: [],
    reports: [],
  };
  // Distribution 5 (inherit) only exists below the event.
  const distribution = readDistribution(raw['distribution'], `${pointer}/distribution`, { ...ctx, log: later }, false);
  if (distribution !== undefined) event.distribution = distribution;
  const sharingGroupId = readSharingGroupId(raw['sharing_group_id']);
  if (sharingGroupId !== undefined) event.sharingGroupId = sharingGroupId;
  const disableCorrelation = looseBool(raw['disable_correlation']);
  if (disableCorrelation !== undefined) event.disableCorrelation = disableCorrelation;
  if (orgc) event.orgc = orgc;
  if (org) event.org = org;
  const analystData = readAnalystData(raw, pointer, later, ctx.claimed);
  if (analystData) event.analystData = analystData;
  const cryptographicKeys = readCryptographicKeys(raw, pointer, later);
  if (cryptographicKeys) event.cryptographicKeys = cryptographicKeys;
  return { event, raw, pointer, ctx, later };
}

/** Receives an event's items one by one, in document order, as soon as each is checked (see streamEvent). */
export interface EventItemSink {
  attribute(attribute: Attribute): void;
  object(object: MispObject): void;
  report(report: EventReport): void;
}

/** A deferred element that is not JSON: the event is not JSON, found only now (see deferred-json.ts). */
class BrokenItem extends Error {}

/** The raw item at `i` of a list, parsed now if it was deferred. */
function rawItem(items: unknown[], i: number, pointer: string, log: IssueLog): unknown {
  const item = items[i];
  if (!(item instanceof DeferredItem)) return item;
  try {
    return item.parse();
  } catch (e) {
    log.error('event.not-json', pointer, `not valid JSON (${(e as Error).message.slice(0, 200)})`);
    throw new BrokenItem();
  }
}

/**
 * Reads the items of a started event into `sink`, then the issues kept for after them and the whole-event checks.
 * `release`: drop each raw item from the parsed document once read (the document is the reader's own), so a
 * large event's JSON tree shrinks while its items are written instead of being held whole beside the model.
 */
function readItems(start: EventStart, sink: EventItemSink, release: boolean): void {
  try {
    readItemLists(start, sink, release);
  } catch (e) {
    if (!(e instanceof BrokenItem)) throw e;
  }
}

function readItemLists(start: EventStart, sink: EventItemSink, release: boolean): void {
  const { raw, pointer, ctx } = start;
  const { log } = ctx;
  const targets = new Set<string>();
  const references: ObjectReference[] = [];
  let attributes = 0;
  let objects = 0;
  let reports = 0;
  const rawAttributes = list(raw['Attribute'], `${pointer}/Attribute`, 'Attribute', log);
  rawAttributes.forEach((_, i) => {
    const a = rawItem(rawAttributes, i, `${pointer}/Attribute/${i}`, log);
    if (release) rawAttributes[i] = undefined;
    const attribute = readAttribute(a, `${pointer}/Attribute/${i}`, ctx, false);
    if (!attribute) return;
    attributes++;
    targets.add(attribute.uuid);
    sink.attribute(attribute);
  });
  const rawObjects = list(raw['Object'], `${pointer}/Object`, 'Object', log);
  rawObjects.forEach((_, i) => {
    const o = rawItem(rawObjects, i, `${pointer}/Object/${i}`, log);
    if (release) rawObjects[i] = undefined;
    const object = readObject(o, `${pointer}/Object/${i}`, ctx);
    if (!object) return;
    objects++;
    targets.add(object.uuid);
    for (const a of object.attributes) targets.add(a.uuid);
    references.push(...object.references);
    sink.object(object);
  });
  const rawReports = list(raw['EventReport'], `${pointer}/EventReport`, 'EventReport', log);
  rawReports.forEach((_, i) => {
    const r = rawItem(rawReports, i, `${pointer}/EventReport/${i}`, log);
    if (release) rawReports[i] = undefined;
    const report = readReport(r, `${pointer}/EventReport/${i}`, ctx);
    if (!report) return;
    reports++;
    sink.report(report);
  });
  start.later.replayInto(log);
  checkWholeEvent(start.event, references, targets, attributes + objects + reports === 0, pointer, ctx);
}

function readEventObject(raw: JsonObject, pointer: string, options: ReadEventOptions, log: IssueLog): Event | null {
  const start = startEvent(raw, pointer, options, log);
  if (!start) return null;
  const attributes: Attribute[] = [];
  const objects: MispObject[] = [];
  const reports: EventReport[] = [];
  readItems(start, { attribute: (a) => attributes.push(a), object: (o) => objects.push(o), report: (r) => reports.push(r) }, false);
  start.event.attributes = attributes;
  start.event.objects = objects;
  start.event.reports = reports;
  return start.event;
}

/**
 * Checks that need the whole event: references that point outside it (`targets`: the uuids of its attributes and
 * objects), and MISP's rule on empty published events.
 */
function checkWholeEvent(event: Event, references: readonly ObjectReference[], targets: ReadonlySet<string>, empty: boolean, pointer: string, ctx: ItemContext): void {
  for (const reference of references) {
    if (!targets.has(reference.referencedUuid)) {
      const at = ctx.claimed.get(reference.uuid) ?? `${pointer}/Object`;
      ctx.log.warn('reference.dangling', `${at}/referenced_uuid`, `reference target ${reference.referencedUuid} is not in this event; MISP drops such references`);
    }
  }
  if (event.published && empty) {
    ctx.log.warn('event.published-empty', `${pointer}/published`, 'published event with no attribute, object or report; MISP refuses it');
  }
}

/** JSON.parse with the reader's handling of a BOM and of replacement characters; undefined (and an error) if not JSON. */
function parseText(input: string, log: IssueLog, defer = false): { data: unknown; deferred?: readonly DeferredItem[][] } | undefined {
  // Callers decode bytes leniently, so broken UTF-8 arrives as U+FFFD; say so rather than import damaged text.
  if (input.includes('\uFFFD')) {
    log.warn('event.invalid-utf8', '', 'the text contains U+FFFD replacement characters: the file was probably not valid UTF-8');
  }
  try {
    const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
    if (defer) {
      const parsed = parseDeferringItems(text);
      return { data: parsed.data, deferred: parsed.lists };
    }
    return { data: JSON.parse(text) };
  } catch (e) {
    const reason = e instanceof Error ? e.message.slice(0, 200) : 'unreadable';
    log.error('event.not-json', '', `not valid JSON (${reason})`);
    return undefined;
  }
}

/**
 * Lists deferred elsewhere than in the event's own item lists (a list of that name deeper in some field) are
 * parsed now, so the reader only ever meets deferred elements where it expects them. False (and an error) when one
 * is not JSON.
 */
function parseOtherLists(event: JsonObject, lists: readonly DeferredItem[][], log: IssueLog): boolean {
  const own = new Set<unknown>([event['Attribute'], event['Object'], event['EventReport']]);
  for (const list of lists) {
    if (own.has(list)) continue;
    for (let i = 0; i < list.length; i++) {
      try {
        (list as unknown[])[i] = list[i]!.parse();
      } catch (e) {
        log.error('event.not-json', '', `not valid JSON (${(e as Error).message.slice(0, 200)})`);
        return false;
      }
    }
  }
  return true;
}

function readerFailure(log: IssueLog, e: unknown): void {
  // Only a bug (or an exotic input such as a Proxy) gets here; the contract is still to answer, not to throw.
  const reason = e instanceof Error ? e.message.slice(0, 200) : String(e).slice(0, 200);
  log.error('event.reader-failure', '', `event could not be read: ${reason}`);
}

/**
 * Parses one event file given as text or as an already parsed JSON value. Returns the event, or null with an
 * `error` issue when there is no usable event. Never throws.
 */
export function readEvent(input: string | unknown, options: ReadEventOptions = {}): Parsed<Event | null> {
  const log = new IssueLog(options.file ?? 'event.json', options.maxIssuesPerCode ?? 200);
  try {
    let data: unknown = input;
    if (typeof input === 'string') {
      const parsed = parseText(input, log);
      if (!parsed) return { value: null, issues: log.finish() };
      data = parsed.data;
    }
    const located = locate(data, log);
    const value = located ? readEventObject(located.event, located.pointer, options, log) : null;
    return { value, issues: log.finish() };
  } catch (e) {
    readerFailure(log, e);
    return { value: null, issues: log.finish() };
  }
}

/** An event read up to its items (see streamEvent). */
export interface EventStream {
  /** The event's own fields, with empty `attributes`, `objects` and `reports`. */
  readonly header: Event;
  /**
   * Reads the items in document order — attributes, then objects (each with its attributes and references), then
   * reports — handing each to `sink` as soon as it is checked, and returns every issue of the event: the same
   * issues, in the same order, as readEvent gives for the same text. Call it once. What the sink throws is thrown
   * on; a failure of the reader itself becomes an `event.reader-failure` error, as in readEvent.
   */
  readItems(sink: EventItemSink): Issue[];
}

/**
 * The lower-memory form of readEvent for large events: the same checks and issues, but the items are handed over
 * one by one instead of being collected into the model, and each raw item is dropped from the parsed document once
 * read. `input` may be a function giving the text, so that the caller holds no reference to it: the text can then
 * be freed as soon as it is parsed. The issues returned here are those found before the items (all of them when
 * there is no usable event); readItems returns the complete list.
 */
export function streamEvent(input: string | (() => string), options: ReadEventOptions = {}): Parsed<EventStream | null> {
  const log = new IssueLog(options.file ?? 'event.json', options.maxIssuesPerCode ?? 200);
  let start: EventStart | null;
  try {
    let text: string | undefined = typeof input === 'function' ? input() : input;
    const parsed = parseText(text, log, text.length >= (options.deferItemsFrom ?? DEFER_ITEMS_FROM));
    text = undefined;
    if (!parsed) return { value: null, issues: log.finish() };
    const located = locate(parsed.data, log);
    if (located && parsed.deferred && !parseOtherLists(located.event, parsed.deferred, log)) return { value: null, issues: log.finish() };
    start = located ? startEvent(located.event, located.pointer, options, log) : null;
  } catch (e) {
    readerFailure(log, e);
    return { value: null, issues: log.finish() };
  }
  if (!start) return { value: null, issues: log.finish() };
  const started: EventStart = start;
  let used = false;
  return {
    value: {
      header: { ...started.event },
      readItems(sink: EventItemSink): Issue[] {
        if (used) throw new Error('readItems: the items of this event were already read');
        used = true;
        let sinkFailed = false;
        const guard = <T>(f: (x: T) => void) => (x: T) => {
          try {
            f(x);
          } catch (e) {
            sinkFailed = true;
            throw e;
          }
        };
        try {
          readItems(started, { attribute: guard((a) => sink.attribute(a)), object: guard((o) => sink.object(o)), report: guard((r) => sink.report(r)) }, true);
        } catch (e) {
          if (sinkFailed) throw e;
          readerFailure(log, e);
        }
        return log.finish();
      },
    },
    issues: log.finish(),
  };
}
