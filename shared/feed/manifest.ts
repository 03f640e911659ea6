/**
 * manifest.json: one object keyed by event uuid, each value a summary of that event.
 * Lenient: PyMISP writes numbers, other producers (TweetFeed, the RFC sample) write numeric strings; MISP is PHP and
 * compares loosely, so both are accepted. Extra keys are ignored. A key that is not a uuid is reported, because
 * MISP refuses to fetch `<key>.json` for it.
 */
import type { Event } from '../model/event';
import { isIsoDate } from '../model/timestamps';
import { isUuid } from '../model/uuid';
import { issue, type Issue, type Parsed } from './issues';
import { looseBool } from './loose-json';

export { isUuid };

export interface ManifestTag {
  readonly name: string;
  readonly colour?: string;
  readonly local?: boolean;
  readonly relationshipType?: string;
}

export interface ManifestEntry {
  readonly uuid: string;
  readonly info: string;
  readonly date: string;
  /** Unix seconds; MISP compares it with the stored event to decide add / update / skip. */
  readonly timestamp: number;
  readonly analysis?: number;
  readonly threatLevelId?: number;
  readonly orgc?: { readonly name?: string; readonly uuid?: string };
  readonly tags: readonly ManifestTag[];
  /** Not written by PyMISP, but some producers add it; kept for display. */
  readonly distribution?: number;
  /** The RFC's `integrity:sha256`: lower-case hex SHA-256 of the event file's bytes. */
  readonly sha256?: string;
}

export interface Manifest {
  readonly entries: readonly ManifestEntry[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON number or a string of digits; anything else is absent. */
export function looseInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,16}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function readTags(raw: unknown, where: string, issues: Issue[]): ManifestTag[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    issues.push(issue('warning', 'manifest.tags-not-list', where, 'Tag is not a list; tags ignored'));
    return [];
  }
  const tags: ManifestTag[] = [];
  raw.forEach((t, i) => {
    if (isObject(t) && typeof t['name'] === 'string' && t['name'] !== '') {
      const tag: { name: string; colour?: string; local?: boolean; relationshipType?: string } = { name: t['name'] };
      if (typeof t['colour'] === 'string') tag.colour = t['colour'];
      const local = looseBool(t['local']);
      if (local !== undefined) tag.local = local;
      if (typeof t['relationship_type'] === 'string') tag.relationshipType = t['relationship_type'];
      tags.push(tag);
    } else {
      issues.push(issue('warning', 'manifest.tag-invalid', `${where}/Tag/${i}`, 'tag without a name ignored'));
    }
  });
  return tags;
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;
const UUID_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keys a manifest entry may carry: PyMISP's seven, MISP's lower-case alias, and the RFC's integrity fields. */
const ENTRY_FIELDS = new Set([
  'Orgc', 'Tag', 'info', 'date', 'analysis', 'threat_level_id', 'timestamp', 'orgc', 'integrity:sha256', 'integrity:pgp',
]);
const NUMERIC_FIELDS = ['analysis', 'threat_level_id', 'timestamp'] as const;

/**
 * Deviations from PyMISP's manifest shape that MISP tolerates. Each kind is counted over the whole file and
 * reported once, so a 10,000-entry manifest with string integers gives one issue, not 30,000.
 */
class Deviations {
  stringIntegers = 0;
  missingTags = 0;
  lowerCaseOrgc = 0;
  missingOrgc = 0;
  restShaped = 0;
  readonly extraFields = new Map<string, number>();

  note(raw: JsonObject): void {
    if (NUMERIC_FIELDS.some((k) => typeof raw[k] === 'string' && looseInteger(raw[k]) !== undefined)) this.stringIntegers++;
    if (!Array.isArray(raw['Tag'])) this.missingTags++;
    if (!('Orgc' in raw) && 'orgc' in raw) this.lowerCaseOrgc++;
    if (!isObject(raw['Orgc']) && !isObject(raw['orgc'])) this.missingOrgc++;
    const orgc = raw['Orgc'];
    const tags = Array.isArray(raw['Tag']) ? raw['Tag'] : [];
    if ((isObject(orgc) && 'id' in orgc) || tags.some((t) => isObject(t) && 'id' in t)) this.restShaped++;
    for (const key of Object.keys(raw)) {
      if (!ENTRY_FIELDS.has(key)) this.extraFields.set(key, (this.extraFields.get(key) ?? 0) + 1);
    }
  }

  report(file: string, total: number, issues: Issue[]): void {
    if (this.stringIntegers > 0) {
      issues.push(issue('info', 'manifest.integers-as-strings', file, `${this.stringIntegers} of ${total} entries write analysis, threat_level_id or timestamp as strings; PyMISP writes numbers (MISP accepts both)`));
    }
    for (const [key, count] of [...this.extraFields].slice(0, 20)) {
      issues.push(issue('info', 'manifest.extra-field', file, `${count} of ${total} entries carry ${JSON.stringify(key.slice(0, 60))}, which is not a manifest field; MISP ignores it`));
    }
    if (this.restShaped > 0) {
      issues.push(issue('info', 'manifest.rest-fields', file, `${this.restShaped} of ${total} entries carry MISP REST fields (Orgc.id, Tag[].id...); only name, uuid and the tag fields are used`));
    }
    if (this.missingTags > 0) {
      issues.push(issue('warning', 'manifest.tags-missing', file, `${this.missingTags} of ${total} entries have no Tag list; MISP's preview expects one, even empty`));
    }
    if (this.lowerCaseOrgc > 0) {
      issues.push(issue('warning', 'manifest.orgc-lower-case', file, `${this.lowerCaseOrgc} entries spell the creator org "orgc"; MISP's fetch filters only look at "Orgc"`));
    }
    if (this.missingOrgc > 0) {
      issues.push(issue('warning', 'manifest.orgc-missing', file, `${this.missingOrgc} of ${total} entries have no creator organisation; org filters cannot match them`));
    }
  }
}

function readEntry(uuid: string, raw: unknown, file: string, issues: Issue[], deviations?: Deviations): ManifestEntry | null {
  const where = `${file}#/${uuid}`;
  if (!UUID_KEY.test(uuid)) {
    issues.push(issue('error', 'manifest.key-not-uuid', where, `manifest key "${uuid.slice(0, 80)}" is not a uuid`));
    return null;
  }
  if (!isObject(raw)) {
    issues.push(issue('error', 'manifest.entry-not-object', where, 'manifest entry is not an object'));
    return null;
  }
  deviations?.note(raw);
  const timestamp = looseInteger(raw['timestamp']);
  if (timestamp === undefined) {
    issues.push(issue('warning', 'manifest.timestamp-missing', where, 'timestamp missing or not an integer; 0 used'));
  }
  if (typeof raw['info'] !== 'string' || raw['info'].trim() === '') {
    issues.push(issue('warning', 'manifest.info-missing', `${where}/info`, 'entry has no title (info)'));
  }
  if (typeof raw['date'] !== 'string' || !isIsoDate(raw['date'])) {
    issues.push(issue('warning', 'manifest.date-invalid', `${where}/date`, 'date missing or not YYYY-MM-DD'));
  }
  const orgRaw = raw['Orgc'] ?? raw['orgc'];
  const orgc = isObject(orgRaw)
    ? {
        ...(typeof orgRaw['name'] === 'string' ? { name: orgRaw['name'] } : {}),
        ...(typeof orgRaw['uuid'] === 'string' ? { uuid: orgRaw['uuid'] } : {}),
      }
    : undefined;
  const analysis = looseInteger(raw['analysis']);
  const threatLevelId = looseInteger(raw['threat_level_id']);
  const distribution = looseInteger(raw['distribution']);
  const integrity = raw['integrity:sha256'];
  const sha256 = typeof integrity === 'string' && SHA256_HEX.test(integrity) ? integrity.toLowerCase() : undefined;
  if (integrity !== undefined && sha256 === undefined) {
    issues.push(issue('warning', 'manifest.integrity-invalid', `${where}/integrity:sha256`, 'integrity:sha256 is not 64 hex digits; ignored'));
  }
  return {
    uuid: uuid.toLowerCase(),
    info: typeof raw['info'] === 'string' ? raw['info'] : '',
    date: typeof raw['date'] === 'string' ? raw['date'] : '',
    timestamp: timestamp ?? 0,
    tags: readTags(raw['Tag'], where, issues),
    ...(analysis !== undefined ? { analysis } : {}),
    ...(threatLevelId !== undefined ? { threatLevelId } : {}),
    ...(orgc ? { orgc } : {}),
    ...(distribution !== undefined ? { distribution } : {}),
    ...(sha256 !== undefined ? { sha256 } : {}),
  };
}

/** Parse manifest.json given as text or as an already parsed value. Never throws. */
export function parseManifest(input: string | unknown, file = 'manifest.json'): Parsed<Manifest> {
  const issues: Issue[] = [];
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (e) {
      issues.push(issue('error', 'manifest.not-json', file, `not valid JSON: ${(e as Error).message}`));
      return { value: { entries: [] }, issues };
    }
  }
  if (!isObject(data)) {
    issues.push(issue('error', 'manifest.not-object', file, 'manifest.json must hold one object keyed by event uuid'));
    return { value: { entries: [] }, issues };
  }
  const entries: ManifestEntry[] = [];
  const deviations = new Deviations();
  for (const [key, raw] of Object.entries(data)) {
    const entry = readEntry(key, raw, file, issues, deviations);
    if (entry) entries.push(entry);
  }
  deviations.report(file, entries.length, issues);
  return { value: { entries }, issues };
}

/** What a feed folder may hold besides `<uuid>.json` files. */
const FEED_SIDE_FILES = new Set(['manifest.json', 'hashes.csv', 'manifest.json.asc']);

/**
 * Compares a feed folder's file names with its manifest: MISP fetches `<uuid>.json` for every manifest key, so a
 * missing file fails that event; event files the manifest does not list are never fetched; anything else
 * (a README, say) is harmless but worth knowing about.
 */
export function checkFeedListing(manifest: Manifest, fileNames: Iterable<string>): Issue[] {
  const issues: Issue[] = [];
  const names = new Set<string>();
  for (const n of fileNames) names.add(n);
  const listed = new Set(manifest.entries.map((e) => e.uuid));
  for (const uuid of listed) {
    if (!names.has(`${uuid}.json`)) {
      issues.push(issue('warning', 'feed.event-file-missing', `${uuid}.json`, 'listed in manifest.json but the file is missing; MISP fails to fetch this event'));
    }
  }
  if (!names.has('hashes.csv')) {
    issues.push(issue('info', 'feed.hashes-missing', 'hashes.csv', 'no hashes.csv; MISP caches this feed by downloading every event'));
  }
  for (const name of [...names].sort()) {
    if (FEED_SIDE_FILES.has(name)) continue;
    const m = /^(.+)\.(json|asc)$/.exec(name);
    if (m && isUuid(m[1] ?? '')) {
      const uuid = (m[1] ?? '').toLowerCase();
      if (m[2] === 'json' && !listed.has(uuid)) {
        issues.push(issue('info', 'feed.event-not-in-manifest', name, 'event file not listed in manifest.json; MISP never fetches it'));
      }
      continue;
    }
    issues.push(issue('info', 'feed.unexpected-file', name, 'not part of the MISP feed format; ignored'));
  }
  return issues;
}

/**
 * Compares a manifest entry with the event file it announces. MISP decides whether to fetch from the manifest
 * alone, so a manifest timestamp behind the event's means consumers never pick the update up.
 */
export function compareWithManifest(entry: ManifestEntry, event: Event, file = `${event.uuid}.json`): Issue[] {
  const issues: Issue[] = [];
  if (entry.uuid !== event.uuid) {
    issues.push(issue('error', 'feed.uuid-mismatch', file, `manifest key ${entry.uuid} announces an event whose uuid is ${event.uuid}`));
  }
  if (entry.timestamp !== event.timestamp) {
    const severity = entry.timestamp < event.timestamp ? 'warning' : 'info';
    issues.push(issue(severity, 'feed.timestamp-mismatch', file, `manifest timestamp ${entry.timestamp} differs from the event's ${event.timestamp}; MISP decides updates on the manifest's`));
  }
  if (entry.info !== event.info || entry.date !== event.date) {
    issues.push(issue('info', 'feed.summary-mismatch', file, 'manifest title or date differs from the event file'));
  }
  return issues;
}
