import { describe, expect, it } from 'vitest';
import { readEvent } from '../../../shared/feed/event-reader';
import { hasErrors, type Issue } from '../../../shared/feed/issues';
import type { Event } from '../../../shared/model';

const EVENT_UUID = '5a9e9e26-fe40-4726-8563-5585950d210f';
const ORG = { name: 'ExampleOrg', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' };

function attr(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: `11111111-1111-4111-8111-${String(n).padStart(12, '0')}`,
    type: 'ip-dst',
    category: 'Network activity',
    value: `198.51.100.${n}`,
    to_ids: true,
    timestamp: '1714557600',
    ...extra,
  };
}

function doc(event: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Event: {
      uuid: EVENT_UUID,
      info: 'Synthetic example event',
      date: '2024-05-01',
      timestamp: '1714557600',
      publish_timestamp: '1714557600',
      published: true,
      analysis: '1',
      threat_level_id: '2',
      Orgc: ORG,
      Tag: [{ name: 'tlp:clear', colour: '#ffffff', local: false, relationship_type: '' }],
      Attribute: [attr(1)],
      ...event,
    },
  };
}

function read(input: unknown): { event: Event; issues: readonly Issue[] } {
  const parsed = readEvent(typeof input === 'string' ? input : JSON.stringify(input), { file: 'e.json' });
  if (!parsed.value) throw new Error(`no event: ${JSON.stringify(parsed.issues)}`);
  return { event: parsed.value, issues: parsed.issues };
}

function codes(issues: readonly Issue[]): string[] {
  return issues.map((i) => i.code);
}

describe('readEvent: the happy path', () => {
  it('reads a PyMISP-shaped event with integers as strings into numbers', () => {
    const { event, issues } = read(doc());
    expect(issues).toEqual([]);
    expect(event).toMatchObject({
      uuid: EVENT_UUID,
      info: 'Synthetic example event',
      date: '2024-05-01',
      timestamp: 1714557600,
      publishTimestamp: 1714557600,
      published: true,
      analysis: 1,
      threatLevelId: 2,
      extendsUuid: '',
      protected: false,
      orgc: ORG,
      tags: [{ name: 'tlp:clear', colour: '#ffffff', local: false, relationshipType: '' }],
      objects: [],
      reports: [],
    });
    expect(event.attributes[0]).toEqual({
      uuid: '11111111-1111-4111-8111-000000000001',
      type: 'ip-dst',
      category: 'Network activity',
      value: '198.51.100.1',
      toIds: true,
      comment: '',
      timestamp: 1714557600,
      disableCorrelation: false,
      tags: [],
    });
  });

  it('accepts numbers where PyMISP writes strings, and parsed JSON as well as text', () => {
    const parsed = readEvent(doc({ timestamp: 1714557600, analysis: 1, threat_level_id: 2 }));
    expect(parsed.issues).toEqual([]);
    expect(parsed.value?.analysis).toBe(1);
  });

  it('unwraps {"response": [...]} and [...] as MISP does, and tolerates a missing {"Event"} wrapper', () => {
    const wrapped = read({ response: [doc()] });
    expect(wrapped.event.uuid).toBe(EVENT_UUID);
    expect(wrapped.issues.map((i) => [i.code, i.path])).toEqual([['event.wrapped', 'e.json#/response/0']]);
    expect(read([doc()]).event.uuid).toBe(EVENT_UUID);
    const bare = read(doc()['Event']);
    expect(codes(bare.issues)).toEqual(['event.no-wrapper']);
  });

  it('skips a byte order mark', () => {
    expect(read('\uFEFF' + JSON.stringify(doc())).issues).toEqual([]);
  });
});

describe('readEvent: what makes an event unusable', () => {
  const cases: Array<[string, unknown, string]> = [
    ['not JSON', '{"Event": {', 'event.not-json'],
    ['no event', { foo: 1 }, 'event.not-event'],
    ['a bare number', 42, 'event.not-event'],
    ['no uuid', doc({ uuid: undefined }), 'event.uuid-invalid'],
    ['a bad uuid', doc({ uuid: 'not-a-uuid' }), 'event.uuid-invalid'],
    ['no title', doc({ info: '  ' }), 'event.info-missing'],
  ];
  it.each(cases)('%s', (_name, input, code) => {
    const parsed = readEvent(typeof input === 'string' ? input : JSON.stringify(input));
    expect(parsed.value).toBeNull();
    expect(hasErrors(parsed.issues)).toBe(true);
    expect(codes(parsed.issues)).toContain(code);
  });
});

describe('readEvent: a bad item costs only itself', () => {
  it('drops an attribute of unknown type, pointing at it', () => {
    const { event, issues } = read(doc({ Attribute: [attr(1), attr(2, { type: 'no-such-type' }), attr(3)] }));
    expect(event.attributes.map((a) => a.value)).toEqual(['198.51.100.1', '198.51.100.3']);
    expect(hasErrors(issues)).toBe(false);
    expect(issues).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'attribute.unknown-type', path: 'e.json#/Event/Attribute/1/type' }),
    ]);
  });

  it('drops an attribute whose value fails its type rule', () => {
    const { event, issues } = read(doc({ Attribute: [attr(1), attr(2, { value: 'not an ip' })] }));
    expect(event.attributes).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'attribute.invalid-value', path: 'e.json#/Event/Attribute/1/value' });
  });

  it('drops attributes without a usable value, uuid or with a duplicate uuid', () => {
    const { event, issues } = read(
      doc({ Attribute: [attr(1), attr(2, { value: { x: 1 } }), attr(3, { uuid: 'x' }), attr(1, { value: '198.51.100.9' }), 'junk'] }),
    );
    expect(event.attributes).toHaveLength(1);
    expect(codes(issues)).toEqual(['attribute.value-missing', 'attribute.uuid-invalid', 'event.duplicate-uuid', 'attribute.not-object']);
  });

  it('mints uuids for items without one when given a source', () => {
    let n = 0;
    const parsed = readEvent(JSON.stringify(doc({ Attribute: [attr(1, { uuid: undefined })] })), {
      newUuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    });
    expect(parsed.value?.attributes[0]?.uuid).toBe('00000000-0000-4000-8000-000000000001');
    expect(codes(parsed.issues)).toEqual(['attribute.uuid-generated']);
  });

  it('fixes a category the type does not allow, as PyMISP does, and fills missing ones silently', () => {
    const { event, issues } = read(doc({ Attribute: [attr(1, { category: 'Person' }), attr(2, { category: undefined, to_ids: undefined })] }));
    expect(event.attributes.map((a) => a.category)).toEqual(['Network activity', 'Network activity']);
    expect(event.attributes[1]?.toIds).toBe(true);
    expect(issues.map((i) => [i.code, i.path])).toEqual([['attribute.category-invalid', 'e.json#/Event/Attribute/0/category']]);
  });

  it('normalises values the way MISP stores them, unless asked to keep them', () => {
    const input = JSON.stringify(doc({ Attribute: [attr(1, { type: 'domain', value: 'Context.AI' })] }));
    const normalised = readEvent(input);
    expect(normalised.value?.attributes[0]?.value).toBe('context.ai');
    expect(codes(normalised.issues)).toEqual(['attribute.value-normalised']);
    expect(readEvent(input, { keepRawValues: true }).value?.attributes[0]?.value).toBe('Context.AI');
  });

  it('accepts loose booleans and numbers as values', () => {
    const { event } = read(doc({ Attribute: [attr(1, { type: 'port', category: 'Network activity', value: 443, to_ids: '0', deleted: '1' })] }));
    expect(event.attributes[0]).toMatchObject({ value: '443', toIds: false, deleted: true });
  });

  it('keeps deleted, first_seen and last_seen only when present, as PyMISP writes them only then', () => {
    const { event } = read(
      doc({
        Attribute: [
          attr(1, { deleted: false, first_seen: '2019-06-02T22:14:28.711954+00:00', last_seen: null }),
          attr(2, { first_seen: 17 }),
        ],
      }),
    );
    expect(event.attributes[0]).toMatchObject({ deleted: false, firstSeen: '2019-06-02T22:14:28.711954+00:00' });
    expect(event.attributes[0]).not.toHaveProperty('lastSeen');
    expect(event.attributes[1]).not.toHaveProperty('deleted');
    expect(event.attributes[1]).not.toHaveProperty('firstSeen');
  });
});

describe('readEvent: objects, references and reports', () => {
  const object = {
    uuid: '44444444-4444-4444-8444-444444444444',
    name: 'domain-ip',
    'meta-category': 'network',
    description: 'A domain and IP address seen as a tuple',
    template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
    template_version: '11',
    timestamp: '1714557600',
    comment: '',
    ObjectReference: [
      {
        uuid: '77777777-7777-4777-8777-777777777777',
        object_uuid: '44444444-4444-4444-8444-444444444444',
        referenced_uuid: '11111111-1111-4111-8111-000000000001',
        relationship_type: 'related-to',
        timestamp: '1714557600',
      },
    ],
    Attribute: [
      { ...attr(5), type: 'domain', value: 'example.org', object_relation: 'domain' },
      { ...attr(6), object_relation: 'ip' },
    ],
  };

  it('reads objects with their attributes and references', () => {
    const { event, issues } = read(doc({ Object: [object] }));
    expect(issues).toEqual([]);
    expect(event.objects[0]).toMatchObject({
      name: 'domain-ip',
      metaCategory: 'network',
      templateVersion: 11,
      references: [{ objectUuid: object.uuid, referencedUuid: '11111111-1111-4111-8111-000000000001', relationshipType: 'related-to' }],
    });
    expect(event.objects[0]?.attributes.map((a) => a.objectRelation)).toEqual(['domain', 'ip']);
  });

  it('drops object attributes without object_relation and flags references leaving the event', () => {
    const broken = {
      ...object,
      Attribute: [{ ...attr(5), type: 'domain', value: 'example.org' }],
      ObjectReference: [{ ...object.ObjectReference[0], referenced_uuid: '99999999-9999-4999-8999-999999999999' }],
    };
    const { event, issues } = read(doc({ Object: [broken] }));
    expect(event.objects[0]?.attributes).toEqual([]);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['attribute.object-relation-missing', 'e.json#/Event/Object/0/Attribute/0/object_relation'],
      ['reference.dangling', 'e.json#/Event/Object/0/ObjectReference/0/referenced_uuid'],
    ]);
  });

  it('fills in what MISP and PyMISP fill in for objects', () => {
    const { event, issues } = read(doc({ Object: [{ ...object, 'meta-category': undefined, template_version: undefined }] }));
    expect(event.objects[0]).toMatchObject({ metaCategory: 'misc', templateVersion: 1 });
    expect(codes(issues)).toEqual(['object.meta-category-missing']);
  });

  it('reads event reports', () => {
    const report = { uuid: '88888888-8888-4888-8888-888888888888', name: 'Report', content: '# Hi', timestamp: '5', deleted: false };
    const { event } = read(doc({ EventReport: [report, { name: '' }] }));
    expect(event.reports).toEqual([{ uuid: report.uuid, name: 'Report', content: '# Hi', timestamp: 5, deleted: false }]);
  });
});

describe('readEvent: REST exports and other producers', () => {
  it('reports REST-only fields once and ignores them', () => {
    const { event, issues } = read(
      doc({ id: '12', org_id: '1', attribute_count: '1', Org: ORG, RelatedEvent: [], sharing_group_id: '0', distribution: '3' }),
    );
    expect(codes(issues)).toEqual(['event.rest-export']);
    expect(event.org).toEqual(ORG);
    expect(event.distribution).toBe(3);
    expect(event).not.toHaveProperty('sharingGroupId');
  });

  it('turns galaxy clusters into misp-galaxy tags unless the tag is already there', () => {
    const galaxy = {
      type: 'threat-actor',
      GalaxyCluster: [
        { type: 'threat-actor', value: 'Sofacy', tag_name: 'misp-galaxy:threat-actor="Sofacy"' },
        { type: 'threat-actor', value: 'Turla' },
      ],
    };
    const { event, issues } = read(
      doc({ Tag: [{ name: 'misp-galaxy:threat-actor="Sofacy"' }], Galaxy: [galaxy], Attribute: [attr(1, { Galaxy: [galaxy] })] }),
    );
    expect(event.tags.map((t) => t.name)).toEqual(['misp-galaxy:threat-actor="Sofacy"', 'misp-galaxy:threat-actor="Turla"']);
    expect(event.attributes[0]?.tags.map((t) => t.name)).toEqual([
      'misp-galaxy:threat-actor="Sofacy"',
      'misp-galaxy:threat-actor="Turla"',
    ]);
    expect(codes(issues).filter((c) => c === 'galaxy.as-tag')).toHaveLength(3);
  });

  it('reads "orgc" as Orgc and published "1" as true, noting both', () => {
    const { event, issues } = read(doc({ Orgc: undefined, orgc: ORG, published: '1' }));
    expect(event.orgc).toEqual(ORG);
    expect(event.published).toBe(true);
    expect(codes(issues)).toEqual(['event.orgc-lower-case', 'event.published-not-boolean']);
  });

  it('repairs bad enumerations and dates with warnings', () => {
    const { event, issues } = read(doc({ analysis: 'Completed', threat_level_id: '9', date: '2024-05-01 10:00:00', distribution: '5' }));
    expect(event).toMatchObject({ analysis: 2, threatLevelId: 4, date: '2024-05-01' });
    expect(event).not.toHaveProperty('distribution');
    expect(codes(issues)).toEqual(['event.date-format', 'event.threat-level-invalid', 'distribution.invalid']);
    expect(read(doc({ date: 'yesterday' })).event.date).toBe('2024-05-01');
  });

  it('warns about a published event with nothing in it, which MISP refuses', () => {
    expect(codes(read(doc({ Attribute: [] })).issues)).toEqual(['event.published-empty']);
  });

  it('says when the text was probably not UTF-8', () => {
    const { issues } = read(JSON.stringify(doc({ info: 'caf\uFFFD' })));
    expect(codes(issues)).toEqual(['event.invalid-utf8']);
  });

  it('lists a flood of identical problems only up to a cap', () => {
    const many = Array.from({ length: 500 }, (_, i) => attr(i, { type: 'nope' }));
    const parsed = readEvent(JSON.stringify(doc({ Attribute: [attr(1), ...many] })), { maxIssuesPerCode: 20 });
    expect(parsed.issues).toHaveLength(21);
    expect(parsed.issues[20]?.message).toMatch(/480 more/);
  });
});

describe('readEvent: what a MISP REST export carries besides the event', () => {
  it('says that proposals (ShadowAttribute) are not imported, with how many', () => {
    const r = readEvent({
      Event: {
        uuid: '11111111-2222-4333-8444-555555555555', info: 'x', date: '2024-01-01', timestamp: '1700000000', analysis: '0', threat_level_id: '1',
        Orgc: { name: 'O', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
        ShadowAttribute: [{ type: 'ip-dst', value: '1.2.3.4' }, { type: 'domain', value: 'a.example' }],
      },
    });
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'event.proposals-not-imported', path: 'event.json#/Event/ShadowAttribute' }));
    expect(r.issues.find((i) => i.code === 'event.proposals-not-imported')?.message).toContain('2 proposal(s)');
  });
});
