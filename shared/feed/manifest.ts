/**
 * manifest.json: one object keyed by event uuid, each value a summary of that event.
 * Lenient: PyMISP writes numbers, other producers (TweetFeed, the RFC sample) write numeric strings; MISP is PHP and
 * compares loosely, so both are accepted. Extra keys are ignored. A key that is not a uuid is reported, because
 * MISP refuses to fetch `<key>.json` for it.
 */
import { issue, type Issue, type Parsed } from './issues';

export interface ManifestTag {
  readonly name: string;
  readonly colour?: string;
  readonly local?: boolean;
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
}

export interface Manifest {
  readonly entries: readonly ManifestEntry[];
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
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
      const tag: { name: string; colour?: string; local?: boolean } = { name: t['name'] };
      if (typeof t['colour'] === 'string') tag.colour = t['colour'];
      if (typeof t['local'] === 'boolean') tag.local = t['local'];
      tags.push(tag);
    } else {
      issues.push(issue('warning', 'manifest.tag-invalid', `${where}/Tag/${i}`, 'tag without a name ignored'));
    }
  });
  return tags;
}

function readEntry(uuid: string, raw: unknown, file: string, issues: Issue[]): ManifestEntry | null {
  const where = `${file}#/${uuid}`;
  if (!isUuid(uuid)) {
    issues.push(issue('error', 'manifest.key-not-uuid', where, `manifest key "${uuid.slice(0, 80)}" is not a uuid`));
    return null;
  }
  if (!isObject(raw)) {
    issues.push(issue('error', 'manifest.entry-not-object', where, 'manifest entry is not an object'));
    return null;
  }
  const timestamp = looseInteger(raw['timestamp']);
  if (timestamp === undefined) {
    issues.push(issue('warning', 'manifest.timestamp-missing', where, 'timestamp missing or not an integer; 0 used'));
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
  for (const [key, raw] of Object.entries(data)) {
    const entry = readEntry(key, raw, file, issues);
    if (entry) entries.push(entry);
  }
  return { value: { entries }, issues };
}
