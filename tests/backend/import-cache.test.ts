import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { count, testEngine } from '../support/engine';
import { testUuid, writeFeedFolder, type TestEvent } from '../support/feed-builder';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function feedWith(dir: string, values: string[]): { feed: string; event: TestEvent } {
  const event: TestEvent = { uuid: testUuid(4242), attributes: values.map((value, i) => ({ uuid: testUuid(50_000 + i), value, type: 'domain' })) };
  return { feed: writeFeedFolder(join(dir, 'feed'), [event]), event };
}

describe('cache: values of a feed become findable without creating events', () => {
  it('from hashes.csv', async () => {
    const dir = tempDir();
    const { feed, event } = feedWith(dir, ['evil.example', 'bad.example']);
    writeFileSync(join(feed, 'hashes.csv'), ['evil.example', 'bad.example', 'only-in-hashes.example'].map((v) => `${md5(v)},${event.uuid}`).join('\n') + '\n');
    const engine = testEngine(dir);
    const report = await engine.call('feeds.import', { source: feed, mode: 'cache' });
    expect(report).toMatchObject({ status: 'done', cacheSource: 'hashes.csv', counts: { cachedValues: 3 } });
    expect(count(engine, 'event')).toBe(0);
    const hit = await engine.call('search.value', { value: 'only-in-hashes.example' });
    expect(hit.attributes).toEqual([]);
    expect(hit.cacheHits).toEqual([{ feedId: report.feedId, feedName: report.feedName, eventUuid: event.uuid }]);
    // Lookups are case-insensitive for values MISP lower-cases (domains).
    expect((await engine.call('search.value', { value: 'EVIL.example' })).cacheHits).toHaveLength(1);
    expect((await engine.call('search.value', { value: 'nothing.example' })).cacheHits).toHaveLength(0);
    const feedStatus = await engine.call('feeds.get', { id: report.feedId });
    expect(feedStatus.status.cachedValues).toBe(3);
    expect(feedStatus.status.lastCachedAt).not.toBeNull();
    engine.close();
  });

  it('from the events when hashes.csv is missing, and from the events again when it is unusable', async () => {
    const dir = tempDir();
    const { feed } = feedWith(dir, ['evil.example', 'bad.example']);
    const engine = testEngine(dir);
    const fromEvents = await engine.call('feeds.import', { source: feed, mode: 'cache' });
    expect(fromEvents).toMatchObject({ cacheSource: 'events', counts: { cachedValues: 2 } });
    expect(fromEvents.issues.map((i) => i.code)).toContain('hashes.missing');
    writeFileSync(join(feed, 'hashes.csv'), 'this is,not a hashes file\nat all\n');
    const unusable = await engine.call('feeds.import', { source: feed, mode: 'cache' });
    expect(unusable).toMatchObject({ cacheSource: 'events', counts: { cachedValues: 2 } });
    expect(unusable.issues.map((i) => i.code)).toContain('hashes.unusable');
    // Re-caching replaced the cache instead of adding to it: the old set's rows are deleted in the background.
    await engine.idle();
    expect(count(engine, 'feed_cache')).toBe(2);
    expect((await engine.call('search.value', { value: 'bad.example' })).cacheHits).toHaveLength(1);
    engine.close();
  });

  it('a cancelled cache run keeps the previous cache', async () => {
    const dir = tempDir();
    const { feed } = feedWith(dir, ['keep.example']);
    const engine = testEngine(dir);
    await engine.call('feeds.import', { source: feed, mode: 'cache' });
    const signal = { aborted: true } as AbortSignal;
    const r = await engine.dispatcher.call('feeds.import', { source: feed, mode: 'cache' }, { signal, progress: () => {} });
    expect(r.ok && (r.value as { status: string }).status).toBe('cancelled');
    expect((await engine.call('search.value', { value: 'keep.example' })).cacheHits).toHaveLength(1);
    expect(engine.read((db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
    engine.close();
  });
});

describe.skipIf(!hasShared)(`cache: real feeds${needsShared}`, () => {
  it('crowdsec-alerts: swapped hashes.csv read the right way round and reported', async () => {
    const engine = testEngine(tempDir());
    const report = await engine.call('feeds.import', { source: sharedPath('fixtures', 'feeds', 'crowdsec-alerts'), mode: 'cache' });
    expect(report).toMatchObject({ cacheSource: 'hashes.csv', counts: { cachedValues: 864 } });
    expect(report.issues.map((i) => i.code)).toContain('hashes.columns-swapped');
    expect((await engine.call('search.value', { value: '4.204.200.32' })).cacheHits).toHaveLength(1);
    engine.close();
  });
});
