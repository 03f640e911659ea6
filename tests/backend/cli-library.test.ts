import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ferry } from '../support/cli';
import { testUuid, writeFeedFolder } from '../support/feed-builder';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();

interface Report { counts: Record<string, number>; issues: { code: string }[]; feedId: number; status: string }

describe('ferry import / feeds / events on the command line', () => {
  it('imports, lists feeds and events, shows one event, searches a value', () => {
    const dir = tempDir();
    const db = join(dir, 'lib.sqlite');
    const event = { uuid: testUuid(1), info: 'cli event', attributes: [{ uuid: testUuid(2), value: '192.0.2.77' }] };
    const feed = writeFeedFolder(join(dir, 'feed'), [event]);
    const imported = ferry(['import', feed, '--feed', 'USB drop', '--json', '--db', db]);
    expect(imported.code).toBe(0);
    expect(imported.json<Report>().counts.added).toBe(1);
    const feeds = ferry(['feeds', 'list', '--json', '--db', db]).json<{ settings: { name: string } }[]>();
    expect(feeds.map((f) => f.settings.name)).toEqual(['USB drop']);
    const events = ferry(['events', 'list', '--json', '--db', db]).json<{ total: number }>();
    expect(events.total).toBe(1);
    const shown = ferry(['event', 'show', event.uuid, '--db', db]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('192.0.2.77');
    const found = ferry(['search', '192.0.2.77', '--json', '--db', db]).json<{ attributes: unknown[] }>();
    expect(found.attributes).toHaveLength(1);
    expect(ferry(['event', 'show', testUuid(99), '--db', db]).code).toBe(2);
  });

  it('manages feeds by name: add, edit, disable, export and import metadata, remove', () => {
    const dir = tempDir();
    const db = join(dir, 'lib.sqlite');
    expect(ferry(['feeds', 'add', '--name', 'ipsum', '--provider', 'stamparm', '--url', '/data/ipsum.txt', '--format', 'freetext', '--db', db]).code).toBe(0);
    expect(ferry(['feeds', 'edit', 'ipsum', '--distribution', '3', '--enabled', '--db', db]).code).toBe(0);
    expect(ferry(['feeds', 'disable', 'ipsum', '--db', db]).code).toBe(0);
    const out = join(dir, 'meta.json');
    expect(ferry(['feeds', 'export-metadata', '--out', out, '--db', db]).code).toBe(0);
    const other = join(dir, 'other.sqlite');
    const imported = ferry(['feeds', 'import-metadata', out, '--json', '--db', other]).json<{ added: { name: string }[] }>();
    expect(imported.added.map((a) => a.name)).toEqual(['ipsum']);
    expect(ferry(['feeds', 'remove', 'ipsum', '--db', db]).code).toBe(0);
    expect(ferry(['feeds', 'remove', 'ipsum', '--db', db]).code).toBe(2);
    expect(ferry(['feeds', 'add', '--name', 'x', '--url', '/y', '--distribution', '4', '--db', db]).code).toBe(2);
  });

  it('--mode must be fetch or cache', () => {
    expect(ferry(['import', '/tmp', '--mode', 'steal', '--db', join(tempDir(), 'l.sqlite')]).code).toBe(2);
  });

  describe.skipIf(!hasShared)(`on the real feeds${needsShared}`, () => {
    it('TweetFeed: 365 events / 110,682 attributes added, then reported unchanged', () => {
      const db = join(tempDir(), 'lib.sqlite');
      const feed = sharedPath('fixtures', 'feeds', 'tweetfeed');
      const first = ferry(['import', feed, '--json', '--db', db]);
      expect(first.code).toBe(0);
      expect(first.json<Report>().counts).toMatchObject({ added: 365, attributes: 110_682 });
      expect(ferry(['import', feed, '--json', '--db', db]).json<Report>().counts).toMatchObject({ unchanged: 365, added: 0 });
    });

    it('crowdsec-alerts: swapped hashes.csv reported; cache mode then finds its values', () => {
      const db = join(tempDir(), 'lib.sqlite');
      const feed = sharedPath('fixtures', 'feeds', 'crowdsec-alerts');
      const r = ferry(['import', feed, '--json', '--db', db]).json<Report>();
      expect(r.issues.map((i) => i.code)).toContain('hashes.columns-swapped');
      const cached = ferry(['import', feed, '--mode', 'cache', '--json', '--db', db]).json<Report>();
      expect(cached.counts.cachedValues).toBe(864);
    });
  });
});
