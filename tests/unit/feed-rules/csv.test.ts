import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  csvRecords,
  formatValueColumns,
  parseCsvFeed,
  parseValueColumns,
  resolveCsvDelimiter,
} from '../../../shared/feed/csv';
import { compileMispRegex } from '../../../shared/feed/freetext';
import type { Issue } from '../../../shared/feed/issues';
import { validateAttributeValue } from '../../../shared/misp';
import { hasShared, needsShared, sharedPath } from '../../support/shared-data';

function records(text: string, delimiter = ','): { cells: readonly string[]; line: number }[] {
  const issues: Issue[] = [];
  const out = [...csvRecords(text, delimiter, issues)];
  expect(issues).toEqual([]);
  return out;
}

describe('CSV records and quoting', () => {
  const cases: [string, string, string, (readonly string[])[]][] = [
    ['plain', 'a,b,c\nd,e,f\n', ',', [['a', 'b', 'c'], ['d', 'e', 'f']]],
    ['quoted delimiter', '"a,b",c', ',', [['a,b', 'c']]],
    ['doubled quote', '"say ""hi""",x', ',', [['say "hi"', 'x']]],
    ['empty quoted field', '"",x,""', ',', [['', 'x', '']]],
    ['quote inside an unquoted field is literal', 'ab"c,d', ',', [['ab"c', 'd']]],
    ['text after a closing quote is kept', '"ab"cd,e', ',', [['abcd', 'e']]],
    ['spaces before an opening quote are dropped', '  "a,b",c', ',', [['a,b', 'c']]],
    ['line break inside quotes', '"line1\nline2",x\ny,z', ',', [['line1\nline2', 'x'], ['y', 'z']]],
    ['CRLF inside quotes and between records', '"a\r\nb",c\r\nd,e', ',', [['a\r\nb', 'c'], ['d', 'e']]],
    ['blank line', 'a\n\nb', ',', [['a'], [''], ['b']]],
    ['no final newline', 'a,b', ',', [['a', 'b']]],
    ['trailing delimiter', 'a,b,', ',', [['a', 'b', '']]],
    ['tab', 'a\tb', '\t', [['a', 'b']]],
    ['pipe', 'a|"b|c"|d', '|', [['a', 'b|c', 'd']]],
    ['multi-character delimiter', 'a##comma##"b##comma##c"', '##comma##', [['a', 'b##comma##c']]],
  ];
  it.each(cases)('%s', (_name, text, delimiter, expected) => {
    expect(records(text, delimiter).map((r) => r.cells)).toEqual(expected);
  });

  it('numbers records by the line they start on', () => {
    expect(records('"a\nb\nc",1\nx,2\n"y\r\nz",3\nw').map((r) => r.line)).toEqual([1, 4, 5, 7]);
  });

  it('reports an unterminated quote and keeps the rest as the field', () => {
    const issues: Issue[] = [];
    const out = [...csvRecords('a,b\n"open,c\nd,e', ',', issues, 'f.csv')];
    expect(out.map((r) => r.cells)).toEqual([['a', 'b'], ['open,c\nd,e']]);
    expect(issues.map((i) => [i.code, i.path])).toEqual([['csv.unterminated-quote', 'f.csv:2']]);
  });
});

describe('MISP csv settings', () => {
  it('delimiter spellings', () => {
    expect(resolveCsvDelimiter('')).toBe(',');
    expect(resolveCsvDelimiter('\\t')).toBe('\t');
    expect(resolveCsvDelimiter(';')).toBe(';');
  });

  it('value columns', () => {
    expect(parseValueColumns('1,3')).toEqual({ value: [1, 3], issues: [] });
    expect(parseValueColumns('')).toEqual({ value: [], issues: [] });
    expect(parseValueColumns(' 2 , 2 ')).toEqual({ value: [2], issues: [] });
    expect(parseValueColumns('0,x,4').issues.map((i) => i.code)).toEqual(['csv.bad-column', 'csv.bad-column']);
    expect(formatValueColumns([3, 4])).toBe('3,4');
  });
});

describe('CSV feeds', () => {
  const text = [
    '# first,second,third',
    'date,kind,value',
    '2024-05-01,ip,198.51.100.7',
    '2024-05-01,domain,"evil[.]com"',
    "2024-05-02,url,'hxxp://evil.com/gate.php'",
    '2024-05-02,noise,not-an-indicator',
    '2024-05-03,ip,198.51.100.7',
    '2024-05-03,zero,0',
    '',
    '2024-05-04,short',
  ].join('\n');

  it('reads the chosen column through the freetext detector, with line-numbered issues', () => {
    const result = parseCsvFeed(text, { valueColumns: [3], headerRows: 0, source: 'feed.csv' });
    expect(result.value.attributes.map((a) => [a.type, a.value, a.line])).toEqual([
      ['ip-dst', '198.51.100.7', 3],
      ['domain', 'evil.com', 4],
      ['url', 'http://evil.com/gate.php', 5],
    ]);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['csv.rejected', 'feed.csv:2'], // the header: MISP relies on detection failing on it
      ['csv.rejected', 'feed.csv:6'],
      ['csv.missing-column', 'feed.csv:10'],
    ]);
    expect(result.value.stats).toMatchObject({ records: 10, commentRecords: 1, blankRecords: 1, duplicates: 1, rejected: 2 });
  });

  it('skips header rows when told', () => {
    const result = parseCsvFeed(text, { valueColumns: [3], headerRows: 2 });
    expect(result.issues.map((i) => i.path)).toEqual(['feed.csv:6', 'feed.csv:10']);
    expect(result.value.stats.headerRecords).toBe(2);
  });

  it('examines every column when none is chosen, as MISP does', () => {
    const result = parseCsvFeed('evil.com;198.51.100.7;hello\n', { delimiter: ';' });
    expect(result.value.attributes.map((a) => a.type)).toEqual(['domain', 'ip-dst']);
    expect(result.issues.map((i) => i.message)).toEqual(['column 3: no indicator type fits "hello"']);
  });

  it('applies the exclude regex to cell values', () => {
    const exclude = compileMispRegex('/^198\\./').value;
    const result = parseCsvFeed(text, { valueColumns: [3], headerRows: 2, excludeRegex: exclude });
    expect(result.value.attributes.map((a) => a.value)).toEqual(['evil.com', 'http://evil.com/gate.php']);
    expect(result.value.stats.excluded).toBe(2);
  });

  it('gives every value a fixed type when asked, with the type defaults or explicit ones', () => {
    const csv = '198.51.100.7\n203.0.113.9\n';
    const fixed = parseCsvFeed(csv, { typing: { kind: 'fixed', type: 'ip-src' } });
    expect(fixed.value.attributes.map((a) => [a.type, a.category, a.to_ids])).toEqual([
      ['ip-src', 'Network activity', true],
      ['ip-src', 'Network activity', true],
    ]);
    const explicit = parseCsvFeed(csv, { typing: { kind: 'fixed', type: 'ip-src', category: 'External analysis', toIds: false } });
    expect(explicit.value.attributes[0]).toMatchObject({ category: 'External analysis', to_ids: false });
    const unknown = parseCsvFeed(csv, { typing: { kind: 'fixed', type: 'no-such-type' } });
    expect(unknown.value.attributes).toEqual([]);
    expect(unknown.issues.map((i) => i.code)).toEqual(['csv.unknown-type']);
  });

  it('rejects values a validator refuses, with the reason', () => {
    const validate = (type: string, value: string): string | null => {
      const check = validateAttributeValue(type, value);
      return check.ok ? null : check.reason;
    };
    const result = parseCsvFeed('198.51.100.7\nnot-an-ip\n', { typing: { kind: 'fixed', type: 'ip-dst' }, validate });
    expect(result.value.attributes.map((a) => a.value)).toEqual(['198.51.100.7']);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([['csv.invalid-value', 'feed.csv:2']]);
  });

  it('trims what MISP trims and skips what PHP calls empty', () => {
    const result = parseCsvFeed(`" evil.com ",'0',  ,"'bad.org'"`, {});
    expect(result.value.attributes.map((a) => a.value)).toEqual(['evil.com', 'bad.org']);
    expect(result.issues).toEqual([]);
  });

  it('refuses a delimiter that cannot work', () => {
    expect(parseCsvFeed('a', { delimiter: '"' }).issues.map((i) => i.code)).toEqual(['csv.bad-delimiter']);
  });

  it('can clear every IDS flag and keep duplicates', () => {
    const result = parseCsvFeed('evil.com\nevil.com\n', { overrideIds: true, dedupe: false });
    expect(result.value.attributes.map((a) => a.to_ids)).toEqual([false, false]);
  });
});

describe.skipIf(!hasShared)('TweetFeed today.csv (value column 4)' + needsShared, () => {
  // TweetFeed's own type column (3) says what each value is; the detector must agree with it.
  const expectedTypes: Record<string, readonly string[]> = {
    domain: ['domain', 'hostname'],
    url: ['url'],
    ip: ['ip-dst'],
    sha256: ['sha256'],
    md5: ['md5'],
  };

  it('finds one attribute per row, of the type TweetFeed announces', () => {
    const text = readFileSync(sharedPath('fixtures', 'freetext', 'tweetfeed', 'today.csv'), 'utf8');
    const rows = [...csvRecords(text, ',', [])];
    const result = parseCsvFeed(text, { valueColumns: [4], delimiter: ',', source: 'today.csv' });
    expect(result.issues).toEqual([]);
    const distinctValues = new Set(rows.map((r) => r.cells[3]));
    expect(result.value.attributes).toHaveLength(distinctValues.size);
    for (const attribute of result.value.attributes) {
      const row = rows.find((r) => r.line === attribute.line);
      expect(row?.cells[3]).toBe(attribute.original);
      expect(expectedTypes[row?.cells[2] ?? '']).toContain(attribute.type);
    }
  });
});
