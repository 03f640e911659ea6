import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkHashesCoverage,
  createHashesReader,
  formatHashes,
  parseHashesCsv,
  parseHashesLine,
  type HashEntry,
} from '../../../shared/feed/hashes-csv';
import { parseManifest } from '../../../shared/feed/manifest';
import { hasShared, needsShared, sharedPath } from '../../support/shared-data';

const UUID = '5a9e9e26-fe40-4726-8563-5585950d210f';
const MD5 = '526291673f8700ef4e4902e29550a03b';

function codes(issues: readonly { code: string }[]): string[] {
  return issues.map((i) => i.code);
}

describe('parseHashesLine', () => {
  it('reads md5,uuid', () => {
    expect(parseHashesLine(`${MD5},${UUID}`)).toEqual({ kind: 'entry', entry: { md5: MD5, eventUuid: UUID }, quirks: [] });
    expect(parseHashesLine(`${MD5},${UUID}\r`)).toMatchObject({ kind: 'entry' });
  });

  it('reads swapped columns the right way round and flags them', () => {
    const line = parseHashesLine(`${UUID},${MD5}`);
    expect(line).toEqual({ kind: 'entry', entry: { md5: MD5, eventUuid: UUID }, quirks: ['swapped'] });
  });

  it('lower-cases md5 and uuid and notes the odd shapes MISP would keep verbatim', () => {
    const line = parseHashesLine(`"${MD5.toUpperCase()}", ${UUID.toUpperCase()},extra`);
    expect(line).toEqual({
      kind: 'entry',
      entry: { md5: MD5, eventUuid: UUID },
      quirks: ['quoted', 'padded', 'extra-columns', 'upper-case'],
    });
  });

  it('separates blanks, headers and garbage', () => {
    expect(parseHashesLine('  ')).toEqual({ kind: 'blank' });
    expect(parseHashesLine('md5,event_uuid')).toEqual({ kind: 'header' });
    expect(parseHashesLine('# MISP Feed')).toMatchObject({ kind: 'invalid', code: 'hashes.one-column' });
    expect(parseHashesLine(`${MD5},not-a-uuid`)).toMatchObject({ kind: 'invalid', code: 'hashes.bad-line' });
    expect(parseHashesLine('x'.repeat(5000))).toMatchObject({ kind: 'invalid', code: 'hashes.line-too-long' });
  });
});

describe('hashes reader', () => {
  it('gives the same entries and issues however the text is chunked', () => {
    const text = `\uFEFF${MD5},${UUID}\n${UUID},${MD5}\r\ngarbage\n\n${MD5},${UUID}`;
    const whole = parseHashesCsv(text);
    expect(whole.value).toHaveLength(3);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: text.length }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const got: HashEntry[] = [];
        const reader = createHashesReader({ onEntry: (e) => got.push(e) });
        let from = 0;
        for (const p of points) {
          reader.chunk(text.slice(from, p));
          from = p;
        }
        reader.chunk(text.slice(from));
        const summary = reader.end();
        expect(got).toEqual(whole.value);
        expect(summary.issues).toEqual(whole.issues);
      }),
    );
  });

  it('reports each kind of bad line a limited number of times, then a count', () => {
    const text = Array.from({ length: 30 }, (_, i) => `bad line ${i}`).join('\n') + `\n${MD5},${UUID}\n`;
    const { issues } = parseHashesCsv(text);
    const bad = issues.filter((i) => i.code === 'hashes.one-column');
    expect(bad).toHaveLength(11);
    expect(bad[0]?.path).toBe('hashes.csv:1');
    expect(bad[10]?.message).toMatch(/20 more lines/);
    expect(codes(issues)).toContain('hashes.mostly-invalid');
  });

  it('calls a file with no md5,uuid line at all not a MISP hashes.csv', () => {
    const { value, issues } = parseHashesCsv('<!DOCTYPE html>\n<html><body>404</body></html>\n');
    expect(value).toEqual([]);
    expect(issues.find((i) => i.code === 'hashes.not-misp')?.severity).toBe('error');
  });

  it('warns about an empty file, which sends MISP down its slow path', () => {
    expect(codes(parseHashesCsv('').issues)).toEqual(['hashes.empty']);
    expect(codes(parseHashesCsv('\n\n').issues)).toEqual(['hashes.empty']);
  });

  it('never throws and always explains rejected input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const { value, issues } = parseHashesCsv(text);
        const lines = text.split('\n').filter((l) => l.trim() !== '' && !/^\uFEFF?\s*$/.test(l)).length;
        if (value.length < lines) expect(issues.length).toBeGreaterThan(0);
      }),
    );
  });

  it('copes with one huge line without a newline', () => {
    const { value, issues } = parseHashesCsv('a'.repeat(3_000_000));
    expect(value).toEqual([]);
    expect(codes(issues)).toContain('hashes.line-too-long');
  });
});

describe('writing', () => {
  it('writes md5,uuid lines with a newline each', () => {
    expect(formatHashes([{ md5: MD5, eventUuid: UUID }, { md5: MD5, eventUuid: UUID }])).toBe(`${MD5},${UUID}\n${MD5},${UUID}\n`);
  });

  it('reads back what it writes', () => {
    const entry = fc.record({
      md5: fc.stringMatching(/^[0-9a-f]{32}$/),
      eventUuid: fc.uuid(),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), (entries) => {
        const parsed = parseHashesCsv(formatHashes(entries));
        expect(parsed.value).toEqual(entries.map((e) => ({ ...e, eventUuid: e.eventUuid.toLowerCase() })));
      }),
    );
  });
});

describe.skipIf(!hasShared)('fixture hashes.csv files' + needsShared, () => {
  function read(feed: string): { text: string; manifestUuids: string[] } {
    const dir = sharedPath('fixtures', 'feeds', feed);
    const manifest = parseManifest(readFileSync(`${dir}/manifest.json`, 'utf8'));
    return { text: readFileSync(`${dir}/hashes.csv`, 'utf8'), manifestUuids: manifest.value.entries.map((e) => e.uuid) };
  }

  it('pymisp-generated-feed: clean, every event covered', () => {
    const { text, manifestUuids } = read('pymisp-generated-feed');
    const { value, issues } = parseHashesCsv(text);
    expect(value).toHaveLength(129);
    expect(issues).toEqual([]);
    expect(checkHashesCoverage(new Set(value.map((e) => e.eventUuid)), manifestUuids)).toEqual([]);
  });

  it('crowdsec-alerts: every line has its columns swapped', () => {
    const { text, manifestUuids } = read('crowdsec-alerts');
    const { value, issues } = parseHashesCsv(text);
    expect(value).toHaveLength(864);
    const swapped = issues.find((i) => i.code === 'hashes.columns-swapped');
    expect(swapped?.severity).toBe('warning');
    expect(swapped?.message).toMatch(/^864 of 864/);
    expect(value.every((e) => /^[0-9a-f]{32}$/.test(e.md5))).toBe(true);
    expect(checkHashesCoverage(new Set(value.map((e) => e.eventUuid)), manifestUuids)).toEqual([]);
  });

  it('tweetfeed: clean lines, but only the newest 31 of 365 events are covered', () => {
    const { text, manifestUuids } = read('tweetfeed');
    const got: HashEntry[] = [];
    const reader = createHashesReader({ onEntry: (e) => got.push(e) });
    // Feed it in odd-sized chunks as the backend will.
    for (let i = 0; i < text.length; i += 4093) reader.chunk(text.slice(i, i + 4093));
    const summary = reader.end();
    expect(summary.entries).toBe(12092);
    expect(summary.issues).toEqual([]);
    const coverage = checkHashesCoverage(new Set(got.map((e) => e.eventUuid)), manifestUuids);
    expect(coverage.map((i) => [i.code, i.message])).toEqual([
      ['hashes.partial-coverage', expect.stringMatching(/covers 31 of 365/)],
    ]);
  });

  it('a README.md sitting in a feed folder is recognised as not a hashes file', () => {
    const text = readFileSync(sharedPath('fixtures', 'feeds', 'crowdsec-alerts', 'README.md'), 'utf8');
    expect(codes(parseHashesCsv(text, 'README.md').issues)).toContain('hashes.not-misp');
  });
});
