import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFeedListing, compareWithManifest, parseManifest } from '../../../shared/feed/manifest';
import type { Event } from '../../../shared/model';

const U1 = '5a9e9e26-fe40-4726-8563-5585950d210f';
const U2 = '5a3c2fcd-8328-42bb-a95e-4f4402de0b81';

const pymispEntry = {
  Orgc: { name: 'ExampleOrg', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
  Tag: [{ colour: '#ffffff', local: false, name: 'tlp:clear', relationship_type: '' }],
  info: 'Synthetic example event',
  date: '2024-05-01',
  analysis: 1,
  threat_level_id: 2,
  timestamp: 1714557600,
};

function codes(issues: readonly { code: string }[]): string[] {
  return issues.map((i) => i.code);
}

describe('parseManifest', () => {
  it('reads the PyMISP shape without remarks, tag relationship types included', () => {
    const { value, issues } = parseManifest(JSON.stringify({ [U1]: pymispEntry }));
    expect(issues).toEqual([]);
    expect(value.entries).toEqual([
      {
        uuid: U1,
        info: 'Synthetic example event',
        date: '2024-05-01',
        timestamp: 1714557600,
        analysis: 1,
        threatLevelId: 2,
        orgc: pymispEntry.Orgc,
        tags: [{ name: 'tlp:clear', colour: '#ffffff', local: false, relationshipType: '' }],
      },
    ]);
  });

  it('reports string integers and foreign fields once per file, not once per entry', () => {
    const other = { ...pymispEntry, analysis: '1', threat_level_id: '2', timestamp: '1714557600', distribution: '3' };
    const { value, issues } = parseManifest({ [U1]: other, [U2]: other });
    expect(value.entries.map((e) => e.timestamp)).toEqual([1714557600, 1714557600]);
    expect(value.entries[0]?.distribution).toBe(3);
    expect(issues.map((i) => [i.code, i.message])).toEqual([
      ['manifest.integers-as-strings', expect.stringMatching(/^2 of 2 entries/)],
      ['manifest.extra-field', expect.stringMatching(/^2 of 2 entries carry "distribution"/)],
    ]);
  });

  it('notices REST-shaped entries, missing Tag lists and a lower-case orgc', () => {
    const rest = { ...pymispEntry, Orgc: { ...pymispEntry.Orgc, id: '1', local: true } };
    const { Tag: _tags, Orgc: orgc, ...bare } = pymispEntry;
    const { issues } = parseManifest({ [U1]: rest, [U2]: { ...bare, orgc } });
    expect(codes(issues)).toEqual(['manifest.rest-fields', 'manifest.tags-missing', 'manifest.orgc-lower-case']);
  });

  it('flags entries MISP cannot use', () => {
    const { value, issues } = parseManifest({ 'not-a-uuid': pymispEntry, [U1]: 'x', [U2]: { ...pymispEntry, info: '', date: '1/5/2024', timestamp: 'x' } });
    expect(value.entries.map((e) => e.uuid)).toEqual([U2]);
    expect(codes(issues)).toEqual([
      'manifest.key-not-uuid',
      'manifest.entry-not-object',
      'manifest.timestamp-missing',
      'manifest.info-missing',
      'manifest.date-invalid',
    ]);
  });

  it('never throws, and explains when it finds nothing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.json()), (input) => {
        const { value, issues } = parseManifest(input);
        if (value.entries.length === 0 && !(typeof input === 'string' && /^\s*\{\s*\}\s*$/.test(input))) {
          if (!(typeof input === 'object' && input !== null && !Array.isArray(input) && Object.keys(input).length === 0)) {
            expect(issues.length).toBeGreaterThan(0);
          }
        }
      }),
    );
  });
});

describe('checkFeedListing', () => {
  const manifest = parseManifest({ [U1]: pymispEntry, [U2]: pymispEntry }).value;

  it('is quiet for a complete feed folder', () => {
    expect(checkFeedListing(manifest, ['manifest.json', 'hashes.csv', `${U1}.json`, `${U2}.json`, `${U2}.asc`])).toEqual([]);
  });

  it('reports missing event files, unlisted events, foreign files and a missing hashes.csv', () => {
    const other = '11111111-1111-4111-8111-111111111111';
    const issues = checkFeedListing(manifest, ['manifest.json', `${U1}.json`, `${other}.json`, 'README.md']);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['feed.event-file-missing', `${U2}.json`],
      ['feed.hashes-missing', 'hashes.csv'],
      ['feed.event-not-in-manifest', `${other}.json`],
      ['feed.unexpected-file', 'README.md'],
    ]);
  });
});

describe('compareWithManifest', () => {
  const entry = parseManifest({ [U1]: pymispEntry }).value.entries[0];
  const event = { uuid: U1, info: 'Synthetic example event', date: '2024-05-01', timestamp: 1714557600 } as Event;

  it('is quiet when the manifest matches the event', () => {
    expect(entry && compareWithManifest(entry, event)).toEqual([]);
  });

  it('warns when the manifest is behind the event, since MISP then never updates', () => {
    const issues = entry ? compareWithManifest(entry, { ...event, timestamp: 1714557601, info: 'changed' }) : [];
    expect(issues.map((i) => [i.severity, i.code])).toEqual([
      ['warning', 'feed.timestamp-mismatch'],
      ['info', 'feed.summary-mismatch'],
    ]);
    expect(entry && codes(compareWithManifest(entry, { ...event, uuid: U2 }))).toEqual(['feed.uuid-mismatch']);
  });
});
