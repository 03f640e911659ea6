/**
 * MISP's feed metadata JSON: what "Load default feed metadata", "Import feeds from JSON" and the feed view's
 * download button exchange (`app/files/feed-metadata/defaults.json`, checked by its schema.json).
 *
 * The file is a JSON array of `{"Feed": {…}, "Tag": {…}?}`; MISP also accepts a single such object. Inside `Feed`
 * every value keeps MISP's database spelling: ids and distribution are strings, flags are booleans, and `rules`
 * and `settings` are JSON text inside the JSON.
 *
 * Reading is lenient (any of MISP's spellings, issues per entry as `<file>#/<index>/Feed/<key>`, bad entries
 * left out); writing is strict (the model must pass FeedSettingsSchema, output always has every key the schema
 * requires, in one canonical spelling).
 */
import {
  FEED_INPUT_SOURCES,
  FEED_SOURCE_FORMATS,
  FeedSettingsSchema,
  defaultFeedSourceSettings,
  newFeedSettings,
  type FeedInputSource,
  type FeedSettings,
  type FeedSourceFormat,
  type FeedSourceSettings,
  type FeedTag,
} from '../model/feed-settings';
import type { Distribution } from '../model/levels';
import { formatValueColumns, parseValueColumns } from './csv';
import { decodeJsonText, formatFeedRules, parseFeedRules } from './filters';
import { compileMispRegex } from './freetext';
import { issue, type Issue, type Parsed } from './issues';

/** A feed read from metadata, with its position in the file so issues and UI can point back at it. */
export interface FeedMetadataEntry {
  readonly index: number;
  readonly feed: FeedSettings;
}

/** `Feed` as MISP writes it. */
export interface MispFeedRecord {
  readonly id?: string;
  readonly name: string;
  readonly provider: string;
  readonly url: string;
  readonly rules: string;
  readonly enabled: boolean;
  readonly distribution: string;
  readonly sharing_group_id: string;
  readonly tag_id: string;
  readonly tag_collection_id: string;
  readonly default: boolean;
  readonly source_format: FeedSourceFormat;
  readonly fixed_event: boolean;
  readonly delta_merge: boolean;
  readonly event_id: string;
  readonly publish: boolean;
  readonly override_ids: boolean;
  readonly settings: string;
  readonly input_source: FeedInputSource;
  readonly delete_local_file: boolean;
  readonly lookup_visible: boolean;
  readonly headers: string;
  readonly caching_enabled: boolean;
  readonly force_to_ids: boolean;
  readonly orgc_id: string;
  readonly cache_timestamp?: string;
}

/** `Tag` as MISP writes it next to a feed. */
export interface MispFeedTagRecord {
  readonly name: string;
  readonly colour: string;
  readonly exportable: boolean;
  readonly hide_tag: boolean;
}

export interface MispFeedMetadata {
  readonly Feed: MispFeedRecord;
  readonly Tag?: MispFeedTagRecord;
}

//#region Reading

// Statistics MISP's feed view adds to its JSON; they describe one server's cache, not the feed.
const VIEW_ONLY_KEYS = new Set(['cached_elements', 'coverage_by_other_feeds']);

/** Read feed metadata from JSON text or an already decoded value. */
export function readFeedMetadata(input: string | unknown, file = 'feed-metadata.json'): Parsed<FeedMetadataEntry[]> {
  const issues: Issue[] = [];
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input) as unknown;
    } catch (error) {
      const why = error instanceof Error ? error.message : 'not JSON';
      return { value: [], issues: [issue('error', 'feed-metadata.bad-json', file, `not valid JSON: ${why}`)] };
    }
  }
  // MISP wraps a single `{"Feed": …}` object into a list itself.
  const list = Array.isArray(data) ? (data as unknown[]) : isObject(data) && 'Feed' in data ? [data] : null;
  if (list === null) {
    return { value: [], issues: [issue('error', 'feed-metadata.not-a-list', file, 'expected a list of {"Feed": {...}} objects')] };
  }
  const entries: FeedMetadataEntry[] = [];
  const urls = new Map<string, number>();
  list.forEach((raw, index) => {
    const feed = readEntry(raw, `${file}#/${index}`, issues);
    if (feed === null) return;
    const earlier = urls.get(feed.url);
    if (earlier !== undefined) {
      issues.push(issue('warning', 'feed-metadata.duplicate-url', `${file}#/${index}/Feed/url`, `same url as entry ${earlier}; MISP would skip this one`));
    } else {
      urls.set(feed.url, index);
    }
    entries.push({ index, feed });
  });
  return { value: entries, issues };
}

function readEntry(raw: unknown, where: string, issues: Issue[]): FeedSettings | null {
  if (!isObject(raw)) {
    issues.push(issue('error', 'feed-metadata.entry-not-object', where, 'entry is not an object; skipped'));
    return null;
  }
  let record: Record<string, unknown>;
  let tag: unknown;
  if (isObject(raw['Feed'])) {
    record = raw['Feed'];
    tag = raw['Tag'];
    for (const key of Object.keys(raw)) {
      if (key !== 'Feed' && key !== 'Tag') issues.push(issue('warning', 'feed-metadata.ignored-key', `${where}/${key}`, `unknown key "${clip(key)}" ignored`));
    }
  } else if (typeof raw['url'] === 'string') {
    issues.push(issue('warning', 'feed-metadata.unwrapped', where, 'feed fields are not inside "Feed" (MISP would not import this); read anyway'));
    record = raw;
  } else {
    issues.push(issue('error', 'feed-metadata.no-feed', where, 'entry has no "Feed" object; skipped'));
    return null;
  }
  const at = `${where}/Feed`;
  const feed = readFeedRecord(record, at, issues);
  if (feed === null) return null;
  const withTag = tag === undefined || tag === null ? feed : { ...feed, defaultTag: readTag(tag, `${where}/Tag`, issues) };
  const checked = FeedSettingsSchema.safeParse(withTag);
  if (!checked.success) {
    for (const problem of checked.error.issues) {
      issues.push(issue('error', 'feed-metadata.invalid', `${at}/${problem.path.join('/')}`, problem.message));
    }
    return null;
  }
  return checked.data;
}

function readFeedRecord(f: Record<string, unknown>, at: string, issues: Issue[]): FeedSettings | null {
  const text = (key: string): string | null => {
    const value = f[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    issues.push(issue('error', 'feed-metadata.missing', `${at}/${key}`, `"${key}" must be a non-empty string; entry skipped`));
    return null;
  };
  const name = text('name');
  const provider = text('provider');
  const url = text('url');
  if (name === null || provider === null || url === null) return null;

  const sourceFormat = readEnum(f['source_format'], FEED_SOURCE_FORMATS, 'misp', `${at}/source_format`, issues);
  if (sourceFormat === null) return null;
  const inputSource = readEnum(f['input_source'], FEED_INPUT_SOURCES, 'network', `${at}/input_source`, issues) ?? 'network';

  const flag = (key: string): boolean => readFlag(f[key], `${at}/${key}`, issues);
  const id = (key: string): number | null => readId(f[key], `${at}/${key}`, issues);

  let distribution = readDistribution(f['distribution'], `${at}/distribution`, issues);
  let sharingGroupId = id('sharing_group_id');
  if (distribution === 4 && sharingGroupId === null) {
    issues.push(issue('warning', 'feed-metadata.missing-sharing-group', `${at}/sharing_group_id`, 'distribution 4 without a sharing group; using 0 (your organisation only), as MISP does'));
    distribution = 0;
  }
  if (distribution !== 4 && sharingGroupId !== null) {
    issues.push(issue('info', 'feed-metadata.sharing-group-dropped', `${at}/sharing_group_id`, 'a sharing group only applies with distribution 4; dropped, as MISP does'));
    sharingGroupId = null;
  }
  let orgcId = id('orgc_id');
  if (sourceFormat === 'misp' && orgcId !== null) {
    issues.push(issue('info', 'feed-metadata.orgc-dropped', `${at}/orgc_id`, 'misp feeds keep the creator org of each event; orgc_id dropped, as MISP does'));
    orgcId = null;
  }
  const rules = parseFeedRules(f['rules'], `${at}/rules`);
  issues.push(...rules.issues);
  const settings = parseFeedSourceSettings(f['settings'], `${at}/settings`);
  issues.push(...settings.issues);
  const headers = f['headers'];
  if (headers !== undefined && headers !== null && typeof headers !== 'string') {
    issues.push(issue('warning', 'feed-metadata.bad-headers', `${at}/headers`, 'headers must be text; ignored'));
  }

  for (const key of Object.keys(f)) {
    if (KNOWN_FEED_KEYS.has(key)) continue;
    const view = VIEW_ONLY_KEYS.has(key);
    issues.push(
      issue(view ? 'info' : 'warning', 'feed-metadata.ignored-key', `${at}/${key}`, view ? `"${key}" describes a MISP server's cache; ignored` : `unknown key "${clip(key)}" ignored`),
    );
  }

  return newFeedSettings({
    id: id('id'),
    name,
    provider,
    url,
    sourceFormat,
    inputSource,
    enabled: flag('enabled'),
    cachingEnabled: flag('caching_enabled'),
    lookupVisible: flag('lookup_visible'),
    distribution,
    sharingGroupId,
    tagId: id('tag_id'),
    tagCollectionId: id('tag_collection_id'),
    rules: rules.value,
    fixedEvent: flag('fixed_event'),
    deltaMerge: flag('delta_merge'),
    eventId: id('event_id'),
    publish: flag('publish'),
    overrideIds: flag('override_ids'),
    forceToIds: flag('force_to_ids'),
    deleteLocalFile: flag('delete_local_file'),
    headers: typeof headers === 'string' ? headers : '',
    settings: settings.value,
    orgcId,
    isDefault: flag('default'),
    cacheTimestamp: readCacheTimestamp(f['cache_timestamp'], `${at}/cache_timestamp`, issues),
  });
}

const KNOWN_FEED_KEYS = new Set([
  'id', 'name', 'provider', 'url', 'rules', 'enabled', 'distribution', 'sharing_group_id', 'tag_id', 'tag_collection_id',
  'default', 'source_format', 'fixed_event', 'delta_merge', 'event_id', 'publish', 'override_ids', 'settings',
  'input_source', 'delete_local_file', 'lookup_visible', 'headers', 'caching_enabled', 'force_to_ids', 'orgc_id',
  'cache_timestamp',
]);

function readTag(raw: unknown, at: string, issues: Issue[]): FeedTag | null {
  if (!isObject(raw)) {
    issues.push(issue('warning', 'feed-metadata.bad-tag', at, 'Tag is not an object; ignored'));
    return null;
  }
  const name = typeof raw['name'] === 'string' ? raw['name'].trim() : '';
  if (name === '') {
    issues.push(issue('warning', 'feed-metadata.bad-tag', `${at}/name`, 'Tag has no name; ignored'));
    return null;
  }
  let colour = typeof raw['colour'] === 'string' ? raw['colour'].trim() : '';
  if (!/^#[0-9a-fA-F]{6}$/.test(colour)) {
    issues.push(issue('warning', 'feed-metadata.bad-colour', `${at}/colour`, `"${clip(colour)}" is not #rrggbb; using #ffffff`));
    colour = '#ffffff';
  }
  return {
    name: name.slice(0, 255),
    colour,
    // MISP's default for a captured tag: exportable, not hidden.
    exportable: raw['exportable'] === undefined ? true : readFlag(raw['exportable'], `${at}/exportable`, issues),
    hideTag: readFlag(raw['hide_tag'], `${at}/hide_tag`, issues),
  };
}

function readEnum<T extends string>(raw: unknown, allowed: readonly T[], fallback: T, at: string, issues: Issue[]): T | null {
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw.trim().toLowerCase())) return raw.trim().toLowerCase() as T;
  issues.push(issue('error', 'feed-metadata.unsupported', at, `"${clip(String(raw))}" is not one of ${allowed.join(', ')}; entry skipped`));
  return null;
}

/** Booleans as MISP writes them in various places: true/false, 1/0, "1"/"0", "true"/"false". Missing is false. */
function readFlag(raw: unknown, at: string, issues: Issue[]): boolean {
  if (raw === undefined || raw === null || raw === '') return false;
  if (typeof raw === 'boolean') return raw;
  if (raw === 1 || raw === '1' || raw === 'true') return true;
  if (raw === 0 || raw === '0' || raw === 'false') return false;
  issues.push(issue('warning', 'feed-metadata.bad-flag', at, `"${clip(String(raw))}" is not a yes/no value; read as false`));
  return false;
}

/** A database id; 0 and absence both mean none, as in MISP. */
function readId(raw: unknown, at: string, issues: Issue[]): number | null {
  if (raw === undefined || raw === null || raw === '' || raw === false) return null;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    issues.push(issue('warning', 'feed-metadata.bad-id', at, `"${clip(String(raw))}" is not an id; ignored`));
    return null;
  }
  return n === 0 ? null : n;
}

function readDistribution(raw: unknown, at: string, issues: Issue[]): Distribution {
  if (raw === undefined || raw === null || raw === '') return 0;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (Number.isInteger(n) && n >= 0 && n <= 5) return n as Distribution;
  issues.push(issue('warning', 'feed-metadata.bad-distribution', at, `"${clip(String(raw))}" is not a distribution 0..5; using 0`));
  return 0;
}

function readCacheTimestamp(raw: unknown, at: string, issues: Issue[]): number | null {
  // MISP writes false when the feed was never cached.
  if (raw === undefined || raw === null || raw === false || raw === '' || raw === '0' || raw === 0) return null;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,12}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (Number.isSafeInteger(n) && n > 0) return n;
  issues.push(issue('warning', 'feed-metadata.bad-timestamp', at, `"${clip(String(raw))}" is not a Unix timestamp; ignored`));
  return null;
}

/**
 * Read a feed's `settings` column (JSON text or decoded). Missing parts take MISP's defaults; `excluderegex` is
 * checked (MISP refuses a bad one when the feed is saved) but kept as written, so nothing is lost on the way back.
 */
export function parseFeedSourceSettings(raw: unknown, path = 'settings'): Parsed<FeedSourceSettings> {
  const issues: Issue[] = [];
  const settings = defaultFeedSourceSettings();
  const decoded = decodeJsonText(raw, path, 'feed-metadata', issues);
  if (decoded === undefined || (Array.isArray(decoded) && decoded.length === 0)) return { value: settings, issues };
  if (!isObject(decoded)) {
    issues.push(issue('warning', 'feed-metadata.settings-not-object', path, 'settings must be a JSON object; defaults used'));
    return { value: settings, issues };
  }
  let { valueColumns, delimiter } = settings.csv;
  let { excludeRegex, disableCorrelation, unpublishEvent } = settings;
  for (const [key, value] of Object.entries(decoded)) {
    const at = `${path}/${key}`;
    switch (key) {
      case 'csv': {
        const csv = isObject(value) ? value : {};
        const columns = csv['value'];
        if (typeof columns === 'string' || typeof columns === 'number') {
          const parsed = parseValueColumns(String(columns), `${at}/value`);
          issues.push(...parsed.issues);
          valueColumns = parsed.value;
        } else if (Array.isArray(columns)) {
          const parsed = parseValueColumns(columns.map(String).join(','), `${at}/value`);
          issues.push(...parsed.issues);
          valueColumns = parsed.value;
        }
        if (typeof csv['delimiter'] === 'string') delimiter = csv['delimiter'];
        break;
      }
      case 'common': {
        const pattern = isObject(value) ? value['excluderegex'] : undefined;
        if (typeof pattern === 'string') {
          excludeRegex = pattern;
          issues.push(...compileMispRegex(pattern, `${at}/excluderegex`).issues.map((i) => ({ ...i, severity: 'warning' as const })));
        }
        break;
      }
      case 'disable_correlation':
        disableCorrelation = readFlag(value, at, issues);
        break;
      case 'unpublish_event':
        unpublishEvent = readFlag(value, at, issues);
        break;
      default:
        issues.push(issue('warning', 'feed-metadata.ignored-key', at, `unknown setting "${clip(key)}" ignored`));
    }
  }
  return { value: { csv: { valueColumns, delimiter }, excludeRegex, disableCorrelation, unpublishEvent }, issues };
}

//#endregion
//#region Writing

/** Settings the way MISP stores them; the two flags appear only when set, since MISP reads them with empty(). */
export function formatFeedSourceSettings(settings: FeedSourceSettings): string {
  const out: Record<string, unknown> = {
    csv: { value: formatValueColumns(settings.csv.valueColumns), delimiter: settings.csv.delimiter },
    common: { excluderegex: settings.excludeRegex },
  };
  if (settings.disableCorrelation) out['disable_correlation'] = '1';
  if (settings.unpublishEvent) out['unpublish_event'] = '1';
  return JSON.stringify(out);
}

/** One feed in MISP's metadata shape. The input is assumed valid; {@link writeFeedMetadata} checks it. */
export function feedToMetadata(feed: FeedSettings): MispFeedMetadata {
  const idText = (id: number | null): string => String(id ?? 0);
  const record: MispFeedRecord = {
    ...(feed.id === null ? {} : { id: String(feed.id) }),
    name: feed.name,
    provider: feed.provider,
    url: feed.url,
    rules: formatFeedRules(feed.rules),
    enabled: feed.enabled,
    distribution: String(feed.distribution),
    sharing_group_id: idText(feed.sharingGroupId),
    tag_id: idText(feed.tagId),
    tag_collection_id: idText(feed.tagCollectionId),
    default: feed.isDefault,
    source_format: feed.sourceFormat,
    fixed_event: feed.fixedEvent,
    delta_merge: feed.deltaMerge,
    event_id: idText(feed.eventId),
    publish: feed.publish,
    override_ids: feed.overrideIds,
    settings: formatFeedSourceSettings(feed.settings),
    input_source: feed.inputSource,
    delete_local_file: feed.deleteLocalFile,
    lookup_visible: feed.lookupVisible,
    headers: feed.headers,
    caching_enabled: feed.cachingEnabled,
    force_to_ids: feed.forceToIds,
    orgc_id: idText(feed.orgcId),
    ...(feed.cacheTimestamp === null ? {} : { cache_timestamp: String(feed.cacheTimestamp) }),
  };
  if (feed.defaultTag === null) return { Feed: record };
  const { name, colour, exportable, hideTag } = feed.defaultTag;
  return { Feed: record, Tag: { name, colour, exportable, hide_tag: hideTag } };
}

/**
 * Write feeds as MISP feed metadata (2-space indented, as MISP's defaults.json). Every feed must pass
 * FeedSettingsSchema; otherwise nothing is written and the problems come back as issues under `feeds/<i>/…`.
 */
export function writeFeedMetadata(feeds: readonly FeedSettings[]): Parsed<string | null> {
  const issues: Issue[] = [];
  feeds.forEach((feed, i) => {
    const checked = FeedSettingsSchema.safeParse(feed);
    if (!checked.success) {
      for (const problem of checked.error.issues) {
        issues.push(issue('error', 'feed-metadata.invalid', `feeds/${i}/${problem.path.join('/')}`, problem.message));
      }
    }
  });
  if (issues.length > 0) return { value: null, issues };
  return { value: `${JSON.stringify(feeds.map(feedToMetadata), null, 2)}\n`, issues };
}

//#endregion

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
