import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allAttributes,
  countAttributes,
  exportableTags,
  galaxyTagName,
  isEmptyEvent,
  isGalaxyTag,
  isIsoDate,
  nextTimestamp,
  referenceTargets,
  touchEvent,
  utcDate,
  withTag,
  type Attribute,
  type Event,
  type MispObject,
} from '../../../shared/model';

function attribute(uuid: string, value: string, extra: Partial<Attribute> = {}): Attribute {
  return {
    uuid,
    type: 'ip-dst',
    category: 'Network activity',
    value,
    toIds: true,
    comment: '',
    timestamp: 1,
    disableCorrelation: false,
    tags: [],
    ...extra,
  };
}

const object: MispObject = {
  uuid: 'o1',
  name: 'domain-ip',
  metaCategory: 'network',
  description: '',
  templateUuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
  templateVersion: 11,
  comment: '',
  timestamp: 1,
  attributes: [attribute('oa1', 'example.org', { type: 'domain', objectRelation: 'domain' })],
  references: [],
};

const event: Event = {
  uuid: 'e1',
  info: 'test',
  date: '2024-05-01',
  timestamp: 100,
  publishTimestamp: 0,
  published: false,
  analysis: 0,
  threatLevelId: 4,
  extendsUuid: '',
  protected: false,
  orgc: { name: 'Org', uuid: 'x' },
  tags: [],
  attributes: [attribute('a1', '1.2.3.4'), attribute('a2', '5.6.7.8')],
  objects: [object],
  reports: [],
};

describe('event walking', () => {
  it('lists top-level attributes first, then object attributes, as PyMISP hashes them', () => {
    expect(allAttributes(event).map((s) => s.attribute.uuid)).toEqual(['a1', 'a2', 'oa1']);
    expect(allAttributes(event)[2]?.object?.uuid).toBe('o1');
    expect(countAttributes(event)).toBe(3);
  });

  it('knows which uuids a reference may target', () => {
    expect([...referenceTargets(event)].sort()).toEqual(['a1', 'a2', 'o1', 'oa1']);
  });

  it('detects empty events', () => {
    expect(isEmptyEvent(event)).toBe(false);
    expect(isEmptyEvent({ ...event, attributes: [], objects: [] })).toBe(true);
  });
});

describe('timestamps', () => {
  it('always move forward, even with a clock behind the data', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 40 }), (prev, now) => {
        expect(nextTimestamp(prev, now)).toBeGreaterThan(prev);
        expect(nextTimestamp(prev, now)).toBeGreaterThanOrEqual(now);
      }),
    );
    expect(touchEvent(event, 50).timestamp).toBe(101);
    expect(touchEvent(event, 500).timestamp).toBe(500);
  });

  it('formats UTC dates and checks calendar dates', () => {
    expect(utcDate(1714557600)).toBe('2024-05-01');
    expect(utcDate(Number.NaN)).toBeUndefined();
    expect(utcDate(1e20)).toBeUndefined();
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-5-1')).toBe(false);
  });
});

describe('tags', () => {
  it('recognises galaxy tags', () => {
    const name = galaxyTagName('threat-actor', 'Sofacy');
    expect(name).toBe('misp-galaxy:threat-actor="Sofacy"');
    expect(isGalaxyTag({ name })).toBe(true);
    expect(isGalaxyTag({ name: 'tlp:white' })).toBe(false);
  });

  it('keeps non-exportable tags out always and local tags out unless asked', () => {
    const tags = [
      { name: 'a', local: false },
      { name: 'b', local: true },
      { name: 'c', local: false, exportable: false },
    ];
    expect(exportableTags(tags).map((t) => t.name)).toEqual(['a']);
    expect(exportableTags(tags, true).map((t) => t.name)).toEqual(['a', 'b']);
  });

  it('adds a tag once, comparing names case-insensitively as MISP does', () => {
    const tags = withTag([{ name: 'TLP:WHITE', local: false }], { name: 'tlp:white', local: false });
    expect(tags).toHaveLength(1);
    expect(withTag(tags, { name: 'tlp:clear', local: false })).toHaveLength(2);
  });
});
