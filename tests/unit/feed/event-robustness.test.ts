// Property tests: whatever arrives (truncated files, wrong types, huge strings, broken UTF-8), the reader
// answers with issues instead of throwing; and any valid event survives write → read unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEvent } from '../../../shared/feed/event-reader';
import { prepareFeedEvent, writeFeedEvent } from '../../../shared/feed/event-writer';
import { hasErrors } from '../../../shared/feed/issues';
import { isKnownType, validateAttributeValue } from '../../../shared/misp';
import { isUuid, type Attribute, type Event } from '../../../shared/model';
import { hasShared } from '../../support/shared-data';
import { md5, readFeedFile } from './fixture-files';

const ORG = { name: 'ExampleOrg', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' };

function sampleDoc(): Record<string, unknown> {
  return {
    Event: {
      uuid: '5a9e9e26-fe40-4726-8563-5585950d210f',
      info: 'Synthetic example event',
      date: '2024-05-01',
      timestamp: '1714557600',
      published: false,
      analysis: '1',
      threat_level_id: '2',
      Orgc: { ...ORG },
      Tag: [{ name: 'tlp:clear', colour: '#ffffff' }],
      Attribute: [
        { uuid: '11111111-1111-4111-8111-111111111111', type: 'ip-dst', category: 'Network activity', value: '198.51.100.7', to_ids: true, timestamp: '1714557600' },
      ],
      Object: [
        {
          uuid: '44444444-4444-4444-8444-444444444444',
          name: 'domain-ip',
          'meta-category': 'network',
          description: 'd',
          template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
          template_version: '11',
          timestamp: '1714557600',
          Attribute: [
            { uuid: '55555555-5555-4555-8555-555555555555', type: 'domain', category: 'Network activity', value: 'example.org', object_relation: 'domain', timestamp: '1714557600' },
          ],
        },
      ],
    },
  };
}

/** Texts to cut and corrupt: a synthetic event always, real feed files when ../shared is there. */
const baseTexts: string[] = [
  JSON.stringify(sampleDoc(), null, 2),
  ...(hasShared
    ? [
        readFeedFile('pymisp-generated-feed', '5a9e9e26-fe40-4726-8563-5585950d210f.json'),
        readFeedFile('crowdsec-alerts', '8f09de10-6867-45c6-814d-3d91a33d3af7.json'),
      ]
    : []),
];

function doesNotThrow(input: unknown): ReturnType<typeof readEvent> {
  let result: ReturnType<typeof readEvent> | undefined;
  expect(() => {
    result = readEvent(input);
  }).not.toThrow();
  return result as ReturnType<typeof readEvent>;
}

describe('readEvent never throws', () => {
  it('on truncated files, and always says the file is broken', () => {
    fc.assert(
      fc.property(fc.constantFrom(...baseTexts), fc.double({ min: 0, max: 1, noNaN: true }), (text, at) => {
        const cut = text.slice(0, Math.floor(at * (text.length - 1)));
        const result = doesNotThrow(cut);
        expect(result.value).toBeNull();
        expect(result.issues.map((i) => i.code)).toContain('event.not-json');
      }),
      { numRuns: 300 },
    );
  });

  it('on any JSON value or text, and a null result always comes with an error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.json(), fc.string({ unit: 'binary' }), fc.jsonValue()), (input) => {
        const result = doesNotThrow(input);
        if (result.value === null) expect(hasErrors(result.issues)).toBe(true);
        else {
          expect(isUuid(result.value.uuid)).toBe(true);
          expect(result.value.info.trim()).not.toBe('');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('on anything put in place of any field of a valid event', () => {
    const paths = collectPaths(sampleDoc());
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.oneof(fc.anything(), fc.jsonValue()), (path, replacement) => {
        const doc = sampleDoc();
        setAt(doc, path, replacement);
        doesNotThrow(doc);
        doesNotThrow(JSON.stringify(doc) ?? '');
      }),
      { numRuns: 500 },
    );
  });

  it('on fields of the wrong type, always with an issue', () => {
    const notText = fc.oneof(fc.object(), fc.array(fc.anything(), { maxLength: 3 }), fc.boolean());
    const notUuid = fc.oneof(notText, fc.string().filter((s) => !isUuid(s.trim())), fc.integer());
    const notList = fc.oneof(fc.object(), fc.string(), fc.integer(), fc.boolean());
    const notNumber = fc.oneof(fc.object(), fc.array(fc.anything(), { maxLength: 3 }), fc.boolean(), fc.string().filter((s) => !/^\s*-?\d+\s*$/.test(s)));
    const cases: Array<[string[], fc.Arbitrary<unknown>]> = [
      [['Event', 'uuid'], notUuid],
      [['Event', 'info'], fc.oneof(notText, fc.constant(null))],
      [['Event', 'timestamp'], notNumber],
      [['Event', 'date'], fc.oneof(notText, fc.integer(), fc.constant('not a date'))],
      [['Event', 'Orgc'], fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.anything(), { maxLength: 3 }))],
      [['Event', 'Tag'], notList],
      [['Event', 'Attribute'], notList],
      [['Event', 'Object'], notList],
      [['Event', 'Attribute', '0'], fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }))],
      [['Event', 'Attribute', '0', 'type'], fc.oneof(notText, fc.integer(), fc.string().filter((s) => !isKnownType(s)))],
      [['Event', 'Attribute', '0', 'value'], fc.oneof(notText, fc.constant(null))],
      [['Event', 'Attribute', '0', 'uuid'], notUuid],
      [['Event', 'Attribute', '0', 'timestamp'], notNumber],
      [['Event', 'Object', '0', 'template_uuid'], notUuid],
      [['Event', 'Object', '0', 'Attribute', '0', 'object_relation'], fc.oneof(fc.object(), fc.array(fc.anything(), { maxLength: 3 }), fc.boolean(), fc.constant(null), fc.constant(''))],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...cases).chain(([path, arb]) => arb.map((v) => [path, v] as const)), ([path, value]) => {
        const doc = sampleDoc();
        setAt(doc, path, value);
        const result = doesNotThrow(JSON.parse(JSON.stringify(doc)) as unknown);
        expect(result.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 600 },
    );
  });

  it('on huge strings and deep nesting', () => {
    const huge = 'x'.repeat(5_000_000);
    const withHugeInfo = sampleDoc();
    setAt(withHugeInfo, ['Event', 'info'], huge);
    expect(doesNotThrow(JSON.stringify(withHugeInfo)).issues.map((i) => i.code)).toEqual(['event.info-long']);

    const withHugeValue = sampleDoc();
    setAt(withHugeValue, ['Event', 'Attribute', '0', 'type'], 'text');
    setAt(withHugeValue, ['Event', 'Attribute', '0', 'category'], 'Other');
    setAt(withHugeValue, ['Event', 'Attribute', '0', 'value'], huge);
    const big = doesNotThrow(JSON.stringify(withHugeValue));
    expect(big.issues.map((i) => i.code)).toEqual(['attribute.value-too-long']);
    expect(big.value?.attributes).toEqual([]);

    expect(doesNotThrow(huge).issues.map((i) => i.code)).toEqual(['event.not-json']);
    expect(doesNotThrow('['.repeat(200_000) + ']'.repeat(200_000)).value).toBeNull();
    const deep = sampleDoc();
    setAt(deep, ['Event', 'Attribute', '0', 'comment'], JSON.parse('['.repeat(3000) + ']'.repeat(3000)) as unknown);
    expect(doesNotThrow(JSON.stringify(deep)).value?.attributes[0]?.comment).toBe('');
  });

  it('on bytes that are not UTF-8, decoded leniently as the backend will, always flagging them', () => {
    const encoder = new TextEncoder();
    const decoder = new TextDecoder('utf-8');
    // Bytes that can never appear in UTF-8, wherever they land.
    const invalidByte = fc.constantFrom(0xc0, 0xc1, 0xf5, 0xf8, 0xfe, 0xff);
    fc.assert(
      fc.property(
        fc.constantFrom(...baseTexts),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), invalidByte), { minLength: 1, maxLength: 5 }),
        (text, insertions) => {
          let bytes = Array.from(encoder.encode(text));
          for (const [at, byte] of insertions) {
            const i = Math.floor(at * bytes.length);
            bytes = [...bytes.slice(0, i), byte, ...bytes.slice(i)];
          }
          const result = doesNotThrow(decoder.decode(new Uint8Array(bytes)));
          expect(result.issues.map((i) => i.code)).toContain('event.invalid-utf8');
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('write → read keeps any valid event', () => {
  const uuidArb = fc.uuid().map((u) => u.toLowerCase());
  const normalisedValue = (type: string, arb: fc.Arbitrary<string>): fc.Arbitrary<{ type: string; value: string }> =>
    arb
      .filter((v) => {
        const check = validateAttributeValue(type, v);
        return check.ok && check.value === v;
      })
      .map((value) => ({ type, value }));
  const typedValue = fc.oneof(
    normalisedValue('ip-dst', fc.ipV4()),
    normalisedValue('domain', fc.domain()),
    normalisedValue('md5', fc.stringMatching(/^[0-9a-f]{32}$/)),
    normalisedValue('text', fc.string({ minLength: 1, maxLength: 40 })),
    normalisedValue('ip-dst|port', fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 65535 })).map(([ip, p]) => `${ip}|${p}`)),
  );
  const categoryOf: Record<string, string> = { 'ip-dst': 'Network activity', domain: 'Network activity', md5: 'Payload delivery', text: 'Other', 'ip-dst|port': 'Network activity' };
  const tag = fc.record({
    name: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
    local: fc.boolean(),
    colour: fc.option(fc.stringMatching(/^#[0-9a-f]{6}$/), { nil: undefined }),
  });
  const attribute: fc.Arbitrary<Attribute> = fc
    .record({
      uuid: uuidArb,
      tv: typedValue,
      toIds: fc.boolean(),
      comment: fc.string({ maxLength: 30 }),
      timestamp: fc.integer({ min: 0, max: 2 ** 31 }),
      disableCorrelation: fc.boolean(),
      deleted: fc.option(fc.boolean(), { nil: undefined }),
      distribution: fc.option(fc.constantFrom(0, 1, 2, 3, 4, 5 as const), { nil: undefined }),
      tags: fc.uniqueArray(tag, { maxLength: 3, selector: (t) => t.name.toLowerCase() }),
    })
    .map(({ tv, deleted, distribution, tags, ...rest }) => ({
      ...rest,
      type: tv.type,
      value: tv.value,
      category: categoryOf[tv.type] ?? 'Other',
      tags: tags.map((t) => (t.colour === undefined ? { name: t.name, local: t.local } : t)),
      ...(deleted === undefined ? {} : { deleted }),
      ...(distribution === undefined ? {} : { distribution }),
    }));
  const event: fc.Arbitrary<Event> = fc.record({
    uuid: uuidArb,
    info: fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== ''),
    date: fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    timestamp: fc.integer({ min: 0, max: 2 ** 31 }),
    publishTimestamp: fc.integer({ min: 0, max: 2 ** 31 }),
    published: fc.boolean(),
    analysis: fc.constantFrom(0, 1, 2 as const),
    threatLevelId: fc.constantFrom(1, 2, 3, 4 as const),
    extendsUuid: fc.constant(''),
    protected: fc.boolean(),
    orgc: fc.constant(ORG),
    tags: fc.uniqueArray(tag, { maxLength: 4, selector: (t) => t.name.toLowerCase() }),
    attributes: fc.uniqueArray(attribute, { minLength: 1, maxLength: 8, selector: (a) => a.uuid }),
    objects: fc.constant([]),
    reports: fc.constant([]),
  });

  it('reading what was written gives the prepared event, under any distribution filter', () => {
    fc.assert(
      fc.property(event, fc.subarray([0, 1, 2, 3, 4, 5] as const), fc.boolean(), (e, valid, withDistribution) => {
        const options = { md5, validDistributions: valid, withDistribution };
        const prepared = prepareFeedEvent(e, options);
        const written = writeFeedEvent(e, options);
        expect(written.status).toBe(prepared.status);
        if (written.status !== 'written' || prepared.status !== 'written') return;
        const back = readEvent(written.value.text);
        expect(hasErrors(back.issues)).toBe(false);
        expect(back.value).toEqual(prepared.value);
      }),
      { numRuns: 200 },
    );
  });
});

function collectPaths(node: unknown, prefix: string[] = []): string[][] {
  const out: string[][] = prefix.length > 0 ? [prefix] : [];
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) out.push(...collectPaths(v, [...prefix, k]));
  }
  return out;
}

function setAt(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string, unknown>)[key];
  (node as Record<string, unknown>)[path[path.length - 1] as string] = value;
}
