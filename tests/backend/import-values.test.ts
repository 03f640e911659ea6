import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count, testEngine } from '../support/engine';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();

describe('freetext and CSV feeds from a file', () => {
  it('a new event per import by default, titled "<feed> feed", with values typed and validated', async () => {
    const dir = tempDir();
    const list = join(dir, 'blocklist.txt');
    writeFileSync(list, '# my list\n192.0.2.10\nevil-domain[.]com\nhxxp://bad.example/x\n999.1.1.1\n');
    const engine = testEngine(dir);
    const first = await engine.call('feeds.import', { source: list });
    expect(first.counts).toMatchObject({ added: 1, attributes: 3 });
    const feed = await engine.call('feeds.get', { id: first.feedId });
    expect(feed.settings.sourceFormat).toBe('freetext');
    const view = await engine.call('events.get', { uuid: first.items[0]!.uuid });
    expect(view.info).toBe('blocklist feed');
    expect(view.page.rows.map((a) => `${a.type} ${a.value}`).sort()).toEqual(['domain evil-domain.com', 'ip-dst 192.0.2.10', 'url http://bad.example/x']);
    expect(view.page.rows.every((a) => a.distribution === 5)).toBe(true);
    await engine.call('feeds.import', { source: list });
    expect(count(engine, 'event')).toBe(2);
    engine.close();
  });

  it('a fixed event gains new values only, and with delta merge retracts the ones that left the file', async () => {
    const dir = tempDir();
    const list = join(dir, 'ips.txt');
    writeFileSync(list, '192.0.2.1\n192.0.2.2\n');
    const engine = testEngine(dir);
    const feed = await engine.call('feeds.add', { name: 'ips', provider: 'me', url: list, sourceFormat: 'freetext', inputSource: 'local', fixedEvent: true, deltaMerge: true, publish: true });
    const first = await engine.call('feeds.import', { source: list, feedId: feed.id });
    const uuid = first.items[0]!.uuid;
    writeFileSync(list, '192.0.2.2\n192.0.2.3\n');
    const second = await engine.call('feeds.import', { source: list, feedId: feed.id });
    expect(second.counts).toMatchObject({ updated: 1, attributes: 2 });
    expect(second.items[0]!.uuid).toBe(uuid);
    const view = await engine.call('events.get', { uuid });
    expect(view.page.rows.map((a) => `${a.value}${a.deleted ? ' (deleted)' : ''}`).sort()).toEqual(['192.0.2.1 (deleted)', '192.0.2.2', '192.0.2.3']);
    expect(view.published).toBe(false); // MISP unpublishes after a delta merge
    expect(view.timestamp).toBeGreaterThan(0);
    const third = await engine.call('feeds.import', { source: list, feedId: feed.id });
    expect(third.counts.unchanged).toBe(1);
    expect(count(engine, 'event')).toBe(1);
    expect((await engine.call('search.value', { value: '192.0.2.1' })).attributes).toEqual([]);
    engine.close();
  });

  it('cache mode indexes the values of a list without creating events', async () => {
    const dir = tempDir();
    const list = join(dir, 'domains.txt');
    writeFileSync(list, 'evil.example\nbad.example\n');
    const engine = testEngine(dir);
    const r = await engine.call('feeds.import', { source: list, mode: 'cache' });
    expect(r).toMatchObject({ cacheSource: 'values', counts: { cachedValues: 2 } });
    expect(count(engine, 'event')).toBe(0);
    expect((await engine.call('search.value', { value: 'bad.example' })).cacheHits).toEqual([{ feedId: r.feedId, feedName: r.feedName, eventUuid: null }]);
    engine.close();
  });

  it('a MISP feed cannot be fed a value list, nor the other way round', async () => {
    const dir = tempDir();
    const list = join(dir, 'x.txt');
    writeFileSync(list, '192.0.2.1\n');
    const engine = testEngine(dir);
    const misp = await engine.call('feeds.add', { name: 'misp one', provider: 'p', url: '/somewhere' });
    const r = await engine.dispatcher.call('feeds.import', { source: list, feedId: misp.id }, { signal: new AbortController().signal, progress: () => {} });
    expect(!r.ok && r.error.message).toMatch(/is a value list, but feed "misp one" is a MISP feed/);
    engine.close();
  });
});

describe.skipIf(!hasShared)(`the real value lists${needsShared}`, () => {
  it('ipsum level 8: every line an ip-dst', async () => {
    const engine = testEngine(tempDir());
    const file = sharedPath('fixtures', 'freetext', 'ipsum', 'level8.txt');
    const lines = (await import('node:fs')).readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).length;
    const r = await engine.call('feeds.import', { source: file });
    expect(r.counts.attributes).toBe(lines);
    const types = engine.read((db) => db.prepare('SELECT DISTINCT type FROM attribute').pluck().all());
    expect(types).toEqual(['ip-dst']);
    engine.close();
  });

  it('TweetFeed today.csv as a CSV feed on its value column', async () => {
    const engine = testEngine(tempDir());
    const file = sharedPath('fixtures', 'freetext', 'tweetfeed', 'today.csv');
    const feed = await engine.call('feeds.add', {
      name: 'tweetfeed today', provider: 'TweetFeed', url: file, sourceFormat: 'csv', inputSource: 'local',
      settings: { csv: { valueColumns: [4], delimiter: ',' }, excludeRegex: '', disableCorrelation: false, unpublishEvent: false },
    });
    const r = await engine.call('feeds.import', { source: file, feedId: feed.id });
    expect(r.counts.added).toBe(1);
    expect(r.counts.attributes).toBeGreaterThan(10);
    const types = engine.read((db) => db.prepare('SELECT DISTINCT type FROM attribute ORDER BY type').pluck().all()) as string[];
    expect(types.every((t) => ['domain', 'hostname', 'ip-dst', 'md5', 'sha256', 'url'].includes(t))).toBe(true);
    engine.close();
  });
});
