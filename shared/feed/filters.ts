/**
 * Event filters as MISP users write them, compiled once and applied to millions of events.
 *
 * Two input forms exist in MISP and both are read here:
 * - expressions, as the event index and PyMISP's feed generator take them: `tlp:white|feed-export|!privint`
 *   (any of the positive terms, none of the `!` terms), plus restSearch's `a&&b&&!c` (same meaning) and the event
 *   index's `a&b` (all of them);
 * - a feed's `rules` JSON: `{"tags":{"OR":[],"NOT":[]},"orgs":{"OR":[],"NOT":[]},"url_params":"{\"timestamp\":\"30d\"}"}`.
 *
 * Both become one structured {@link EventFilterSpec}; {@link compileEventFilter} turns that into a matcher over a
 * {@link FilterSubject}, the few fields a manifest entry and a full event have in common, so the importer can
 * filter the manifest before reading any event and then apply the very same semantics to the events it reads.
 *
 * Name matching follows MISP's tag lookup (`Tag.name LIKE …` on a case-insensitive collation): case-insensitive
 * equality with `%` as a wildcard. MISP's feed code differs by path (exact case-sensitive on the manifest,
 * case-insensitive substring on downloaded events); those two are available as the `exact` and `contains` modes.
 */
import type { FeedFilterRules, FeedNameRule, FeedTimeFilter } from '../model/feed-settings';
import { emptyFeedFilterRules } from '../model/feed-settings';
import type { Event } from '../model/event';
import { issue, type Issue, type Parsed } from './issues';
import type { ManifestEntry } from './manifest';

//#region Subject

/** What a filter looks at. Optional fields may be unknown (a PyMISP manifest has no distribution or publish state). */
export interface FilterSubject {
  readonly tags: readonly string[];
  readonly orgName?: string;
  readonly orgUuid?: string;
  readonly distribution?: number;
  readonly published?: boolean;
  /** `YYYY-MM-DD`. */
  readonly date?: string;
  /** Unix seconds. */
  readonly timestamp?: number;
  /** Unix seconds; 0 when never published. */
  readonly publishTimestamp?: number;
}

/** Projection of a parsed manifest entry. */
export function subjectFromManifestEntry(entry: ManifestEntry): FilterSubject {
  return withoutUndefined({
    tags: entry.tags.map((t) => t.name),
    orgName: entry.orgc?.name,
    orgUuid: entry.orgc?.uuid,
    distribution: entry.distribution,
    date: entry.date,
    timestamp: entry.timestamp,
  });
}

/** Projection of a model event. */
export function subjectFromEvent(event: Event): FilterSubject {
  return withoutUndefined({
    tags: event.tags.map((t) => t.name),
    orgName: event.orgc?.name,
    orgUuid: event.orgc?.uuid,
    distribution: event.distribution,
    published: event.published,
    date: event.date,
    timestamp: event.timestamp,
    publishTimestamp: event.publishTimestamp,
  });
}

/**
 * Projection of raw MISP JSON: a manifest entry value, an `{"Event": {…}}` document or the bare event object.
 * Lenient like MISP: numbers may be numeric strings, booleans may be `"0"`/`"1"`, `orgc` may be lower-case.
 */
export function subjectFromMispJson(raw: unknown): FilterSubject {
  const outer = asObject(raw);
  const event = asObject(outer?.['Event']) ?? outer ?? {};
  const org = asObject(event['Orgc']) ?? asObject(event['orgc']);
  const tagList = Array.isArray(event['Tag']) ? (event['Tag'] as unknown[]) : [];
  const tags: string[] = [];
  for (const t of tagList) {
    const name = asObject(t)?.['name'];
    if (typeof name === 'string') tags.push(name);
  }
  return withoutUndefined({
    tags,
    orgName: typeof org?.['name'] === 'string' ? org['name'] : undefined,
    orgUuid: typeof org?.['uuid'] === 'string' ? org['uuid'] : undefined,
    distribution: looseInt(event['distribution']),
    published: looseBool(event['published']),
    date: typeof event['date'] === 'string' ? event['date'] : undefined,
    timestamp: looseInt(event['timestamp']),
    publishTimestamp: looseInt(event['publish_timestamp']),
  });
}

//#endregion
//#region Structured form

/** A rule over names (tags, or an org's name and uuid). Patterns may use `%` as a wildcard. */
export interface NameCriterion {
  /** At least one must match, unless empty. */
  readonly any: readonly string[];
  /** Every one must match. */
  readonly all: readonly string[];
  /** None may match. */
  readonly none: readonly string[];
}

/** A rule over distribution levels (0..5). */
export interface LevelCriterion {
  readonly any: readonly number[];
  readonly none: readonly number[];
}

/** A moment: absolute Unix seconds, or a span before "now" (resolved when the filter is compiled). */
export type TimePoint =
  | { readonly kind: 'at'; readonly seconds: number }
  | { readonly kind: 'ago'; readonly seconds: number };

/** Inclusive bounds; a missing bound is open. */
export interface TimeRange {
  readonly from?: TimePoint;
  readonly to?: TimePoint;
}

/** Inclusive bounds on the event date; `at` points are compared by their UTC calendar date. */
export interface DateRange {
  readonly from?: TimePoint;
  readonly to?: TimePoint;
}

/** Everything a filter can require. Absent criteria impose nothing; all present criteria must hold. */
export interface EventFilterSpec {
  readonly tags?: NameCriterion;
  readonly orgs?: NameCriterion;
  readonly distribution?: LevelCriterion;
  readonly published?: boolean;
  readonly date?: DateRange;
  readonly timestamp?: TimeRange;
  readonly publishTimestamp?: TimeRange;
}

//#endregion
//#region Parsing expressions

/** A name rule as MISP accepts it: an expression string, a list of terms, or `{OR, NOT, AND}` lists. */
export type NameExpressionInput =
  | string
  | readonly string[]
  | { readonly OR?: readonly string[] | string; readonly NOT?: readonly string[] | string; readonly AND?: readonly string[] | string };

/**
 * Parse a tag or org rule. In a string, `|` separates alternatives (event index), `&&` does too (restSearch), and
 * a lone `&` demands all terms (event index's AND form); a leading `!` negates a term. Terms are trimmed.
 */
export function parseNameExpression(input: NameExpressionInput, path: string): Parsed<NameCriterion> {
  const issues: Issue[] = [];
  const any = new Set<string>();
  const all = new Set<string>();
  const none = new Set<string>();
  const addTerm = (raw: string, positive: Set<string>, where: string): void => {
    const term = raw.trim();
    if (term === '') {
      issues.push(issue('warning', 'filter.empty-term', where, 'empty term ignored'));
      return;
    }
    if (term.startsWith('!')) {
      const negated = term.slice(1).trim();
      if (negated === '') issues.push(issue('error', 'filter.empty-negation', where, '"!" must be followed by a name'));
      else none.add(negated);
      return;
    }
    positive.add(term);
  };

  if (typeof input === 'string') {
    const { terms, conjunction } = splitExpression(input);
    const positive = conjunction === 'all' ? all : any;
    terms.forEach((t) => addTerm(t, positive, path));
  } else if (isStringList(input)) {
    input.forEach((t, i) => addTerm(t, any, `${path}/${i}`));
  } else {
    // The keyed form is taken literally, as MISP does: a `!` inside OR is part of the name.
    const keyed = input as Exclude<NameExpressionInput, string | readonly string[]>;
    const lists: [readonly string[] | string | undefined, Set<string>, string][] = [
      [keyed.OR, any, 'OR'],
      [keyed.AND, all, 'AND'],
      [keyed.NOT, none, 'NOT'],
    ];
    for (const [list, target, key] of lists) {
      for (const term of list === undefined ? [] : typeof list === 'string' ? [list] : list) {
        const trimmed = term.trim();
        if (trimmed === '') issues.push(issue('warning', 'filter.empty-term', `${path}/${key}`, 'empty term ignored'));
        else target.add(trimmed);
      }
    }
  }
  return { value: { any: [...any], all: [...all], none: [...none] }, issues };
}

function splitExpression(text: string): { terms: string[]; conjunction: 'any' | 'all' } {
  if (text.includes('|')) return { terms: text.split('|'), conjunction: 'any' };
  if (text.includes('&&')) return { terms: text.split('&&'), conjunction: 'any' };
  if (text.includes('&')) return { terms: text.split('&'), conjunction: 'all' };
  return { terms: [text], conjunction: 'any' };
}

/** Parse a distribution rule: `0|1|!4`, `"3"`, 3 or a list; every level must be 0..5. */
export function parseDistributionExpression(
  input: string | number | readonly (string | number)[],
  path: string,
): Parsed<LevelCriterion> {
  const issues: Issue[] = [];
  const any = new Set<number>();
  const none = new Set<number>();
  const pieces = typeof input === 'number' ? [String(input)] : typeof input === 'string' ? input.split(/[|,]/) : input.map(String);
  for (const raw of pieces) {
    const piece = raw.trim();
    if (piece === '') continue;
    const negated = piece.startsWith('!');
    const digits = negated ? piece.slice(1).trim() : piece;
    if (!/^[0-5]$/.test(digits)) {
      issues.push(issue('error', 'filter.bad-distribution', path, `"${clip(piece)}" is not a distribution level 0..5`));
      continue;
    }
    (negated ? none : any).add(Number(digits));
  }
  return { value: { any: [...any], none: [...none] }, issues };
}

/** Parse a yes/no flag such as `published`; `2`, `''` and `'any'` mean "no filter" as in MISP's event index. */
export function parseFlag(input: boolean | number | string, path: string): Parsed<boolean | undefined> {
  if (typeof input === 'boolean') return { value: input, issues: [] };
  const text = String(input).trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return { value: true, issues: [] };
  if (['0', 'false', 'no', 'off'].includes(text)) return { value: false, issues: [] };
  if (['', '2', 'any', 'all'].includes(text)) return { value: undefined, issues: [] };
  return { value: undefined, issues: [issue('error', 'filter.bad-flag', path, `"${clip(text)}" is not a yes/no value`)] };
}

const DELTA_UNITS: Readonly<Record<string, number>> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/**
 * Parse a moment the way MISP's resolveTimeDelta does: a number is Unix seconds; `<n>d|h|m|s` is that long before
 * now; a date (`YYYY-MM-DD`) or date-time (`YYYY-MM-DD[T ]HH:MM[:SS][.fff][Z|±HH:MM]`, UTC when no zone) is a
 * moment. MISP hands anything else to PHP's strtotime and, when that fails, silently excludes everything; here it
 * is an error instead.
 */
export function parseTimePoint(input: string | number, path: string): Parsed<TimePoint | null> {
  if (typeof input === 'number') {
    if (Number.isInteger(input) && input >= 0) return { value: { kind: 'at', seconds: input }, issues: [] };
    return { value: null, issues: [issue('error', 'filter.bad-time', path, `${input} is not a Unix timestamp`)] };
  }
  const text = input.trim();
  if (/^\d+$/.test(text)) return { value: { kind: 'at', seconds: Number(text) }, issues: [] };
  const delta = /^(\d+(?:\.\d+)?)([dhms])$/i.exec(text);
  if (delta) {
    const unit = DELTA_UNITS[(delta[2] ?? '').toLowerCase()] ?? 1;
    return { value: { kind: 'ago', seconds: Math.round(Number(delta[1]) * unit) }, issues: [] };
  }
  const moment = parseIsoMoment(text);
  if (moment !== null) return { value: { kind: 'at', seconds: moment }, issues: [] };
  return {
    value: null,
    issues: [issue('error', 'filter.bad-time', path, `"${clip(text)}" is neither a timestamp, a delta like 30d, nor a date`)],
  };
}

const ISO_MOMENT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

function parseIsoMoment(text: string): number | null {
  const m = ISO_MOMENT.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March; a date that does not exist is a typo, not a moment.
  if (new Date(ms).getUTCDate() !== day) return null;
  let offset = 0;
  const zone = m[7];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offset = sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  return Math.floor(ms / 1000) - offset;
}

/** Parse a time filter: one point means "from then on", a pair is an inclusive `[from, to]` range. */
export function parseTimeRange(input: FeedTimeFilter, path: string): Parsed<TimeRange> {
  if (Array.isArray(input)) {
    const [fromInput, toInput] = input as readonly [string | number, string | number];
    const from = parseTimePoint(fromInput, `${path}/0`);
    const to = parseTimePoint(toInput, `${path}/1`);
    return { value: withoutUndefined({ from: from.value ?? undefined, to: to.value ?? undefined }), issues: [...from.issues, ...to.issues] };
  }
  const from = parseTimePoint(input as string | number, path);
  return { value: from.value === null ? {} : { from: from.value }, issues: from.issues };
}

/** MISP-style filter parameters, as a command line or a dialog collects them. */
export interface EventFilterInput {
  readonly tags?: NameExpressionInput;
  readonly orgs?: NameExpressionInput;
  readonly distribution?: string | number | readonly (string | number)[];
  readonly published?: boolean | number | string;
  /** Inclusive lower bound on the event date: `YYYY-MM-DD` or a delta such as `30d`. */
  readonly dateFrom?: string;
  /** Inclusive upper bound on the event date. */
  readonly dateUntil?: string;
  readonly timestamp?: FeedTimeFilter;
  readonly publishTimestamp?: FeedTimeFilter;
}

/** Parse every given parameter; problems come back as issues under `path/<parameter>`. */
export function parseEventFilter(input: EventFilterInput, path = 'filter'): Parsed<EventFilterSpec> {
  const issues: Issue[] = [];
  const take = <T>(parsed: Parsed<T>): T => {
    issues.push(...parsed.issues);
    return parsed.value;
  };
  const spec: {
    -readonly [K in keyof EventFilterSpec]: EventFilterSpec[K];
  } = {};
  if (input.tags !== undefined) spec.tags = take(parseNameExpression(input.tags, `${path}/tags`));
  if (input.orgs !== undefined) spec.orgs = take(parseNameExpression(input.orgs, `${path}/orgs`));
  if (input.distribution !== undefined) {
    spec.distribution = take(parseDistributionExpression(input.distribution, `${path}/distribution`));
  }
  if (input.published !== undefined) {
    const published = take(parseFlag(input.published, `${path}/published`));
    if (published !== undefined) spec.published = published;
  }
  if (input.dateFrom !== undefined || input.dateUntil !== undefined) {
    const from = input.dateFrom === undefined ? null : take(parseTimePoint(input.dateFrom, `${path}/dateFrom`));
    const to = input.dateUntil === undefined ? null : take(parseTimePoint(input.dateUntil, `${path}/dateUntil`));
    spec.date = withoutUndefined({ from: from ?? undefined, to: to ?? undefined });
  }
  if (input.timestamp !== undefined) spec.timestamp = take(parseTimeRange(input.timestamp, `${path}/timestamp`));
  if (input.publishTimestamp !== undefined) {
    spec.publishTimestamp = take(parseTimeRange(input.publishTimestamp, `${path}/publishTimestamp`));
  }
  return { value: spec, issues };
}

//#endregion
//#region Feed `rules` JSON

/**
 * Read a feed's `rules` column (JSON text, or the value already decoded). `''` and null mean "no rules", as in
 * MISP. `url_params` is itself JSON text inside the JSON; an object is accepted too. Unknown keys are reported
 * and dropped, because MISP ignores them.
 */
export function parseFeedRules(raw: unknown, path = 'rules'): Parsed<FeedFilterRules> {
  const issues: Issue[] = [];
  const decoded = decodeJsonText(raw, path, 'filter', issues);
  // PHP encodes an empty array as `[]`, so that is "no rules" too.
  if (decoded === undefined || isEmptyList(decoded)) return { value: emptyFeedFilterRules(), issues };
  const obj = asObject(decoded);
  if (!obj) {
    issues.push(issue('error', 'filter.rules-not-object', path, 'rules must be a JSON object; treated as no rules'));
    return { value: emptyFeedFilterRules(), issues };
  }
  const rules = emptyFeedFilterRules() as {
    -readonly [K in keyof FeedFilterRules]: FeedFilterRules[K];
  };
  for (const [key, value] of Object.entries(obj)) {
    const where = `${path}/${key}`;
    switch (key) {
      case 'tags':
      case 'orgs':
        rules[key] = readNameRule(value, where, issues);
        break;
      case 'url_params':
        rules.urlParams = readUrlParams(value, where, issues);
        break;
      case 'type_attributes':
        rules.typeAttributesNot = readNotList(value, where, issues);
        break;
      case 'type_objects':
        rules.typeObjectsNot = readNotList(value, where, issues);
        break;
      default:
        issues.push(issue('warning', 'filter.unknown-rule', where, `MISP ignores the rule key "${clip(key)}"; dropped`));
    }
  }
  return { value: rules, issues };
}

/** Write rules the way MISP stores them; `url_params` is `""` when empty, as in MISP's default. */
export function formatFeedRules(rules: FeedFilterRules): string {
  const out: Record<string, unknown> = {
    tags: { OR: [...rules.tags.or], NOT: [...rules.tags.not] },
    orgs: { OR: [...rules.orgs.or], NOT: [...rules.orgs.not] },
  };
  if (rules.typeAttributesNot !== undefined) out['type_attributes'] = { NOT: [...rules.typeAttributesNot] };
  if (rules.typeObjectsNot !== undefined) out['type_objects'] = { NOT: [...rules.typeObjectsNot] };
  const params: Record<string, unknown> = {};
  if (rules.urlParams.timestamp !== undefined) params['timestamp'] = rules.urlParams.timestamp;
  if (rules.urlParams.publishTimestamp !== undefined) params['publish_timestamp'] = rules.urlParams.publishTimestamp;
  out['url_params'] = Object.keys(params).length === 0 ? '' : JSON.stringify(params);
  return JSON.stringify(out);
}

/**
 * The filter a feed's rules describe. MISP checks `publish_timestamp` only on downloaded events and there
 * compares the event's `timestamp` by mistake; this applies it to `publishTimestamp`, as intended.
 */
export function feedRulesToFilterSpec(rules: FeedFilterRules, path = 'rules'): Parsed<EventFilterSpec> {
  const issues: Issue[] = [];
  const spec: { -readonly [K in keyof EventFilterSpec]: EventFilterSpec[K] } = {};
  if (rules.tags.or.length > 0 || rules.tags.not.length > 0) spec.tags = nameRuleToCriterion(rules.tags);
  if (rules.orgs.or.length > 0 || rules.orgs.not.length > 0) spec.orgs = nameRuleToCriterion(rules.orgs);
  if (rules.urlParams.timestamp !== undefined) {
    const parsed = parseTimeRange(rules.urlParams.timestamp, `${path}/url_params/timestamp`);
    issues.push(...parsed.issues);
    spec.timestamp = parsed.value;
  }
  if (rules.urlParams.publishTimestamp !== undefined) {
    const parsed = parseTimeRange(rules.urlParams.publishTimestamp, `${path}/url_params/publish_timestamp`);
    issues.push(...parsed.issues);
    spec.publishTimestamp = parsed.value;
  }
  return { value: spec, issues };
}

function nameRuleToCriterion(rule: FeedNameRule): NameCriterion {
  return { any: rule.or, all: [], none: rule.not };
}

function readNameRule(raw: unknown, path: string, issues: Issue[]): FeedNameRule {
  const obj = asObject(raw);
  if (!obj) {
    if (raw !== '' && raw !== null && raw !== undefined && !isEmptyList(raw)) {
      issues.push(issue('warning', 'filter.rule-not-object', path, 'expected {"OR": [...], "NOT": [...]}; ignored'));
    }
    return { or: [], not: [] };
  }
  for (const key of Object.keys(obj)) {
    if (key !== 'OR' && key !== 'NOT') {
      issues.push(issue('warning', 'filter.unknown-rule', `${path}/${key}`, `MISP feeds only use OR and NOT; "${clip(key)}" dropped`));
    }
  }
  return { or: readStringList(obj['OR'], `${path}/OR`, issues), not: readStringList(obj['NOT'], `${path}/NOT`, issues) };
}

function readNotList(raw: unknown, path: string, issues: Issue[]): string[] {
  return readStringList(asObject(raw)?.['NOT'], `${path}/NOT`, issues);
}

function readStringList(raw: unknown, path: string, issues: Issue[]): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? (raw as unknown[]) : null;
  if (list === null) {
    issues.push(issue('warning', 'filter.not-a-list', path, 'expected a list of names; ignored'));
    return [];
  }
  const out: string[] = [];
  list.forEach((item, i) => {
    const text = typeof item === 'string' ? item.trim() : typeof item === 'number' ? String(item) : null;
    if (text === null || text === '') {
      issues.push(issue('warning', 'filter.bad-name', `${path}/${i}`, 'empty or non-text name ignored'));
    } else if (!out.includes(text)) {
      out.push(text);
    }
  });
  return out;
}

function readUrlParams(raw: unknown, path: string, issues: Issue[]): FeedFilterRules['urlParams'] {
  const decoded = decodeJsonText(raw, path, 'filter', issues);
  if (decoded === undefined || isEmptyList(decoded)) return {};
  const obj = asObject(decoded);
  if (!obj) {
    issues.push(issue('warning', 'filter.url-params-not-object', path, 'url_params must be a JSON object; ignored'));
    return {};
  }
  const params: { timestamp?: FeedTimeFilter; publishTimestamp?: FeedTimeFilter } = {};
  for (const [key, value] of Object.entries(obj)) {
    const where = `${path}/${key}`;
    if (key !== 'timestamp' && key !== 'publish_timestamp') {
      issues.push(issue('warning', 'filter.unknown-url-param', where, `MISP feeds only read timestamp and publish_timestamp; "${clip(key)}" dropped`));
      continue;
    }
    const time = readTimeFilter(value);
    if (time === undefined) {
      issues.push(issue('error', 'filter.bad-time', where, 'expected a timestamp, a delta such as 30d, a date, or a [from, to] pair'));
      continue;
    }
    // Checked now so that a bad value is reported where it was written, not when the feed is next fetched.
    const check = parseTimeRange(time, where);
    issues.push(...check.issues);
    if (check.issues.length === 0) {
      if (key === 'timestamp') params.timestamp = time;
      else params.publishTimestamp = time;
    }
  }
  return params;
}

function readTimeFilter(value: unknown): FeedTimeFilter | undefined {
  const point = (v: unknown): string | number | undefined =>
    typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  if (Array.isArray(value)) {
    const [from, to] = [point(value[0]), point(value[1])];
    return value.length === 2 && from !== undefined && to !== undefined ? [from, to] : undefined;
  }
  return point(value);
}

/**
 * MISP keeps JSON inside JSON strings. Returns the decoded value, or undefined for "nothing there" ('' or null)
 * and for text that is not JSON (reported). Text that decodes to another JSON string is decoded once more, since
 * at least one of MISP's own default feeds is stored double-encoded.
 */
export function decodeJsonText(raw: unknown, path: string, codePrefix: string, issues: Issue[]): unknown {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return raw;
  if (raw.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    issues.push(issue('error', `${codePrefix}.bad-json`, path, 'not valid JSON; ignored'));
    return undefined;
  }
  if (typeof value === 'string') {
    issues.push(issue('warning', `${codePrefix}.double-encoded`, path, 'JSON text was encoded twice; decoded'));
    return decodeJsonText(value, path, codePrefix, issues);
  }
  return value;
}

//#endregion
//#region Compiling and matching

/** How a name pattern is compared with a tag or org name. */
export type NameMatchMode =
  /** Case-insensitive equality, `%` matches any run of characters: MISP's tag lookup (`LIKE`). */
  | 'like'
  /** Case-sensitive equality: MISP's check of manifest entries when it fetches a feed. */
  | 'exact'
  /** Case-insensitive substring: MISP's check of each downloaded feed event. */
  | 'contains';

export interface CompileOptions {
  /** Unix seconds that deltas such as `30d` count back from. @default the current time */
  readonly now?: number;
  /** @default 'like' */
  readonly tagMatch?: NameMatchMode;
  /** @default 'like' */
  readonly orgMatch?: NameMatchMode;
}

/**
 * `match`: every criterion holds. `reject`: one fails. `undecided`: none fails, but one needs a field the subject
 * lacks (a manifest has no publish state): keep the entry and decide once the full event is read.
 */
export type FilterVerdict = 'match' | 'reject' | 'undecided';

export interface CompiledEventFilter {
  readonly spec: EventFilterSpec;
  /** True when the filter lets everything through. */
  readonly isEmpty: boolean;
  evaluate(subject: FilterSubject): FilterVerdict;
  /** `evaluate(subject) === 'match'`. */
  matches(subject: FilterSubject): boolean;
}

type Check = (subject: FilterSubject) => FilterVerdict;

/** Compile a spec into a matcher; do it once per run, then call it for every entry. */
export function compileEventFilter(spec: EventFilterSpec, options: CompileOptions = {}): CompiledEventFilter {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  // Cheapest checks first: most entries of a big feed are rejected on a number before any string is compared.
  const checks: Check[] = [];
  if (spec.published !== undefined) checks.push(publishedCheck(spec.published));
  if (spec.distribution && (spec.distribution.any.length > 0 || spec.distribution.none.length > 0)) {
    checks.push(distributionCheck(spec.distribution));
  }
  if (spec.timestamp) checks.push(...rangeChecks(spec.timestamp, now, (s) => s.timestamp));
  if (spec.publishTimestamp) checks.push(...rangeChecks(spec.publishTimestamp, now, (s) => s.publishTimestamp));
  if (spec.date) checks.push(...dateChecks(spec.date, now));
  if (spec.orgs && !isEmptyCriterion(spec.orgs)) checks.push(orgCheck(spec.orgs, options.orgMatch ?? 'like'));
  if (spec.tags && !isEmptyCriterion(spec.tags)) checks.push(tagCheck(spec.tags, options.tagMatch ?? 'like'));

  const evaluate = (subject: FilterSubject): FilterVerdict => {
    let verdict: FilterVerdict = 'match';
    for (const check of checks) {
      const result = check(subject);
      if (result === 'reject') return 'reject';
      if (result === 'undecided') verdict = 'undecided';
    }
    return verdict;
  };
  return { spec, isEmpty: checks.length === 0, evaluate, matches: (subject) => evaluate(subject) === 'match' };
}

function isEmptyCriterion(c: NameCriterion): boolean {
  return c.any.length === 0 && c.all.length === 0 && c.none.length === 0;
}

function publishedCheck(wanted: boolean): Check {
  return (s) => (s.published === undefined ? 'undecided' : s.published === wanted ? 'match' : 'reject');
}

function distributionCheck(rule: LevelCriterion): Check {
  const any = new Set(rule.any);
  const none = new Set(rule.none);
  return (s) => {
    if (s.distribution === undefined) return 'undecided';
    if (none.has(s.distribution)) return 'reject';
    return any.size === 0 || any.has(s.distribution) ? 'match' : 'reject';
  };
}

function resolvePoint(point: TimePoint, now: number): number {
  switch (point.kind) {
    case 'at':
      return point.seconds;
    case 'ago':
      return now - point.seconds;
    default:
      return unreachable(point);
  }
}

function rangeChecks(range: TimeRange, now: number, field: (s: FilterSubject) => number | undefined): Check[] {
  const from = range.from === undefined ? undefined : resolvePoint(range.from, now);
  const to = range.to === undefined ? undefined : resolvePoint(range.to, now);
  if (from === undefined && to === undefined) return [];
  return [
    (s) => {
      const value = field(s);
      if (value === undefined) return 'undecided';
      if (from !== undefined && value < from) return 'reject';
      if (to !== undefined && value > to) return 'reject';
      return 'match';
    },
  ];
}

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

function dateChecks(range: DateRange, now: number): Check[] {
  const toDate = (p: TimePoint | undefined): string | undefined =>
    p === undefined ? undefined : new Date(resolvePoint(p, now) * 1000).toISOString().slice(0, 10);
  const from = toDate(range.from);
  const to = toDate(range.to);
  if (from === undefined && to === undefined) return [];
  return [
    (s) => {
      // ISO dates compare correctly as strings; anything else cannot be placed on the calendar.
      if (s.date === undefined || !DATE_SHAPE.test(s.date)) return 'undecided';
      if (from !== undefined && s.date < from) return 'reject';
      if (to !== undefined && s.date > to) return 'reject';
      return 'match';
    },
  ];
}

/** Tests one name against a set of patterns. */
type NameTest = (name: string) => boolean;

function compilePatterns(patterns: readonly string[], mode: NameMatchMode): NameTest {
  switch (mode) {
    case 'exact': {
      const set = new Set(patterns);
      return (name) => set.has(name);
    }
    case 'contains': {
      const needles = patterns.map((p) => p.toLowerCase());
      return (name) => {
        const lower = name.toLowerCase();
        return needles.some((n) => lower.includes(n));
      };
    }
    case 'like': {
      // Plain names (the usual case) become one set lookup; only `%` patterns need a regular expression.
      const plain = new Set<string>();
      const wild: RegExp[] = [];
      for (const p of patterns) {
        if (p.includes('%')) wild.push(likePatternToRegExp(p));
        else plain.add(p.toLowerCase());
      }
      if (wild.length === 0) return (name) => plain.has(name.toLowerCase());
      return (name) => plain.has(name.toLowerCase()) || wild.some((re) => re.test(name));
    }
    default:
      return unreachable(mode);
  }
}

/** `%` → any run of characters; everything else literal; anchored; case-insensitive. */
export function likePatternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

/** A criterion over a list of candidate names (all of an event's tags, or an org's name and uuid). */
function criterionTest(c: NameCriterion, mode: NameMatchMode): (names: readonly string[]) => boolean {
  const anyTest = c.any.length > 0 ? compilePatterns(c.any, mode) : null;
  const allTests = c.all.map((p) => compilePatterns([p], mode));
  const noneTest = c.none.length > 0 ? compilePatterns(c.none, mode) : null;
  return (names) => {
    if (noneTest && names.some(noneTest)) return false;
    if (anyTest && !names.some(anyTest)) return false;
    return allTests.every((test) => names.some(test));
  };
}

function tagCheck(c: NameCriterion, mode: NameMatchMode): Check {
  const test = criterionTest(c, mode);
  return (s) => (test(s.tags) ? 'match' : 'reject');
}

function orgCheck(c: NameCriterion, mode: NameMatchMode): Check {
  const test = criterionTest(c, mode);
  return (s) => {
    // MISP compares each org rule with the creator org's uuid and with its name.
    const names = [s.orgName, s.orgUuid].filter((n): n is string => n !== undefined);
    if (names.length === 0) return 'undecided';
    return test(names) ? 'match' : 'reject';
  };
}

//#endregion
//#region Small helpers

function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value);
}

function looseInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,16}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function looseBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return undefined;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Drops undefined properties so optional fields are absent rather than present-but-undefined. */
function withoutUndefined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) {
    if (obj[key] === undefined) delete obj[key];
  }
  return obj;
}

//#endregion
