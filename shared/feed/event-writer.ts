/**
 * Writes events as a MISP feed, strictly: the output has exactly the shape PyMISP's `to_feed` gives (see
 * feed-json.ts), and an event that MISP would refuse is not written at all. Problems come back as issues, never
 * as exceptions.
 *
 * Differences from PyMISP's defaults, all on purpose:
 * - local tags are dropped unless `keepLocalTags` (PyMISP keeps them by default; they are meant never to leave
 *   the instance), and the manifest entry uses the same tags as the event file (PyMISP's keeps local ones);
 * - hashes.csv follows MISP's correlation rules unless `hashMode: 'pymisp'` (see event-hashes.ts);
 * - a naive first_seen/last_seen is taken as UTC, where PyMISP would use the exporting machine's time zone.
 */
import { typeInfo, validateAttributeValue } from '../misp';
import type { Attribute } from '../model/attribute';
import type { Event, EventReport, Orgc } from '../model/event';
import type { WithAnalystData } from '../model/analyst-data';
import { DISTRIBUTIONS, isAnalysis, isDistribution, isThreatLevel, type Distribution } from '../model/levels';
import type { MispObject, ObjectReference } from '../model/object';
import { exportableTags, type Tag } from '../model/tag';
import { isIsoDate } from '../model/timestamps';
import { isUuid } from '../model/uuid';
import { isEmptyEvent } from '../model/walk';
import { eventHashes, type HashMode, type Md5 } from './event-hashes';
import { DEFAULT_TAG_COLOUR, feedEventText, manifestEntryOf, type FeedJsonOptions } from './feed-json';
import type { HashEntry } from './hashes-csv';
import { IssueLog } from './issue-log';
import type { Issue } from './issues';
import { looseInt, type Mutable } from './loose-json';
import type { ManifestEntry } from './manifest';

export interface FeedWriteOptions extends FeedJsonOptions {
  /**
   * Distributions allowed out (generate.py's valid_attribute_distribution_levels). An event whose distribution is
   * not listed is skipped whole; attributes, objects, object attributes and reports not listed are left out.
   * Items without a distribution always pass. Default: all of 0-5.
   */
  readonly validDistributions?: readonly Distribution[];
  /** Write tags attached locally too. Default false. */
  readonly keepLocalTags?: boolean;
  /**
   * The values were validated and normalised by this format core on their way in (the library admits no others),
   * so only their type and category are checked here. Default false: every value is checked as MISP would. Checking
   * once at the boundary is the point of the library's store; doing it again costs most of an export's time.
   */
  readonly valuesChecked?: boolean;
}

export type WriteResult<T> =
  | { readonly status: 'written'; readonly value: T; readonly issues: readonly Issue[] }
  /** Left out by the distribution filter, as PyMISP's to_feed returns {} for it. */
  | { readonly status: 'skipped'; readonly issues: readonly Issue[] }
  /** Not writable: MISP would refuse it. The issues say why. */
  | { readonly status: 'invalid'; readonly issues: readonly Issue[] };

/** An event in exactly the form it is written: filtered, defaults filled, and sure to have a creator org. */
export type FeedReadyEvent = Event & { readonly orgc: Orgc };

const ISO_DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * first_seen/last_seen as Python's `datetime.isoformat()` prints them (PyMISP parses and re-prints them):
 * `YYYY-MM-DDTHH:MM:SS[.ffffff]+HH:MM`, microseconds only when non-zero. Undefined when not ISO 8601.
 */
export function pythonIsoDateTime(text: string): string | undefined {
  const m = ISO_DATE_TIME.exec(text.trim());
  if (!m || !isIsoDate(m[1] ?? '')) return undefined;
  const [hh, mm, ss] = [m[2] ?? '00', m[3] ?? '00', m[4] ?? '00'];
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return undefined;
  const micro = (m[5] ?? '').slice(0, 6).padEnd(6, '0');
  const fraction = /^0+$/.test(micro) ? '' : `.${micro}`;
  let zone = m[6] ?? 'Z';
  if (zone === 'Z' || zone === 'z') zone = '+00:00';
  else if (zone.length === 3) zone = `${zone}:00`;
  else if (zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return `${m[1]}T${hh}:${mm}:${ss}${fraction}${zone}`;
}

type Seen = { firstSeen?: string; lastSeen?: string };

/** The only spelling written: MISP compares uuids as stored, in lower case. */
const LOWER_CASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

class Preparer {
  readonly log: IssueLog;
  private readonly valid: ReadonlySet<number>;
  private readonly used = new Map<string, string>();

  constructor(
    readonly event: Event,
    readonly options: FeedWriteOptions,
  ) {
    this.log = new IssueLog(isUuid(event.uuid) ? `${event.uuid}.json` : 'event', 50);
    this.valid = new Set(options.validDistributions ?? DISTRIBUTIONS);
  }

  passes(distribution: Distribution | undefined): boolean {
    return distribution === undefined || this.valid.has(distribution);
  }

  /** Keeps distribution only when it is written, so the prepared event equals what reading the file gives. */
  distribution(d: Distribution | undefined): { distribution?: Distribution } {
    return this.options.withDistribution && d !== undefined ? { distribution: d } : {};
  }

  uuid(uuid: string, pointer: string, what: string): void {
    if (!LOWER_CASE_UUID.test(uuid)) {
      this.log.error('writer.uuid-invalid', `${pointer}/uuid`, `${what} uuid ${JSON.stringify(uuid.slice(0, 60))} is not a lower-case uuid`);
      return;
    }
    const first = this.used.get(uuid);
    if (first !== undefined) this.log.error('writer.duplicate-uuid', `${pointer}/uuid`, `${what} uuid ${uuid} is already used at ${first}`);
    else this.used.set(uuid, pointer);
  }

  /** `pointer` + `field` names the field; joined only when there is something to say. */
  timestamp(t: number, pointer: string, field = ''): void {
    if (!Number.isSafeInteger(t) || t < 0) this.log.error('writer.timestamp-invalid', `${pointer}${field}`, `timestamp ${t} is not Unix seconds`);
  }

  seen(item: { readonly firstSeen?: string; readonly lastSeen?: string }, pointer: string): Seen {
    const out: Seen = {};
    for (const [key, field] of [['firstSeen', 'first_seen'], ['lastSeen', 'last_seen']] as const) {
      const text = item[key];
      if (text === undefined) continue;
      const iso = pythonIsoDateTime(text);
      if (iso === undefined) this.log.error('writer.seen-invalid', `${pointer}/${field}`, `${field} ${JSON.stringify(text.slice(0, 60))} is not ISO 8601`);
      else out[key] = iso;
    }
    return out;
  }

  /**
   * The analyst data that goes out with an item: the distribution filter applies to each record as to the items.
   * Spread into the prepared item, so an item without any keeps no empty field.
   */
  analystData(holder: WithAnalystData, pointer: string): WithAnalystData {
    if (holder.analystData === undefined) return {};
    const kept = holder.analystData.filter((d, i) => {
      const distribution = looseInt(d.body['distribution']);
      if (distribution !== undefined && isDistribution(distribution) && !this.passes(distribution)) return false;
      this.uuid(d.uuid, `${pointer}/${d.kind}/${i}`, d.kind);
      return true;
    });
    return kept.length > 0 ? { analystData: kept } : {};
  }

  tags(tags: readonly Tag[], pointer: string): Tag[] {
    return exportableTags(tags, this.options.keepLocalTags ?? false).map((t) => {
      if (t.name.trim() === '') this.log.error('writer.tag-name-empty', `${pointer}/Tag`, 'tag without a name');
      return { name: t.name, colour: t.colour ?? DEFAULT_TAG_COLOUR, local: t.local, relationshipType: t.relationshipType ?? '' };
    });
  }

  attribute(a: Attribute, pointer: string, inObject: boolean): Attribute {
    this.uuid(a.uuid, pointer, 'attribute');
    this.timestamp(a.timestamp, pointer, '/timestamp');
    const info = typeInfo(a.type);
    if (!info) {
      this.log.error('writer.attribute-type-unknown', `${pointer}/type`, `${JSON.stringify(a.type)} is not a MISP attribute type`);
    } else {
      if (!(info.categories as readonly string[]).includes(a.category)) {
        this.log.error('writer.attribute-category-invalid', `${pointer}/category`, `${JSON.stringify(a.category)} is not a category for ${a.type}`);
      }
      if (!this.options.valuesChecked) {
        const check = validateAttributeValue(a.type, a.value);
        if (!check.ok) {
          this.log.error('writer.attribute-value-invalid', `${pointer}/value`, `${a.type} value rejected: ${check.reason}`);
        } else if (check.value !== a.value) {
          this.log.warn('writer.value-not-normalised', `${pointer}/value`, `MISP will store this ${a.type} value as ${JSON.stringify(check.value.slice(0, 80))}; hashes.csv will not match it there`);
        }
      }
    }
    if (inObject && !a.objectRelation) this.log.error('writer.object-relation-missing', `${pointer}/object_relation`, 'object attribute without object_relation');
    // Filled field by field rather than spread from small objects: an export prepares a million of these.
    const out: Mutable<Attribute> = {
      uuid: a.uuid,
      type: a.type,
      category: a.category,
      value: a.value,
      toIds: a.toIds,
      comment: a.comment,
      timestamp: a.timestamp,
      disableCorrelation: a.disableCorrelation,
      tags: a.tags.length === 0 ? a.tags : this.tags(a.tags, pointer),
    };
    if (this.options.withDistribution && a.distribution !== undefined) out.distribution = a.distribution;
    if (a.firstSeen !== undefined || a.lastSeen !== undefined) Object.assign(out, this.seen(a, pointer));
    if (a.deleted !== undefined) out.deleted = a.deleted;
    if (inObject && a.objectRelation) out.objectRelation = a.objectRelation;
    if (a.data !== undefined && a.data !== '') out.data = a.data;
    if (a.analystData !== undefined) Object.assign(out, this.analystData(a, pointer));
    return out;
  }

  reference(r: ObjectReference, objectUuid: string, pointer: string): ObjectReference {
    this.uuid(r.uuid, pointer, 'reference');
    this.timestamp(r.timestamp, `${pointer}/timestamp`);
    if (!isUuid(r.referencedUuid)) this.log.error('writer.reference-target-invalid', `${pointer}/referenced_uuid`, 'referenced_uuid is not a uuid');
    if (r.relationshipType.trim() === '') this.log.error('writer.reference-relationship-empty', `${pointer}/relationship_type`, 'reference without relationship_type');
    return {
      uuid: r.uuid,
      objectUuid,
      referencedUuid: r.referencedUuid,
      relationshipType: r.relationshipType,
      comment: r.comment,
      timestamp: r.timestamp,
      ...(r.deleted === true ? { deleted: true } : {}),
    };
  }

  object(o: MispObject, pointer: string): MispObject {
    this.uuid(o.uuid, pointer, 'object');
    this.timestamp(o.timestamp, `${pointer}/timestamp`);
    if (o.name.trim() === '') this.log.error('writer.object-name-empty', `${pointer}/name`, 'object without a template name');
    if (o.metaCategory.trim() === '') this.log.error('writer.object-meta-category-empty', `${pointer}/meta-category`, 'object without meta-category');
    if (o.description.trim() === '') this.log.error('writer.object-description-empty', `${pointer}/description`, 'object without description');
    if (!isUuid(o.templateUuid)) this.log.error('writer.object-template-uuid-invalid', `${pointer}/template_uuid`, 'template_uuid is not a uuid; MISP requires one');
    if (!Number.isSafeInteger(o.templateVersion) || o.templateVersion < 0) {
      this.log.error('writer.object-template-version-invalid', `${pointer}/template_version`, 'template_version is not a natural number');
    }
    const attributes: Attribute[] = [];
    o.attributes.forEach((a, i) => {
      if (this.passes(a.distribution)) attributes.push(this.attribute(a, `${pointer}/Attribute/${i}`, true));
    });
    return {
      uuid: o.uuid,
      name: o.name,
      metaCategory: o.metaCategory,
      description: o.description,
      templateUuid: o.templateUuid,
      templateVersion: o.templateVersion,
      comment: o.comment,
      timestamp: o.timestamp,
      attributes,
      references: o.references.map((r, i) => this.reference(r, o.uuid, `${pointer}/ObjectReference/${i}`)),
      ...this.distribution(o.distribution),
      ...this.seen(o, pointer),
      ...(o.deleted !== undefined ? { deleted: o.deleted } : {}),
      ...this.analystData(o, pointer),
    };
  }

  report(r: EventReport, pointer: string): EventReport {
    this.uuid(r.uuid, pointer, 'report');
    this.timestamp(r.timestamp, `${pointer}/timestamp`);
    if (r.name.trim() === '') this.log.error('writer.report-name-empty', `${pointer}/name`, 'event report without a name');
    return {
      uuid: r.uuid,
      name: r.name,
      content: r.content,
      timestamp: r.timestamp,
      ...this.distribution(r.distribution),
      ...(r.deleted !== undefined ? { deleted: r.deleted } : {}),
      ...this.analystData(r, pointer),
    };
  }

  run(): WriteResult<FeedReadyEvent> {
    const e = this.event;
    const at = '/Event';
    if (!this.passes(e.distribution)) {
      this.log.info('writer.event-excluded', at, `event distribution ${String(e.distribution)} is not among the exported levels; event left out`);
      return { status: 'skipped', issues: this.log.finish() };
    }
    this.uuid(e.uuid, at, 'event');
    if (e.info.trim() === '') this.log.error('writer.info-empty', `${at}/info`, 'event without a title (info)');
    if (!isIsoDate(e.date)) this.log.error('writer.date-invalid', `${at}/date`, `date ${JSON.stringify(e.date.slice(0, 40))} is not YYYY-MM-DD`);
    if (!isAnalysis(e.analysis)) this.log.error('writer.analysis-invalid', `${at}/analysis`, 'analysis is not 0, 1 or 2');
    if (!isThreatLevel(e.threatLevelId)) this.log.error('writer.threat-level-invalid', `${at}/threat_level_id`, 'threat_level_id is not 1-4');
    this.timestamp(e.timestamp, `${at}/timestamp`);
    this.timestamp(e.publishTimestamp, `${at}/publish_timestamp`);
    if (e.extendsUuid !== '' && !isUuid(e.extendsUuid)) this.log.error('writer.extends-uuid-invalid', `${at}/extends_uuid`, 'extends_uuid is not a uuid');
    if (e.distribution === 5) this.log.error('writer.event-distribution-inherit', `${at}/distribution`, 'an event cannot inherit its distribution (5)');
    const orgc = e.orgc;
    if (!orgc || orgc.name.trim() === '' || !isUuid(orgc.uuid)) {
      this.log.error('writer.orgc-incomplete', `${at}/Orgc`, 'the creator organisation needs a name and a uuid (PyMISP refuses to write without them)');
    }

    const attributes: Attribute[] = [];
    e.attributes.forEach((a, i) => {
      if (this.passes(a.distribution)) attributes.push(this.attribute(a, `${at}/Attribute/${i}`, false));
    });
    const objects: MispObject[] = [];
    e.objects.forEach((o, i) => {
      if (this.passes(o.distribution)) objects.push(this.object(o, `${at}/Object/${i}`));
    });
    const reports: EventReport[] = [];
    e.reports.forEach((r, i) => {
      if (this.passes(r.distribution)) reports.push(this.report(r, `${at}/EventReport/${i}`));
    });
    const prepared: FeedReadyEvent = {
      uuid: e.uuid,
      info: e.info,
      date: e.date,
      timestamp: e.timestamp,
      publishTimestamp: e.publishTimestamp,
      published: e.published,
      analysis: e.analysis,
      threatLevelId: e.threatLevelId,
      extendsUuid: e.extendsUuid,
      protected: e.protected,
      orgc: orgc?.uuid === undefined ? { name: orgc?.name ?? '' } : { name: orgc.name, uuid: orgc.uuid },
      tags: this.tags(e.tags, at),
      attributes,
      objects,
      reports,
      ...this.distribution(e.distribution),
      ...this.analystData(e, at),
      ...(e.cryptographicKeys !== undefined && e.cryptographicKeys.length > 0 ? { cryptographicKeys: e.cryptographicKeys } : {}),
    };
    if (prepared.published && isEmptyEvent(prepared)) {
      this.log.error('writer.published-empty', `${at}/published`, 'a published event needs at least one attribute, object or report; MISP refuses it');
    }
    const issues = this.log.finish();
    return issues.some((i) => i.severity === 'error') ? { status: 'invalid', issues } : { status: 'written', value: prepared, issues };
  }
}

/**
 * The event exactly as it will be written: distribution filter applied, unexported tags removed, defaults
 * filled, fields the feed does not carry dropped. Reading the written file back gives this value.
 */
export function prepareFeedEvent(event: Event, options: FeedWriteOptions = {}): WriteResult<FeedReadyEvent> {
  return new Preparer(event, options).run();
}

export interface FeedEventFiles {
  /** `<uuid>.json`. */
  readonly fileName: string;
  /** That file's content. */
  readonly text: string;
  readonly manifestEntry: ManifestEntry;
  readonly hashes: readonly HashEntry[];
  /** The event as written (see prepareFeedEvent). */
  readonly event: FeedReadyEvent;
}

export interface WriteFeedEventOptions extends FeedWriteOptions {
  /** Hex MD5 of a string's UTF-8 bytes; shared/ has no crypto of its own. */
  readonly md5: Md5;
  /** Which hashes.csv lines to produce; default `correlating` (see event-hashes.ts). */
  readonly hashMode?: HashMode;
}

/** Everything one event contributes to a feed: its file, its manifest entry and its hashes.csv lines. */
export function writeFeedEvent(event: Event, options: WriteFeedEventOptions): WriteResult<FeedEventFiles> {
  const prepared = prepareFeedEvent(event, options);
  if (prepared.status !== 'written') return prepared;
  const ready = prepared.value;
  return {
    status: 'written',
    issues: prepared.issues,
    value: {
      fileName: `${ready.uuid}.json`,
      text: feedEventText(ready, options),
      manifestEntry: manifestEntryOf(ready),
      hashes: eventHashes(ready, options.md5, options.hashMode ?? 'correlating'),
      event: ready,
    },
  };
}
