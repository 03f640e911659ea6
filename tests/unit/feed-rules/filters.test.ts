import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileEventFilter,
  feedRulesToFilterSpec,
  formatFeedRules,
  likePatternToRegExp,
  parseDistributionExpression,
  parseEventFilter,
  parseFeedRules,
  parseFlag,
  parseNameExpression,
  parseTimePoint,
  subjectFromEvent,
  subjectFromManifestEntry,
  subjectFromMispJson,
  type EventFilterInput,
  type FilterSubject,
  type FilterVerdict,
} from '../../../shared/feed/filters';
import { hasErrors } from '../../../shared/feed/issues';
import { parseManifest } from '../../../shared/feed/manifest';
import type { Event } from '../../../shared/model';
import { hasShared, needsShared, sharedPath } from '../../support/shared-data';

const NOW = 1_714_600_000; // 2024-05-01T21:46:40Z

/** A few events as full-event projections. */
const EVENTS: Record<string, FilterSubject> = {
  whiteCircl: {
    tags: ['tlp:white', 'feed-export'],
    orgName: 'CIRCL',
    orgUuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f',
    distribution: 3,
    published: true,
    date: '2024-04-30',
    timestamp: NOW - 3_600,
    publishTimestamp: NOW - 3_600,
  },
  privint: {
    tags: ['TLP:WHITE', 'privint'],
    orgName: 'CIRCL',
    orgUuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f',
    distribution: 1,
    published: true,
    date: '2024-01-15',
    timestamp: NOW - 100 * 86_400,
    publishTimestamp: NOW - 100 * 86_400,
  },
  galaxyOther: {
    tags: ['misp-galaxy:threat-actor="Sofacy"', 'tlp:amber'],
    orgName: 'ExampleOrg',
    orgUuid: '11111111-2222-4333-8444-555555555555',
    distribution: 0,
    published: false,
    date: '2017-12-21',
    timestamp: NOW - 2_000 * 86_400,
    publishTimestamp: 0,
  },
  untagged: {
    tags: [],
    orgName: 'Other Org',
    orgUuid: '99999999-2222-4333-8444-555555555555',
    distribution: 5,
    published: false,
    date: '2024-05-01',
    timestamp: NOW,
    publishTimestamp: 0,
  },
};

/** The same events as a PyMISP manifest knows them: no distribution, no publish state. */
function asManifestEntry(s: FilterSubject): FilterSubject {
  const { tags, orgName, orgUuid, date, timestamp } = s;
  return { tags, orgName, orgUuid, date, timestamp } as FilterSubject;
}

const EVENT_NAMES = Object.keys(EVENTS);

function matching(input: EventFilterInput, project: (s: FilterSubject) => FilterSubject = (s) => s): Record<string, FilterVerdict> {
  const parsed = parseEventFilter(input);
  expect(hasErrors(parsed.issues)).toBe(false);
  const filter = compileEventFilter(parsed.value, { now: NOW });
  return Object.fromEntries(EVENT_NAMES.map((n) => [n, filter.evaluate(project(EVENTS[n] as FilterSubject))]));
}

function matchingNames(input: EventFilterInput): string[] {
  return Object.entries(matching(input))
    .filter(([, v]) => v === 'match')
    .map(([k]) => k);
}

describe('tag and org expressions', () => {
  const cases: [string, EventFilterInput, string[]][] = [
    ['no filter lets everything through', {}, EVENT_NAMES],
    ['one tag, case-insensitive like MISP', { tags: 'tlp:white' }, ['whiteCircl', 'privint']],
    ['any of the positives, none of the negatives', { tags: 'tlp:white|feed-export|!privint' }, ['whiteCircl']],
    ['only negatives keep untagged events', { tags: '!privint' }, ['whiteCircl', 'galaxyOther', 'untagged']],
    ['restSearch && is an OR list too', { tags: 'tlp:amber&&feed-export' }, ['whiteCircl', 'galaxyOther']],
    ['single & demands every tag', { tags: 'tlp:white&feed-export' }, ['whiteCircl']],
    ['% is a wildcard', { tags: 'misp-galaxy:threat-actor=%' }, ['galaxyOther']],
    ['no substring match without %', { tags: 'tlp' }, []],
    ['% at both ends is a substring', { tags: '%white%' }, ['whiteCircl', 'privint']],
    ['list form with a negation', { tags: ['tlp:white', '!privint'] }, ['whiteCircl']],
    ['keyed form OR/NOT/AND', { tags: { OR: ['tlp:white', 'tlp:amber'], NOT: 'privint' } }, ['whiteCircl', 'galaxyOther']],
    ['keyed AND', { tags: { AND: ['tlp:white', 'feed-export'] } }, ['whiteCircl']],
    ['org by name, any case', { orgs: 'circl' }, ['whiteCircl', 'privint']],
    ['org by uuid', { orgs: '11111111-2222-4333-8444-555555555555' }, ['galaxyOther']],
    ['org negation', { orgs: '!CIRCL' }, ['galaxyOther', 'untagged']],
    ['orgs and tags combine with AND', { orgs: 'CIRCL', tags: '!privint' }, ['whiteCircl']],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(matchingNames(input)).toEqual(expected);
  });

  it('reports bad terms', () => {
    expect(parseNameExpression('a||b', 'p').issues.map((i) => i.code)).toEqual(['filter.empty-term']);
    expect(parseNameExpression('a|!', 'p').issues.map((i) => i.code)).toEqual(['filter.empty-negation']);
    expect(parseNameExpression(' a | ! b ', 'p').value).toEqual({ any: ['a'], all: [], none: ['b'] });
  });

  it('like patterns escape everything but %', () => {
    expect(likePatternToRegExp('a.b%').test('a.bcd')).toBe(true);
    expect(likePatternToRegExp('a.b%').test('axbcd')).toBe(false);
    expect(likePatternToRegExp('x(y)%').test('X(Y)z')).toBe(true);
  });
});

describe('match modes reproduce the two MISP feed paths', () => {
  const subject: FilterSubject = { tags: ['TLP:WHITE', 'osint:source-type="blog-post"'], orgName: 'CIRCL' };
  const cases: [string, 'like' | 'exact' | 'contains', FilterVerdict][] = [
    ['tlp:white', 'like', 'match'],
    ['tlp:white', 'exact', 'reject'],
    ['TLP:WHITE', 'exact', 'match'],
    ['osint', 'contains', 'match'],
    ['osint', 'like', 'reject'],
  ];
  it.each(cases)('%s with %s → %s', (tag, mode, verdict) => {
    const spec = parseEventFilter({ tags: tag }).value;
    expect(compileEventFilter(spec, { tagMatch: mode }).evaluate(subject)).toBe(verdict);
  });

  it('org match mode applies to org rules', () => {
    const spec = parseEventFilter({ orgs: 'circ' }).value;
    expect(compileEventFilter(spec, { orgMatch: 'contains' }).evaluate(subject)).toBe('match');
    expect(compileEventFilter(spec).evaluate(subject)).toBe('reject');
  });
});

describe('levels, flags and time', () => {
  const cases: [string, EventFilterInput, string[]][] = [
    ['distribution list', { distribution: '0|3' }, ['whiteCircl', 'galaxyOther']],
    ['distribution negation', { distribution: '!5' }, ['whiteCircl', 'privint', 'galaxyOther']],
    ['distribution as numbers', { distribution: [1, 5] }, ['privint', 'untagged']],
    ['published', { published: true }, ['whiteCircl', 'privint']],
    ['unpublished from "0"', { published: '0' }, ['galaxyOther', 'untagged']],
    ['published "2" means any', { published: '2' }, EVENT_NAMES],
    ['date from', { dateFrom: '2024-01-01' }, ['whiteCircl', 'privint', 'untagged']],
    ['date range inclusive', { dateFrom: '2024-01-15', dateUntil: '2024-04-30' }, ['whiteCircl', 'privint']],
    ['date as a delta', { dateFrom: '7d' }, ['whiteCircl', 'untagged']],
    ['timestamp delta', { timestamp: '30d' }, ['whiteCircl', 'untagged']],
    ['timestamp pair', { timestamp: ['2017-01-01', '2024-02-01'] }, ['privint', 'galaxyOther']],
    ['timestamp pair, narrow', { timestamp: ['2023-06-01', '2024-02-01'] }, ['privint']],
    ['timestamp absolute', { timestamp: NOW - 3_600 }, ['whiteCircl', 'untagged']],
    ['publish timestamp', { publishTimestamp: '1h' }, ['whiteCircl']],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(matchingNames(input)).toEqual(expected);
  });

  it('parses moments like resolveTimeDelta, and refuses what it cannot place', () => {
    expect(parseTimePoint('1714557600', 'p').value).toEqual({ kind: 'at', seconds: 1_714_557_600 });
    expect(parseTimePoint('12H', 'p').value).toEqual({ kind: 'ago', seconds: 43_200 });
    expect(parseTimePoint('1.5d', 'p').value).toEqual({ kind: 'ago', seconds: 129_600 });
    expect(parseTimePoint('2024-05-01', 'p').value).toEqual({ kind: 'at', seconds: 1_714_521_600 });
    expect(parseTimePoint('2024-05-01T10:00:00+02:00', 'p').value).toEqual({ kind: 'at', seconds: 1_714_550_400 });
    for (const bad of ['yesterday', '2024-02-30', '30x', '-5', '']) {
      expect(parseTimePoint(bad, 'p').issues.map((i) => i.code)).toEqual(['filter.bad-time']);
    }
  });

  it('reports bad levels and flags', () => {
    expect(parseDistributionExpression('0|6|!x', 'd').issues).toHaveLength(2);
    expect(parseFlag('maybe', 'f').issues.map((i) => i.code)).toEqual(['filter.bad-flag']);
  });
});

describe('the same filter on a manifest entry and on the full event', () => {
  const filters: EventFilterInput[] = [
    { tags: 'tlp:white|feed-export|!privint' },
    { orgs: 'CIRCL|!ExampleOrg' },
    { dateFrom: '2024-01-01', timestamp: '30d' },
    { published: true, tags: 'tlp:white' },
    { distribution: '3' },
  ];
  it.each(filters.map((f) => [JSON.stringify(f), f] as const))('%s', (_name, input) => {
    const full = matching(input);
    const manifest = matching(input, asManifestEntry);
    for (const name of EVENT_NAMES) {
      // A manifest may lack a field and leave the decision open, but never contradicts the full event.
      if (full[name] === 'reject') expect(manifest[name]).not.toBe('match');
      if (full[name] === 'match') expect(manifest[name]).not.toBe('reject');
      if (manifest[name] !== 'undecided') expect(manifest[name]).toBe(full[name]);
    }
  });

  it('is undecided only on fields a manifest lacks', () => {
    expect(matching({ published: true }, asManifestEntry).whiteCircl).toBe('undecided');
    expect(matching({ tags: 'privint', published: true }, asManifestEntry).whiteCircl).toBe('reject');
    expect(matching({ orgs: 'CIRCL' }, () => ({ tags: [] })).whiteCircl).toBe('undecided');
  });

  it('projects a model event', () => {
    const event = {
      uuid: '5a9e9e26-fe40-4726-8563-5585950d210f',
      info: 'x',
      date: '2024-05-01',
      timestamp: 10,
      publishTimestamp: 9,
      published: true,
      analysis: 1,
      threatLevelId: 2,
      extendsUuid: '',
      protected: false,
      orgc: { name: 'ExampleOrg', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
      tags: [{ name: 'tlp:clear', local: false }],
      attributes: [],
      objects: [],
      reports: [],
    } satisfies Event;
    expect(subjectFromEvent(event)).toEqual({
      tags: ['tlp:clear'],
      orgName: 'ExampleOrg',
      orgUuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f',
      published: true,
      date: '2024-05-01',
      timestamp: 10,
      publishTimestamp: 9,
    });
  });
});

describe.skipIf(!hasShared)('projections of real feeds' + needsShared, () => {
  const feedDir = (name: string): string => sharedPath('fixtures', 'feeds', name);

  it('manifest entries and event files of the PyMISP feed project to the same subject', () => {
    const dir = feedDir('pymisp-generated-feed');
    const manifestText = readFileSync(`${dir}/manifest.json`, 'utf8');
    const parsed = parseManifest(manifestText);
    const raw = JSON.parse(manifestText) as Record<string, unknown>;
    expect(parsed.value.entries).toHaveLength(2);
    for (const entry of parsed.value.entries) {
      const fromManifest = subjectFromManifestEntry(entry);
      expect(subjectFromMispJson(raw[entry.uuid])).toEqual(fromManifest);
      const event = subjectFromMispJson(JSON.parse(readFileSync(`${dir}/${entry.uuid}.json`, 'utf8')));
      // The event knows more (publish state) but agrees on everything the manifest has.
      expect(event).toMatchObject(fromManifest);
      expect(event.published).toBeTypeOf('boolean');
    }
  });

  it('a filter gives every TweetFeed event the same answer from the manifest and from its file', () => {
    const dir = feedDir('tweetfeed');
    const manifest = parseManifest(readFileSync(`${dir}/manifest.json`, 'utf8')).value;
    const files = new Set(readdirSync(dir));
    const filter = compileEventFilter(
      parseEventFilter({ tags: 'tlp:clear|!tlp:red', orgs: 'TweetFeed', dateFrom: '2025-09-15', distribution: '3' }).value,
      { now: NOW },
    );
    let checked = 0;
    let matched = 0;
    for (const entry of manifest.entries.slice(0, 60)) {
      if (!files.has(`${entry.uuid}.json`)) continue;
      const fromEvent = filter.evaluate(subjectFromMispJson(JSON.parse(readFileSync(`${dir}/${entry.uuid}.json`, 'utf8'))));
      const fromManifest = filter.evaluate(subjectFromManifestEntry(entry));
      expect(fromManifest).toBe(fromEvent);
      checked++;
      if (fromEvent === 'match') matched++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(matched).toBeGreaterThan(0);
    expect(matched).toBeLessThan(checked);
  });
});

describe('feed rules JSON', () => {
  it('reads MISP default rules and writes them back the way MISP stores them', () => {
    const text = '{"tags":{"OR":[],"NOT":[]},"orgs":{"OR":[],"NOT":[]},"url_params":""}';
    const parsed = parseFeedRules(text);
    expect(parsed.issues).toEqual([]);
    expect(formatFeedRules(parsed.value)).toBe(text);
    expect(compileEventFilter(feedRulesToFilterSpec(parsed.value).value).isEmpty).toBe(true);
  });

  it('decodes url_params JSON-in-JSON and keeps MISP-only keys', () => {
    const text = JSON.stringify({
      tags: { OR: ['tlp:white'], NOT: ['privint'] },
      orgs: { OR: [], NOT: ['Evil Corp'] },
      type_attributes: { NOT: ['comment'] },
      type_objects: { NOT: [] },
      url_params: JSON.stringify({ timestamp: '30d', publish_timestamp: ['2024-01-01', '2024-06-01'] }),
    });
    const parsed = parseFeedRules(text);
    expect(parsed.issues).toEqual([]);
    expect(parsed.value).toEqual({
      tags: { or: ['tlp:white'], not: ['privint'] },
      orgs: { or: [], not: ['Evil Corp'] },
      typeAttributesNot: ['comment'],
      typeObjectsNot: [],
      urlParams: { timestamp: '30d', publishTimestamp: ['2024-01-01', '2024-06-01'] },
    });
    expect(parseFeedRules(formatFeedRules(parsed.value)).value).toEqual(parsed.value);

    const filter = compileEventFilter(feedRulesToFilterSpec(parsed.value).value, { now: NOW });
    expect(filter.evaluate(EVENTS['whiteCircl'] as FilterSubject)).toBe('match');
    expect(filter.evaluate(EVENTS['privint'] as FilterSubject)).toBe('reject');
  });

  const lenient: [string, unknown, string[]][] = [
    ['empty string is no rules', '', []],
    ['null is no rules', null, []],
    ['PHP empty array is no rules', '[]', []],
    ['not JSON', '{tags:', ['filter.bad-json']],
    ['not an object', '"x"', ['filter.double-encoded', 'filter.bad-json']],
    ['unknown key', '{"tags":{"OR":["a"]},"foo":1}', ['filter.unknown-rule']],
    ['bad url param', '{"url_params":"{\\"timestamp\\":\\"soon\\"}"}', ['filter.bad-time']],
    ['unknown url param', '{"url_params":{"limit":5}}', ['filter.unknown-url-param']],
    ['names not a list', '{"tags":{"OR":5}}', ['filter.not-a-list']],
    ['decoded object accepted', { tags: { OR: ['a', '', 'a'] } }, ['filter.bad-name']],
  ];
  it.each(lenient)('%s', (_name, raw, codes) => {
    const parsed = parseFeedRules(raw);
    expect(parsed.issues.map((i) => i.code)).toEqual(codes);
  });

  it('applies publish_timestamp to the publish time, not the modification time (MISP mixes them up)', () => {
    const rules = parseFeedRules({ url_params: { publish_timestamp: '7d' } }).value;
    const filter = compileEventFilter(feedRulesToFilterSpec(rules).value, { now: NOW });
    expect(filter.evaluate({ tags: [], timestamp: NOW, publishTimestamp: NOW - 30 * 86_400 })).toBe('reject');
    expect(filter.evaluate({ tags: [], timestamp: NOW })).toBe('undecided');
  });
});

describe('throughput', () => {
  it('compiles once and tests a million subjects quickly', () => {
    const filter = compileEventFilter(
      parseEventFilter({ tags: 'tlp:white|feed-export|misp-galaxy:%|!privint', orgs: '!Evil', timestamp: '365d' }).value,
      { now: NOW },
    );
    const subjects: FilterSubject[] = Array.from({ length: 1000 }, (_, i) => ({
      tags: i % 3 === 0 ? ['tlp:white'] : i % 3 === 1 ? ['privint', 'tlp:white'] : ['tlp:green', 'misp-galaxy:x="y"'],
      orgName: i % 7 === 0 ? 'Evil' : 'Good',
      timestamp: NOW - i * 86_400,
    }));
    const started = performance.now();
    let matches = 0;
    for (let round = 0; round < 1000; round++) for (const s of subjects) if (filter.matches(s)) matches++;
    const elapsed = performance.now() - started;
    expect(matches).toBeGreaterThan(0);
    // Generous bound: this is a smoke test against accidental per-call compilation, not a benchmark.
    expect(elapsed).toBeLessThan(5_000);
  });
});
