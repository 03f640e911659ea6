import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  feedToMetadata,
  formatFeedSourceSettings,
  parseFeedSourceSettings,
  readFeedMetadata,
  writeFeedMetadata,
} from '../../../shared/feed/feed-metadata';
import { parseFeedRules } from '../../../shared/feed/filters';
import { hasErrors } from '../../../shared/feed/issues';
import { FeedSettingsSchema, newFeedSettings, type FeedSettings } from '../../../shared/model/feed-settings';
import { hasShared, needsShared, sharedPath } from '../../support/shared-data';

type Json = Record<string, unknown>;

const minimal = { name: 'Block list', provider: 'Example', url: '/feeds/block.txt' };

describe('feed settings model', () => {
  it('fills MISP defaults for a new feed, and the result is valid', () => {
    const feed = newFeedSettings(minimal);
    expect(feed).toMatchObject({ enabled: false, distribution: 0, sourceFormat: 'misp', inputSource: 'network', sharingGroupId: null });
    expect(FeedSettingsSchema.safeParse(feed).success).toBe(true);
  });

  const invalid: [string, Partial<FeedSettings>, string][] = [
    ['a sharing group without distribution 4', { sharingGroupId: 3 }, 'sharingGroupId'],
    ['distribution 4 without a sharing group', { distribution: 4 }, 'sharingGroupId'],
    ['a creator org on a misp feed', { orgcId: 2 }, 'orgcId'],
    ['a blank name', { name: '  ' }, 'name'],
    ['distribution 6', { distribution: 6 as never }, 'distribution'],
    ['a bad tag colour', { defaultTag: { name: 'x', colour: 'red', exportable: true, hideTag: false } }, 'defaultTag'],
    ['column 0', { settings: { csv: { valueColumns: [0], delimiter: ',' }, excludeRegex: '', disableCorrelation: false, unpublishEvent: false } }, 'settings'],
  ];
  it.each(invalid)('refuses %s', (_name, change, path) => {
    const result = FeedSettingsSchema.safeParse({ ...newFeedSettings(minimal), ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(path);
  });
});

describe('settings column', () => {
  it('reads MISP spellings and writes them back', () => {
    const text = '{"disable_correlation":"1","csv":{"value":"1,3","delimiter":"\\\\t"},"common":{"excluderegex":"\\/^#.*\\/i"}}';
    const parsed = parseFeedSourceSettings(text);
    expect(parsed.issues).toEqual([]);
    expect(parsed.value).toEqual({
      csv: { valueColumns: [1, 3], delimiter: '\\t' },
      excludeRegex: '/^#.*/i',
      disableCorrelation: true,
      unpublishEvent: false,
    });
    expect(parseFeedSourceSettings(formatFeedSourceSettings(parsed.value)).value).toEqual(parsed.value);
  });

  const lenient: [string, unknown, string[]][] = [
    ['empty', '', []],
    ['PHP empty array', '[]', []],
    ['double-encoded', JSON.stringify('{"csv":{"value":"2"}}'), ['feed-metadata.double-encoded']],
    ['bad regex kept, reported', '{"common":{"excluderegex":"^#"}}', ['regex.invalid']],
    ['bad column', '{"csv":{"value":"a"}}', ['csv.bad-column']],
    ['unknown key', '{"freetext":{}}', ['feed-metadata.ignored-key']],
    ['not JSON', '{', ['feed-metadata.bad-json']],
    ['numeric column', { csv: { value: 3 } }, []],
  ];
  it.each(lenient)('%s', (_name, raw, codes) => {
    expect(parseFeedSourceSettings(raw).issues.map((i) => i.code)).toEqual(codes);
  });
});

describe('reading feed metadata', () => {
  const entry = (feed: Json, tag?: Json): Json => ({ Feed: { ...minimal, rules: '', settings: '', ...feed }, ...(tag ? { Tag: tag } : {}) });

  it('accepts a single object as MISP does', () => {
    const result = readFeedMetadata(JSON.stringify(entry({})));
    expect(result.value).toHaveLength(1);
    expect(result.issues).toEqual([]);
  });

  it('coerces MISP spellings of ids, flags and distribution', () => {
    const result = readFeedMetadata([
      entry({ id: '12', enabled: '1', caching_enabled: 1, lookup_visible: 'true', distribution: 4, sharing_group_id: '7', source_format: 'CSV', cache_timestamp: false, tag_id: '0' }),
    ]);
    expect(result.issues).toEqual([]);
    expect(result.value[0]?.feed).toMatchObject({
      id: 12, enabled: true, cachingEnabled: true, lookupVisible: true, distribution: 4, sharingGroupId: 7, sourceFormat: 'csv', cacheTimestamp: null, tagId: null,
    });
  });

  const problems: [string, Json, string[], number][] = [
    ['missing url', { url: '' }, ['feed-metadata.missing'], 0],
    ['unsupported format', { source_format: 'stix' }, ['feed-metadata.unsupported'], 0],
    ['bad flag', { enabled: 'maybe' }, ['feed-metadata.bad-flag'], 1],
    ['bad distribution', { distribution: '9' }, ['feed-metadata.bad-distribution'], 1],
    ['sharing group without distribution 4', { sharing_group_id: '3' }, ['feed-metadata.sharing-group-dropped'], 1],
    ['distribution 4 without sharing group', { distribution: '4' }, ['feed-metadata.missing-sharing-group'], 1],
    ['creator org on a misp feed', { orgc_id: '5' }, ['feed-metadata.orgc-dropped'], 1],
    ['unknown key', { colour: 'x' }, ['feed-metadata.ignored-key'], 1],
    ['bad rules', { rules: '{"tags":' }, ['filter.bad-json'], 1],
    ['bad id', { event_id: 'abc' }, ['feed-metadata.bad-id'], 1],
  ];
  it.each(problems)('%s', (_name, feed, codes, kept) => {
    const result = readFeedMetadata([entry(feed)], 'f.json');
    expect(result.issues.map((i) => i.code)).toEqual(codes);
    expect(result.issues.every((i) => i.path.startsWith('f.json#/0'))).toBe(true);
    expect(result.value).toHaveLength(kept);
  });

  it('keeps good entries next to bad ones, with the index of each', () => {
    const result = readFeedMetadata([entry({ url: '' }), 'junk', entry({}), { Tag: {} }, entry({ url: '/feeds/block.txt' })], 'f.json');
    expect(result.value.map((e) => e.index)).toEqual([2, 4]);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['feed-metadata.missing', 'f.json#/0/Feed/url'],
      ['feed-metadata.entry-not-object', 'f.json#/1'],
      ['feed-metadata.no-feed', 'f.json#/3'],
      ['feed-metadata.duplicate-url', 'f.json#/4/Feed/url'],
    ]);
  });

  it('reads the Tag, repairing a bad colour', () => {
    const result = readFeedMetadata([entry({}, { name: 'osint', colour: 'blue', exportable: false, hide_tag: '0' })]);
    expect(result.value[0]?.feed.defaultTag).toEqual({ name: 'osint', colour: '#ffffff', exportable: false, hideTag: false });
    expect(result.issues.map((i) => i.code)).toEqual(['feed-metadata.bad-colour']);
  });

  it('refuses what is not feed metadata at all', () => {
    expect(readFeedMetadata('nope').issues.map((i) => i.code)).toEqual(['feed-metadata.bad-json']);
    expect(readFeedMetadata('{"a":1}').issues.map((i) => i.code)).toEqual(['feed-metadata.not-a-list']);
  });
});

describe('writing feed metadata', () => {
  it('writes every key the schema requires, in MISP spellings', () => {
    const feed = newFeedSettings({
      ...minimal,
      id: 4,
      sourceFormat: 'csv',
      inputSource: 'local',
      distribution: 4,
      sharingGroupId: 2,
      rules: { tags: { or: ['tlp:white'], not: [] }, orgs: { or: [], not: [] }, urlParams: { timestamp: '30d' } },
      settings: { csv: { valueColumns: [2, 4], delimiter: ';' }, excludeRegex: '/^#/', disableCorrelation: false, unpublishEvent: true },
      defaultTag: { name: 'osint:source-type="block-or-filter-list"', colour: '#004f89', exportable: true, hideTag: false },
      cacheTimestamp: 1_714_557_600,
    });
    const written = feedToMetadata(feed);
    expect(written.Feed).toMatchObject({
      id: '4',
      distribution: '4',
      sharing_group_id: '2',
      source_format: 'csv',
      input_source: 'local',
      tag_id: '0',
      cache_timestamp: '1714557600',
      rules: '{"tags":{"OR":["tlp:white"],"NOT":[]},"orgs":{"OR":[],"NOT":[]},"url_params":"{\\"timestamp\\":\\"30d\\"}"}',
      settings: '{"csv":{"value":"2,4","delimiter":";"},"common":{"excluderegex":"/^#/"},"unpublish_event":"1"}',
    });
    expect(written.Tag).toEqual({ name: 'osint:source-type="block-or-filter-list"', colour: '#004f89', exportable: true, hide_tag: false });
    const back = readFeedMetadata([written]);
    expect(back.issues).toEqual([]);
    expect(back.value[0]?.feed).toEqual(feed);
  });

  it('writes nothing when a feed is invalid, and says which', () => {
    const result = writeFeedMetadata([newFeedSettings(minimal), newFeedSettings({ ...minimal, sharingGroupId: 9 })]);
    expect(result.value).toBeNull();
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([['feed-metadata.invalid', 'feeds/1/sharingGroupId']]);
  });
});

describe.skipIf(!hasShared)("MISP's defaults.json" + needsShared, () => {
  const file = sharedPath('reference-data', 'MISP', 'app', 'files', 'feed-metadata', 'defaults.json');
  const text = (): string => readFileSync(file, 'utf8');
  const schema = (): Json => JSON.parse(readFileSync(sharedPath('reference-data', 'MISP', 'app', 'files', 'feed-metadata', 'schema.json'), 'utf8')) as Json;

  it('reads all 84 feeds; the only remarks are the double-encoded settings and two view-only keys', () => {
    const result = readFeedMetadata(text(), 'defaults.json');
    expect(result.value).toHaveLength(84);
    expect(hasErrors(result.issues)).toBe(false);
    expect(result.issues.map((i) => [i.severity, i.code])).toEqual([
      ['warning', 'feed-metadata.double-encoded'],
      ['info', 'feed-metadata.ignored-key'],
      ['info', 'feed-metadata.ignored-key'],
    ]);
    const formats = result.value.map((e) => e.feed.sourceFormat);
    expect(formats.filter((f) => f === 'csv')).toHaveLength(42);
    expect(formats.filter((f) => f === 'freetext')).toHaveLength(35);
    expect(formats.filter((f) => f === 'misp')).toHaveLength(7);
    expect(result.value.filter((e) => e.feed.defaultTag !== null)).toHaveLength(57);
  });

  it('round-trips: what is written reads back to the same feeds, and says what MISP said', () => {
    const original = JSON.parse(text()) as { Feed: Json; Tag?: Json }[];
    const read = readFeedMetadata(original);
    const written = writeFeedMetadata(read.value.map((e) => e.feed));
    expect(written.issues).toEqual([]);
    const output = JSON.parse(written.value ?? 'null') as { Feed: Json; Tag?: Json }[];

    // Fixed point: reading our output gives the same model, without any remark.
    const reread = readFeedMetadata(written.value ?? '');
    expect(reread.issues).toEqual([]);
    expect(reread.value).toEqual(read.value);

    // Field by field against MISP's file: equal, or equal after MISP's own reading of it.
    const ids = ['sharing_group_id', 'tag_id', 'event_id', 'orgc_id'];
    const flags = ['enabled', 'default', 'fixed_event', 'delta_merge', 'publish', 'override_ids', 'delete_local_file', 'lookup_visible', 'caching_enabled', 'force_to_ids'];
    original.forEach((entry, i) => {
      const ours = output[i] as { Feed: Json; Tag?: Json };
      const theirs = entry.Feed;
      for (const key of ['name', 'provider', 'url', 'source_format', 'input_source', 'distribution']) expect(ours.Feed[key]).toBe(theirs[key]);
      for (const key of flags) expect(ours.Feed[key]).toBe(theirs[key] ?? false);
      for (const key of ids) expect(ours.Feed[key]).toBe(theirs[key] ?? '0');
      expect(ours.Feed['headers']).toBe(theirs['headers'] ?? '');
      expect(parseFeedRules(ours.Feed['rules']).value).toEqual(parseFeedRules(theirs['rules']).value);
      expect(parseFeedSourceSettings(ours.Feed['settings']).value).toEqual(parseFeedSourceSettings(theirs['settings']).value);
      expect(ours.Tag).toEqual(entry.Tag);
    });
  });

  it("output satisfies MISP's schema.json: required keys present, each with the declared JSON type", () => {
    const written = writeFeedMetadata(readFeedMetadata(text()).value.map((e) => e.feed));
    const output = JSON.parse(written.value ?? '[]') as { Feed: Json; Tag?: Json }[];
    const defs = schema()['defs'] as Record<string, { properties: Record<string, { type: string; enum?: string[] }>; required: string[] }>;
    const check = (record: Json, def: (typeof defs)[string]): void => {
      for (const key of def.required) expect(record).toHaveProperty(key);
      for (const [key, value] of Object.entries(record)) {
        const declared = def.properties[key];
        if (declared === undefined) continue; // the feed schema allows additional properties
        expect(typeof value === 'boolean' ? 'boolean' : typeof value).toBe(declared.type);
        if (declared.enum) expect(declared.enum).toContain(value);
      }
    };
    for (const entry of output) {
      expect(Object.keys(entry).every((k) => k === 'Feed' || k === 'Tag')).toBe(true);
      check(entry.Feed, defs['feed'] as (typeof defs)[string]);
      if (entry.Tag) check(entry.Tag, defs['tag'] as (typeof defs)[string]);
    }
  });
});
