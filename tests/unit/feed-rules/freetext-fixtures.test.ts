// Real freetext feeds from MISP's default feed list and from TweetFeed, read as MISP would read them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFreetext } from '../../../shared/feed/freetext';
import { hasShared, needsShared, sharedPath } from '../../support/shared-data';

function fixture(...parts: string[]): string {
  return readFileSync(sharedPath('fixtures', 'freetext', ...parts), 'utf8');
}

/** Data lines: neither blank nor `#` comments. */
function dataLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

/** TweetFeed block lists announce their size in a `# Entries: N` header line. */
function announcedEntries(text: string): number {
  const match = /^# Entries: (\d+)$/m.exec(text);
  if (!match) throw new Error('no Entries header');
  return Number(match[1]);
}

describe.skipIf(!hasShared)('ipsum level lists (MISP default freetext feeds)' + needsShared, () => {
  it.each(['level5.txt', 'level6.txt', 'level7.txt', 'level8.txt'])('%s: every line is an ip-dst with ip-src offered', (file) => {
    const text = fixture('ipsum', file);
    const lines = dataLines(text);
    const result = parseFreetext(text, { source: file });
    expect(result.issues).toEqual([]);
    expect(result.value.attributes).toHaveLength(lines.length);
    for (const [i, attribute] of result.value.attributes.entries()) {
      expect(attribute).toMatchObject({
        type: 'ip-dst',
        value: lines[i],
        category: 'Network activity',
        to_ids: true,
        alternativeTypes: ['ip-src'],
        line: i + 1,
      });
    }
  });
});

describe.skipIf(!hasShared)('TweetFeed block lists with # headers' + needsShared, () => {
  it('IP list: the header is skipped, every entry is an IP address', () => {
    const text = fixture('tweetfeed', 'blocklist_ips.txt');
    const result = parseFreetext(text, { source: 'blocklist_ips.txt' });
    expect(result.issues).toEqual([]);
    expect(result.value.stats.commentLines).toBeGreaterThan(0);
    expect(result.value.attributes).toHaveLength(announcedEntries(text));
    expect(new Set(result.value.attributes.map((a) => a.type))).toEqual(new Set(['ip-dst']));
  });

  it('domain list: every entry is a domain (two labels) or a hostname (more), new gTLDs included', () => {
    const text = fixture('tweetfeed', 'blocklist_domains.txt');
    const result = parseFreetext(text, { source: 'blocklist_domains.txt' });
    expect(result.issues).toEqual([]);
    expect(result.value.attributes).toHaveLength(announcedEntries(text));
    for (const a of result.value.attributes) {
      expect(a.type).toBe(a.value.split('.').length > 2 ? 'hostname' : 'domain');
    }
  });

  it('URL list, one value per line: every entry kept whole (less the quotes, commas and dots MISP trims)', () => {
    const text = fixture('tweetfeed', 'blocklist_urls.txt');
    const lines = dataLines(text);
    const result = parseFreetext(text, { source: 'blocklist_urls.txt', oneValuePerLine: true });
    expect(result.issues).toEqual([]);
    expect(result.value.attributes.map((a) => a.value)).toEqual(lines.map((l) => l.replace(/^['".,() ]+|['".,() ]+$/g, '')));
    const notUrls = result.value.attributes.filter((a) => a.type !== 'url');
    // PHP's URL filter refuses non-ASCII host names, so MISP files this one (with a dotless ı) as a file name.
    expect(notUrls.map((a) => a.value)).toEqual(lines.filter((l) => /[^\x21-\x7e]/.test(l)));
    expect(notUrls.every((a) => a.type === 'filename')).toBe(true);
  });

  it('URL list, tokenised like MISP: a comma inside a URL path splits it', () => {
    const text = fixture('tweetfeed', 'blocklist_urls.txt');
    const line = text.split(/\r?\n/).indexOf('http://therightflight.org/wp-content/MORSCO,_Inc/download.html') + 1;
    expect(line).toBeGreaterThan(0);
    const result = parseFreetext(text);
    expect(result.issues).toEqual([]);
    const onLine = result.value.attributes.filter((a) => a.line === line);
    expect(onLine.map((a) => [a.type, a.value])).toEqual([
      ['url', 'http://therightflight.org/wp-content/MORSCO'],
      ['filename', '_Inc/download.html'],
    ]);
  });
});
