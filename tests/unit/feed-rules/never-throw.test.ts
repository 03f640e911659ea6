// Property tests: whatever text or JSON arrives, the parsers answer with values and issues, never an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRecords, parseCsvFeed, parseValueColumns } from '../../../shared/feed/csv';
import { parseFeedSourceSettings, readFeedMetadata, writeFeedMetadata } from '../../../shared/feed/feed-metadata';
import {
  compileEventFilter,
  feedRulesToFilterSpec,
  parseEventFilter,
  parseFeedRules,
  parseNameExpression,
  parseTimePoint,
  subjectFromMispJson,
} from '../../../shared/feed/filters';
import { compileMispRegex, detectType, parseFreetext, refang } from '../../../shared/feed/freetext';
import type { Issue } from '../../../shared/feed/issues';

// Text biased towards the characters these parsers care about.
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom(',', ';', '|', '!', '&', '"', "'", '\n', '\r', '\t', ' ', '.', ':', '/', '\\', '[', ']', '(', ')', '#', '%', '@', '{', '}', '\u00a0', '\u200b'),
    fc.constantFrom('hxxp', '[.]', '(dot)', '[at]', 'evil', 'com', '198.51.100.7', '2001:db8::', 'AS', 'CVE-', 'd41d8cd98f00b204'),
    fc.string({ unit: 'grapheme', maxLength: 2 }),
  ),
  maxLength: 80,
});

const json = fc.jsonValue({ maxDepth: 4 });

function isIssueList(issues: readonly Issue[]): boolean {
  return issues.every((i) => typeof i.code === 'string' && typeof i.path === 'string' && typeof i.message === 'string');
}

describe('parsers never throw', () => {
  it('freetext on any text', () => {
    fc.assert(
      fc.property(tricky, (text) => {
        const result = parseFreetext(text);
        expect(isIssueList(result.issues)).toBe(true);
        for (const a of result.value.attributes) expect(a.value.length).toBeGreaterThan(0);
      }),
    );
  });

  it('freetext on JSON documents', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), json), (doc) => void parseFreetext(JSON.stringify(doc))));
  });

  it('type detection and refanging on any token', () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.string()), (token) => {
        const found = detectType(token);
        if (found !== null) expect(found.type).not.toBe('');
        expect(typeof refang(token)).toBe('string');
      }),
    );
  });

  it('MISP regex compilation on any pattern', () => {
    fc.assert(fc.property(fc.oneof(tricky, fc.string().map((s) => `/${s}/i`)), (pattern) => void compileMispRegex(pattern)));
  });

  it('CSV records and feeds on any text and delimiter', () => {
    fc.assert(
      fc.property(tricky, fc.constantFrom(',', ';', '|', '\t', '\\t', '', '##', '"'), fc.array(fc.integer({ min: 1, max: 5 })), (text, delimiter, columns) => {
        const issues: Issue[] = [];
        for (const record of csvRecords(text, delimiter === '' || delimiter === '"' ? ',' : delimiter, issues)) {
          expect(record.cells.length).toBeGreaterThan(0);
        }
        const result = parseCsvFeed(text, { delimiter, valueColumns: columns, headerRows: columns.length });
        expect(isIssueList(result.issues)).toBe(true);
      }),
    );
    fc.assert(fc.property(tricky, (setting) => void parseValueColumns(setting)));
  });

  it('filter expressions and time points on any text', () => {
    fc.assert(
      fc.property(tricky, tricky, tricky, (tags, distribution, when) => {
        const parsed = parseEventFilter({ tags, orgs: tags, distribution, dateFrom: when, timestamp: when, published: when });
        const filter = compileEventFilter(parsed.value, { now: 1_700_000_000 });
        expect(['match', 'reject', 'undecided']).toContain(filter.evaluate({ tags: [tags, when], orgName: tags, date: when }));
        void parseNameExpression(tags, 'p');
        void parseTimePoint(when, 'p');
      }),
    );
  });

  it('feed rules, settings and subjects on any JSON', () => {
    fc.assert(
      fc.property(fc.oneof(json, tricky, json.map((v) => JSON.stringify(v))), (raw) => {
        const rules = parseFeedRules(raw);
        void compileEventFilter(feedRulesToFilterSpec(rules.value).value, { now: 0 });
        void parseFeedSourceSettings(raw);
        void subjectFromMispJson(raw);
      }),
    );
  });

  it('feed metadata on any JSON, and what it accepts can always be written', () => {
    const feedish = fc.record(
      {
        name: fc.oneof(fc.string(), json),
        provider: fc.oneof(fc.string(), json),
        url: fc.oneof(fc.string(), json),
        rules: fc.oneof(fc.string(), json),
        settings: fc.oneof(fc.string(), json),
        enabled: json,
        distribution: fc.oneof(fc.constantFrom('0', '3', '4', '5', 7), json),
        sharing_group_id: fc.oneof(fc.constantFrom('0', '2'), json),
        source_format: fc.oneof(fc.constantFrom('misp', 'csv', 'freetext'), json),
        orgc_id: fc.constantFrom('0', '3', undefined),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(json, feedish.map((Feed) => ({ Feed })))), fc.boolean(), (list, asText) => {
        const read = readFeedMetadata(asText ? JSON.stringify(list) : list);
        expect(isIssueList(read.issues)).toBe(true);
        const written = writeFeedMetadata(read.value.map((e) => e.feed));
        expect(written.issues).toEqual([]);
        expect(readFeedMetadata(written.value ?? '').value.map((e) => e.feed)).toEqual(read.value.map((e) => e.feed));
      }),
    );
  });
});

describe('long hostile lines stay fast (no quadratic regular expressions)', () => {
  const n = 200_000;
  const inputs: [string, () => void][] = [
    ['a run of dots inside a token', () => void parseFreetext(`a${'.'.repeat(n)}x`)],
    ['a run of trim characters inside a token', () => void parseFreetext(`a${'(.,'.repeat(n / 3)}x`)],
    ['a long dashed number', () => void parseFreetext(`1-${'1'.repeat(n)}x`)],
    ['many labels', () => void parseFreetext(`${'a.'.repeat(n / 2)}!`)],
    ['a refang candidate', () => void refang(`${'.'.repeat(n)}x`)],
    ['a CSV cell of spaces', () => void parseCsvFeed(`${' '.repeat(n)}x`)],
    ['a CSV cell of quotes', () => void parseCsvFeed(`a,${"'".repeat(n)}x`)],
  ];
  it.each(inputs)('%s', (_name, run) => {
    const started = performance.now();
    run();
    // Generous: quadratic behaviour on this size takes tens of seconds.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
