import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTE_TYPES,
  CATEGORIES,
  COMPOSITE_HALVES,
  NON_CORRELATING_TYPES,
  isCategoryAllowed,
  isCompositeType,
  isKnownType,
  typeInfo,
} from '../../../shared/misp';
import { DUPLICATE_RULE_TYPES, ruleFor } from '../../../shared/misp/typeRules';
import { hasShared, needsShared, sharedPath } from '../../support/shared-data';

interface DescribeTypes {
  result: {
    types: string[];
    categories: string[];
    sane_defaults: Record<string, { default_category: string; to_ids: number }>;
    category_type_mappings: Record<string, string[]>;
  };
}

const describeTypesFile = sharedPath('reference-data', 'PyMISP', 'pymisp', 'data', 'describeTypes.json');
const haveDescribeTypes = hasShared && existsSync(describeTypesFile);

describe.skipIf(!haveDescribeTypes)('type table agrees with PyMISP describeTypes.json' + needsShared, () => {
  const reference = haveDescribeTypes
    ? (JSON.parse(readFileSync(describeTypesFile, 'utf8')) as DescribeTypes).result
    : undefined;

  it('has the same types in the same order', () => {
    expect(ATTRIBUTE_TYPES).toEqual(reference?.types);
    expect(ATTRIBUTE_TYPES).toHaveLength(194);
  });

  it('has the same categories in the same order', () => {
    expect(CATEGORIES).toEqual(reference?.categories);
  });

  it('has the same default category and to_ids for every type', () => {
    for (const [type, defaults] of Object.entries(reference?.sane_defaults ?? {})) {
      const info = typeInfo(type);
      expect(info, type).toBeDefined();
      expect(info?.defaultCategory, type).toBe(defaults.default_category);
      expect(info?.defaultToIds, type).toBe(defaults.to_ids === 1);
    }
  });

  it('allows exactly the categories the mapping lists', () => {
    for (const type of reference?.types ?? []) {
      const expected = (reference?.categories ?? []).filter((c) => reference?.category_type_mappings[c]?.includes(type));
      expect(typeInfo(type)?.categories, type).toEqual(expected);
    }
  });

  it('treats every `|` type plus malware-sample as composite, as MISP does', () => {
    const expected = (reference?.types ?? []).filter((t) => t.includes('|')).concat('malware-sample').sort();
    expect(Object.keys(COMPOSITE_HALVES).sort()).toEqual(expected);
  });
});

describe('type table helpers', () => {
  it('looks types up by exact name', () => {
    expect(isKnownType('ip-dst')).toBe(true);
    expect(isKnownType('AS')).toBe(true);
    expect(isKnownType('named pipe')).toBe(true);
    expect(isKnownType('as')).toBe(false);
    expect(isKnownType('IP-DST')).toBe(false);
    expect(isKnownType('')).toBe(false);
    expect(isKnownType('__proto__')).toBe(false);
    expect(isKnownType('toString')).toBe(false);
    expect(typeInfo('nope')).toBeUndefined();
  });

  it('describes md5 fully', () => {
    expect(typeInfo('md5')).toEqual({
      type: 'md5',
      defaultCategory: 'Payload delivery',
      defaultToIds: true,
      categories: ['Payload delivery', 'Artifacts dropped', 'Payload installation', 'External analysis'],
      compositeHalves: null,
      correlation: 'value',
      knownToMisp251: true,
    });
  });

  it('knows composite halves and correlation modes', () => {
    expect(typeInfo('filename|sha256')?.compositeHalves).toEqual(['filename', 'sha256']);
    expect(typeInfo('filename|sha256')?.correlation).toBe('both-halves');
    expect(typeInfo('malware-sample')?.compositeHalves).toEqual(['filename', 'md5']);
    expect(typeInfo('ip-dst|port')?.correlation).toBe('first-half');
    expect(typeInfo('hostname|port')?.correlation).toBe('first-half');
    expect(typeInfo('domain|ip')?.compositeHalves).toEqual(['domain', 'ip-dst']);
    expect(typeInfo('comment')?.correlation).toBe('never');
    expect(typeInfo('port')?.correlation).toBe('never');
    expect(typeInfo('url')?.correlation).toBe('value');
    expect(isCompositeType('regkey|value')).toBe(true);
    expect(isCompositeType('regkey')).toBe(false);
    expect(isCompositeType('constructor')).toBe(false);
  });

  it('lists the twelve non-correlating types and they are all known', () => {
    expect(NON_CORRELATING_TYPES).toHaveLength(12);
    for (const type of NON_CORRELATING_TYPES) expect(isKnownType(type), type).toBe(true);
  });

  it('gives every composite half a known type', () => {
    for (const [type, halves] of Object.entries(COMPOSITE_HALVES)) {
      expect(isKnownType(type), type).toBe(true);
      for (const half of halves) expect(isKnownType(half), `${type} -> ${half}`).toBe(true);
    }
  });

  it('marks the three types MISP 2.5.1 does not define', () => {
    const unknown = ATTRIBUTE_TYPES.filter((t) => !typeInfo(t)?.knownToMisp251);
    expect(unknown.sort()).toEqual(['edge-extension-id', 'suricata', 'uuid']);
  });

  it('checks categories per type', () => {
    expect(isCategoryAllowed('md5', 'Payload delivery')).toBe(true);
    expect(isCategoryAllowed('md5', 'Network activity')).toBe(false);
    expect(isCategoryAllowed('comment', 'Targeting data')).toBe(true);
    expect(isCategoryAllowed('text', 'Targeting data')).toBe(false);
    expect(isCategoryAllowed('nope', 'Other')).toBe(false);
  });

  it('has exactly one value rule for every type', () => {
    expect(ATTRIBUTE_TYPES.filter((type) => ruleFor(type) === undefined)).toEqual([]);
    expect(DUPLICATE_RULE_TYPES).toEqual([]);
  });

  it('keeps every default category among the allowed ones', () => {
    for (const type of ATTRIBUTE_TYPES) {
      const info = typeInfo(type);
      expect(info?.categories, type).toContain(info?.defaultCategory);
    }
  });
});
