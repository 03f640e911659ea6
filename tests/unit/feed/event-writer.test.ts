import { describe, expect, it } from 'vitest';
import { eventHashes } from '../../../shared/feed/event-hashes';
import { readEvent } from '../../../shared/feed/event-reader';
import { prepareFeedEvent, pythonIsoDateTime, writeFeedEvent, type FeedEventFiles, type WriteResult } from '../../../shared/feed/event-writer';
import { feedEventJson, manifestText } from '../../../shared/feed/feed-json';
import type { Attribute, Event, MispObject } from '../../../shared/model';
import { md5 } from './fixture-files';

const ORG = { name: 'ExampleOrg', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' };

function uuid(n: number): string {
  return `11111111-1111-4111-8111-${String(n).padStart(12, '0')}`;
}

function attribute(n: number, extra: Partial<Attribute> = {}): Attribute {
  return {
    uuid: uuid(n),
    type: 'ip-dst',
    category: 'Network activity',
    value: `198.51.100.${n}`,
    toIds: true,
    comment: '',
    timestamp: 1714557600,
    disableCorrelation: false,
    tags: [],
    ...extra,
  };
}

function object(n: number, attributes: Attribute[], extra: Partial<MispObject> = {}): MispObject {
  return {
    uuid: uuid(n),
    name: 'domain-ip',
    metaCategory: 'network',
    description: 'A domain and IP address',
    templateUuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
    templateVersion: 11,
    comment: '',
    timestamp: 1714557600,
    attributes,
    references: [],
    ...extra,
  };
}

function event(extra: Partial<Event> = {}): Event {
  return {
    uuid: '5a9e9e26-fe40-4726-8563-5585950d210f',
    info: 'Synthetic — example',
    date: '2024-05-01',
    timestamp: 1714557600,
    publishTimestamp: 0,
    published: false,
    analysis: 1,
    threatLevelId: 2,
    extendsUuid: '',
    protected: false,
    orgc: ORG,
    tags: [{ name: 'tlp:clear', local: false }],
    attributes: [attribute(1)],
    objects: [],
    reports: [],
    ...extra,
  };
}

function written(result: WriteResult<FeedEventFiles>): FeedEventFiles {
  if (result.status !== 'written') throw new Error(`${result.status}: ${JSON.stringify(result.issues)}`);
  return result.value;
}

function codes(result: { issues: readonly { code: string }[] }): string[] {
  return result.issues.map((i) => i.code);
}

describe('event file shape', () => {
  it('sorts scalar keys, turns integers into strings, and puts child lists last', () => {
    const json = JSON.parse(written(writeFeedEvent(event(), { md5 })).text) as { Event: Record<string, unknown> };
    expect(Object.keys(json.Event)).toEqual([
      'analysis', 'date', 'extends_uuid', 'info', 'protected', 'publish_timestamp', 'published', 'threat_level_id',
      'timestamp', 'uuid', 'Orgc', 'Tag', 'Attribute',
    ]);
    expect(json.Event).toMatchObject({ analysis: '1', threat_level_id: '2', timestamp: '1714557600', published: false });
    expect(json.Event['Tag']).toEqual([{ colour: '#ffffff', local: false, name: 'tlp:clear', relationship_type: '' }]);
    expect(Object.keys((json.Event['Attribute'] as object[])[0] ?? {})).toEqual([
      'category', 'comment', 'disable_correlation', 'timestamp', 'to_ids', 'type', 'uuid', 'value',
    ]);
  });

  it('writes like json.dumps(indent=2): non-ASCII escaped, no final newline', () => {
    const text = written(writeFeedEvent(event(), { md5 })).text;
    expect(text.startsWith('{\n  "Event": {\n    "analysis": "1",\n')).toBe(true);
    expect(text).toContain('"info": "Synthetic \\u2014 example"');
    expect(text.endsWith('\n  }\n}')).toBe(true);
  });

  it('always writes the event Tag list, attribute Tag lists only when there are tags', () => {
    const json = feedEventJson({ ...event({ tags: [], attributes: [attribute(1), attribute(2, { tags: [{ name: 'x', local: false }] })] }), orgc: ORG });
    const ev = json['Event'] as Record<string, unknown>;
    expect(ev['Tag']).toEqual([]);
    const attrs = ev['Attribute'] as Record<string, unknown>[];
    expect(attrs[0]).not.toHaveProperty('Tag');
    expect(attrs[1]?.['Tag']).toHaveLength(1);
  });

  it('writes optional fields only when set, like PyMISP', () => {
    const a = attribute(1, { deleted: false, firstSeen: '2024-05-01T10:00:00Z', data: 'QUJD', distribution: 5, sharingGroupId: 3 });
    const ev = feedEventJson({ ...event({ attributes: [a] }), orgc: ORG })['Event'] as Record<string, unknown>;
    expect((ev['Attribute'] as Record<string, unknown>[])[0]).toEqual({
      category: 'Network activity',
      comment: '',
      data: 'QUJD',
      deleted: false,
      disable_correlation: false,
      first_seen: '2024-05-01T10:00:00Z',
      timestamp: '1714557600',
      to_ids: true,
      type: 'ip-dst',
      uuid: uuid(1),
      value: '198.51.100.1',
    });
  });

  it('writes objects with references before attributes, and keeps a deleted reference deleted', () => {
    const o = object(10, [attribute(11, { objectRelation: 'ip' })], {
      references: [
        { uuid: uuid(12), objectUuid: uuid(10), referencedUuid: uuid(1), relationshipType: 'related-to', comment: '', timestamp: 5, deleted: true },
      ],
    });
    const file = written(writeFeedEvent(event({ objects: [o] }), { md5 }));
    const obj = (JSON.parse(file.text) as { Event: { Object: Record<string, unknown>[] } }).Event.Object[0] ?? {};
    expect(Object.keys(obj)).toEqual([
      'comment', 'description', 'meta-category', 'name', 'template_uuid', 'template_version', 'timestamp', 'uuid', 'ObjectReference', 'Attribute',
    ]);
    expect(obj['template_version']).toBe('11');
    expect(obj['ObjectReference']).toEqual([
      { comment: '', deleted: true, object_uuid: uuid(10), referenced_uuid: uuid(1), relationship_type: 'related-to', timestamp: '5', uuid: uuid(12) },
    ]);
    expect((obj['Attribute'] as Record<string, unknown>[])[0]?.['object_relation']).toBe('ip');
  });

  it('writes event reports after objects', () => {
    const report = { uuid: uuid(20), name: 'Notes', content: '# x', timestamp: 7 };
    const ev = JSON.parse(written(writeFeedEvent(event({ reports: [report] }), { md5 })).text).Event as Record<string, unknown>;
    expect(Object.keys(ev).slice(-2)).toEqual(['Attribute', 'EventReport']);
    expect(ev['EventReport']).toEqual([{ content: '# x', name: 'Notes', timestamp: '7', uuid: uuid(20) }]);
  });
});

describe('what leaves the instance', () => {
  const tags = [
    { name: 'tlp:clear', local: false },
    { name: 'internal', local: true },
    { name: 'hidden', local: false, exportable: false },
  ];

  it('drops local tags unless asked, and non-exportable tags always', () => {
    expect(written(writeFeedEvent(event({ tags }), { md5 })).event.tags.map((t) => t.name)).toEqual(['tlp:clear']);
    const keep = written(writeFeedEvent(event({ tags }), { md5, keepLocalTags: true }));
    expect(keep.event.tags.map((t) => t.name)).toEqual(['tlp:clear', 'internal']);
    expect(keep.manifestEntry.tags.map((t) => t.name)).toEqual(['tlp:clear', 'internal']);
  });

  it('skips a whole event whose distribution is not exported', () => {
    const result = writeFeedEvent(event({ distribution: 0 }), { md5, validDistributions: [1, 2, 3, 5] });
    expect(result.status).toBe('skipped');
    expect(codes(result)).toEqual(['writer.event-excluded']);
  });

  it('leaves out items whose distribution is not exported, and their hashes', () => {
    const e = event({
      attributes: [attribute(1, { distribution: 0 }), attribute(2, { distribution: 5 }), attribute(3)],
      objects: [object(10, [attribute(11, { objectRelation: 'ip', distribution: 0 }), attribute(12, { objectRelation: 'ip' })]), object(13, [], { distribution: 0 })],
      reports: [{ uuid: uuid(20), name: 'r', content: '', timestamp: 1, distribution: 0 }],
    });
    const file = written(writeFeedEvent(e, { md5, validDistributions: [1, 2, 3, 4, 5], hashMode: 'pymisp' }));
    expect(file.event.attributes.map((a) => a.uuid)).toEqual([uuid(2), uuid(3)]);
    expect(file.event.objects.map((o) => o.attributes.map((a) => a.uuid))).toEqual([[uuid(12)]]);
    expect(file.event.reports).toEqual([]);
    expect(file.hashes.map((h) => h.md5)).toEqual([md5('198.51.100.2'), md5('198.51.100.3'), md5('198.51.100.12')]);
  });

  it('writes distributions only with withDistribution', () => {
    const e = event({ distribution: 3, attributes: [attribute(1, { distribution: 5 })] });
    const plain = JSON.parse(written(writeFeedEvent(e, { md5 })).text).Event;
    expect(plain).not.toHaveProperty('distribution');
    const withD = JSON.parse(written(writeFeedEvent(e, { md5, withDistribution: true })).text).Event;
    expect(withD.distribution).toBe('3');
    expect(withD.Attribute[0].distribution).toBe('5');
  });
});

describe('strictness: events MISP would refuse are not written', () => {
  const cases: Array<[string, Event, string, string]> = [
    ['no creator org uuid', event({ orgc: { name: 'X' } }), 'writer.orgc-incomplete', '/Event/Orgc'],
    ['no creator org', event({ orgc: undefined }), 'writer.orgc-incomplete', '/Event/Orgc'],
    ['bad date', event({ date: '2024-13-01' }), 'writer.date-invalid', '/Event/date'],
    ['published but empty', event({ published: true, attributes: [] }), 'writer.published-empty', '/Event/published'],
    ['repeated uuid', event({ attributes: [attribute(1), attribute(1)] }), 'writer.duplicate-uuid', '/Event/Attribute/1/uuid'],
    ['upper-case uuid', event({ uuid: '5A9E9E26-FE40-4726-8563-5585950D210F' }), 'writer.uuid-invalid', '/Event/uuid'],
    ['bad value', event({ attributes: [attribute(1, { value: 'nope' })] }), 'writer.attribute-value-invalid', '/Event/Attribute/0/value'],
    ['unknown type', event({ attributes: [attribute(1, { type: 'nope' })] }), 'writer.attribute-type-unknown', '/Event/Attribute/0/type'],
    ['wrong category', event({ attributes: [attribute(1, { category: 'Person' })] }), 'writer.attribute-category-invalid', '/Event/Attribute/0/category'],
    ['object without template', event({ objects: [object(10, [], { templateUuid: '' })] }), 'writer.object-template-uuid-invalid', '/Event/Object/0/template_uuid'],
    ['object attribute without relation', event({ objects: [object(10, [attribute(11)])] }), 'writer.object-relation-missing', '/Event/Object/0/Attribute/0/object_relation'],
    ['bad first_seen', event({ attributes: [attribute(1, { firstSeen: 'last tuesday' })] }), 'writer.seen-invalid', '/Event/Attribute/0/first_seen'],
    ['inherited event distribution', event({ distribution: 5 }), 'writer.event-distribution-inherit', '/Event/distribution'],
  ];
  it.each(cases)('%s', (_name, e, code, pointer) => {
    const result = writeFeedEvent(e, { md5 });
    expect(result.status).toBe('invalid');
    expect(result.issues).toContainEqual(expect.objectContaining({ severity: 'error', code, path: expect.stringMatching(new RegExp(`#${pointer}$`)) }));
  });

  it('writes a value MISP would normalise as is, but warns that hashes will not match', () => {
    const result = writeFeedEvent(event({ attributes: [attribute(1, { type: 'domain', value: 'Example.ORG' })] }), { md5 });
    expect(written(result).event.attributes[0]?.value).toBe('Example.ORG');
    expect(codes(result)).toEqual(['writer.value-not-normalised']);
  });

  it('with valuesChecked (values from the library), checks the type and category but not the value again', () => {
    const bad = event({ attributes: [attribute(1, { value: 'nope' })] });
    expect(writeFeedEvent(bad, { md5, valuesChecked: true }).status).toBe('written');
    const wrongCategory = event({ attributes: [attribute(1, { category: 'Person' })] });
    expect(codes(writeFeedEvent(wrongCategory, { md5, valuesChecked: true }))).toEqual(['writer.attribute-category-invalid']);
    const unknownType = event({ attributes: [attribute(1, { type: 'nope' })] });
    expect(writeFeedEvent(unknownType, { md5, valuesChecked: true }).status).toBe('invalid');
  });
});

describe('first_seen / last_seen as Python prints them', () => {
  it.each([
    ['2019-06-02T22:14:28.711954+00:00', '2019-06-02T22:14:28.711954+00:00'],
    ['2026-04-20T17:08:13Z', '2026-04-20T17:08:13+00:00'],
    ['2026-04-20T17:08:13.000Z', '2026-04-20T17:08:13+00:00'],
    ['2026-04-20T17:08:13.5+0200', '2026-04-20T17:08:13.500000+02:00'],
    ['2026-04-20 17:08', '2026-04-20T17:08:00+00:00'],
    ['2026-04-20', '2026-04-20T00:00:00+00:00'],
  ])('%s → %s', (input, output) => {
    expect(pythonIsoDateTime(input)).toBe(output);
  });

  it('refuses what is not a date-time', () => {
    expect(pythonIsoDateTime('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(pythonIsoDateTime('2026-04-20T25:00:00Z')).toBeUndefined();
    expect(pythonIsoDateTime('soon')).toBeUndefined();
  });
});

describe('hashes.csv lines', () => {
  const e = event({
    attributes: [
      attribute(1, { value: '8.8.8.8' }),
      attribute(2, { type: 'filename|md5', category: 'Payload delivery', value: 'evil.exe|d41d8cd98f00b204e9800998ecf8427e' }),
      attribute(3, { type: 'ip-dst|port', value: '203.0.113.9|443' }),
      attribute(4, { type: 'text', category: 'Other', value: 'Malicious', disableCorrelation: true }),
      attribute(5, { type: 'comment', category: 'Other', value: 'just a note' }),
      attribute(6, { value: '198.51.100.6', deleted: true }),
      attribute(7, { value: '8.8.8.8' }),
      attribute(8, { type: 'malware-sample', category: 'Payload delivery', value: 'a.exe|d41d8cd98f00b204e9800998ecf8427e' }),
    ],
  });

  it('pymisp mode hashes every value and every composite part, duplicates included', () => {
    const hashes = eventHashes(e, md5, 'pymisp').map((h) => h.md5);
    expect(hashes).toEqual(
      ['8.8.8.8', 'evil.exe', 'd41d8cd98f00b204e9800998ecf8427e', '203.0.113.9', '443', 'Malicious', 'just a note', '198.51.100.6', '8.8.8.8', 'a.exe', 'd41d8cd98f00b204e9800998ecf8427e'].map(md5),
    );
    expect(hashes[0]).toBe('40ff44d9e619b17524bf3763204f9cbb');
    expect(hashes[1]).toBe('27ad5239e11f88e03661da7a622b7603');
    expect(hashes[2]).toBe('74be16979710d4c4e7c6647856088456');
  });

  it('correlating mode keeps only what MISP would correlate on, once', () => {
    expect(eventHashes(e, md5).map((h) => h.md5)).toEqual(
      ['8.8.8.8', 'evil.exe', 'd41d8cd98f00b204e9800998ecf8427e', '203.0.113.9', 'a.exe'].map(md5),
    );
    expect(eventHashes({ ...e, disableCorrelation: true }, md5)).toEqual([]);
  });

  it('names the event on every line', () => {
    expect(new Set(eventHashes(e, md5, 'pymisp').map((h) => h.eventUuid))).toEqual(new Set([e.uuid]));
  });
});

describe('manifest.json', () => {
  it('is one compact line in PyMISP key order with numbers as numbers', () => {
    const entry = written(writeFeedEvent(event(), { md5 })).manifestEntry;
    expect(manifestText([entry])).toBe(
      '{"5a9e9e26-fe40-4726-8563-5585950d210f": {"Orgc": {"name": "ExampleOrg", "uuid": "55f6ea5e-2c60-40e5-964f-47a8950d210f"}, ' +
        '"Tag": [{"colour": "#ffffff", "local": false, "name": "tlp:clear", "relationship_type": ""}], ' +
        '"info": "Synthetic \\u2014 example", "date": "2024-05-01", "analysis": 1, "threat_level_id": 2, "timestamp": 1714557600}}',
    );
    expect(manifestText([])).toBe('{}');
  });

  it('gives entries read from other producers the full shape', () => {
    const text = manifestText([{ uuid: uuid(1), info: 'x', date: '2024-01-01', timestamp: 5, tags: [{ name: 't' }] }]);
    expect(JSON.parse(text)[uuid(1)]).toEqual({
      Orgc: { name: '', uuid: '' },
      Tag: [{ colour: '#ffffff', local: false, name: 't', relationship_type: '' }],
      info: 'x',
      date: '2024-01-01',
      analysis: 2,
      threat_level_id: 4,
      timestamp: 5,
    });
  });
});

describe('round trip', () => {
  it('reading a written event gives the prepared event back', () => {
    const e = event({
      tags: [{ name: 'tlp:clear', local: false, colour: '#00FF00' }, { name: 'internal', local: true }],
      attributes: [attribute(1, { firstSeen: '2024-05-01T10:00:00Z', tags: [{ name: 'a', local: false }] })],
      objects: [object(10, [attribute(11, { objectRelation: 'ip', deleted: true })])],
      reports: [{ uuid: uuid(20), name: 'r', content: 'x', timestamp: 1, deleted: false }],
    });
    const prepared = prepareFeedEvent(e);
    if (prepared.status !== 'written') throw new Error('not written');
    const file = written(writeFeedEvent(e, { md5 }));
    const back = readEvent(file.text);
    expect(back.issues).toEqual([]);
    expect(back.value).toEqual(prepared.value);
    expect(written(writeFeedEvent(back.value as Event, { md5 })).text).toBe(file.text);
  });
});
