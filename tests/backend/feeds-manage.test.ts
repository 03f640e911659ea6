import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quietContext } from '../../electron/backend/dispatch';
import { count, testEngine, writeDirect } from '../support/engine';
import { testUuid, writeFeedFolder } from '../support/feed-builder';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();

describe('feed management', () => {
  it('adds a feed with MISP defaults, edits, enables and disables it', async () => {
    const engine = testEngine(tempDir());
    const feed = await engine.call('feeds.add', { name: 'CIRCL OSINT Feed', provider: 'CIRCL', url: '/media/usb/circl', inputSource: 'local' });
    expect(feed.settings).toMatchObject({ sourceFormat: 'misp', enabled: false, cachingEnabled: false, distribution: 0, lookupVisible: false });
    const edited = await engine.call('feeds.edit', { id: feed.id, changes: { distribution: 3, defaultTag: { name: 'osint', colour: '#00ff00', exportable: true, hideTag: false } } });
    expect(edited.settings.distribution).toBe(3);
    expect((await engine.call('feeds.setEnabled', { id: feed.id, enabled: true })).settings.enabled).toBe(true);
    expect((await engine.call('feeds.setEnabled', { id: feed.id, cachingEnabled: true })).settings).toMatchObject({ enabled: true, cachingEnabled: true });
    expect((await engine.call('feeds.setEnabled', { id: feed.id, enabled: false })).settings.enabled).toBe(false);
    engine.close();
  });

  it("refuses what MISP refuses, with the field named, and storing nothing", async () => {
    const engine = testEngine(tempDir());
    const bad = await engine.dispatcher.call('feeds.add', { name: 'x', provider: 'y', url: '/z', distribution: 4 }, quietContext);
    expect(!bad.ok && bad.error.message).toMatch(/sharingGroupId: distribution 4 needs a sharing group/);
    const empty = await engine.dispatcher.call('feeds.add', { name: ' ', provider: 'y', url: '/z' }, quietContext);
    expect(!empty.ok && empty.error.code).toBe('invalid-input');
    await engine.call('feeds.add', { name: 'dup', provider: 'y', url: '/z' });
    const dup = await engine.dispatcher.call('feeds.add', { name: 'DUP', provider: 'y', url: '/q' }, quietContext);
    expect(!dup.ok && dup.error.code).toBe('conflict');
    expect(count(engine, 'feed')).toBe(1);
    engine.close();
  });

  it('removes a feed with its cache, keeping its events as local ones unless asked', async () => {
    const dir = tempDir();
    const feedDir = writeFeedFolder(join(dir, 'f'), [{ uuid: testUuid(1), attributes: [{ uuid: testUuid(2), value: '192.0.2.5' }] }]);
    const engine = testEngine(dir);
    const imported = await engine.call('feeds.import', { source: feedDir });
    await engine.call('feeds.import', { source: feedDir, mode: 'cache', feedId: imported.feedId });
    const kept = await engine.call('feeds.remove', { id: imported.feedId });
    expect(kept).toEqual({ removedEvents: 0, removedCacheValues: 1 });
    expect((await engine.call('events.list', {})).rows[0]?.feedId).toBeNull();

    const again = await engine.call('feeds.import', { source: feedDir, feedName: 'second' });
    expect(again.counts.unchanged).toBe(1);
    await writeDirect(engine, (db) => db.prepare('UPDATE event SET feed_id = ?').run(again.feedId));
    expect(await engine.call('feeds.remove', { id: again.feedId, deleteEvents: true })).toEqual({ removedEvents: 1, removedCacheValues: 0 });
    expect(count(engine, 'attribute')).toBe(0);
    engine.close();
  });

  it("exports feed metadata in MISP's format and imports it back", async () => {
    const a = testEngine(tempDir());
    await a.call('feeds.add', { name: 'one', provider: 'p', url: 'https://example.org/feed', enabled: true, rules: { tags: { or: ['tlp:white'], not: ['privint'] }, orgs: { or: [], not: [] }, urlParams: {} } });
    await a.call('feeds.add', { name: 'two', provider: 'p', url: '/data/list.txt', sourceFormat: 'freetext', inputSource: 'local' });
    const exported = await a.call('feeds.exportMetadata', {});
    expect(exported.count).toBe(2);
    const json = JSON.parse(exported.json) as { Feed: { name: string; rules: string; source_format: string } }[];
    expect(json.map((f) => f.Feed.name).sort()).toEqual(['one', 'two']);
    expect(JSON.parse(json.find((f) => f.Feed.name === 'one')!.Feed.rules)).toMatchObject({ tags: { OR: ['tlp:white'], NOT: ['privint'] } });
    const b = testEngine(tempDir());
    const imported = await b.call('feeds.importMetadata', { json: exported.json });
    expect(imported.added.map((f) => f.name).sort()).toEqual(['one', 'two']);
    const again = await b.call('feeds.importMetadata', { json: exported.json });
    expect(again.skipped).toHaveLength(2);
    const listed = await b.call('feeds.list', {});
    expect(listed.find((f) => f.settings.name === 'one')?.settings.rules.tags).toEqual({ or: ['tlp:white'], not: ['privint'] });
    a.close();
    b.close();
  });

  it.skipIf(!hasShared)(`loads MISP's default feed list from a file${needsShared}`, async () => {
    const engine = testEngine(tempDir());
    const file = sharedPath('reference-data', 'MISP', 'app', 'files', 'feed-metadata', 'defaults.json');
    const expected = (JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length;
    const r = await engine.call('feeds.importMetadata', { source: file, markDefault: true });
    expect(r.added.length + r.skipped.length).toBe(expected);
    expect(r.added.length).toBeGreaterThan(expected * 0.9);
    const feeds = await engine.call('feeds.list', {});
    expect(feeds.every((f) => f.settings.isDefault)).toBe(true);
    engine.close();
  });

  it('a metadata file that is not JSON is refused with its name', async () => {
    const dir = tempDir();
    const engine = testEngine(dir);
    const r = await engine.dispatcher.call('feeds.importMetadata', { source: join(dir, 'nope.json') }, quietContext);
    expect(!r.ok && r.error.message).toMatch(/nope\.json: no such file/);
    engine.close();
  });
});

describe('the import log', () => {
  it('lists one feed\'s runs, and a feed knows its newest run', async () => {
    const dir = tempDir();
    const a = writeFeedFolder(join(dir, 'a'), [{ uuid: testUuid(901), attributes: [{ uuid: testUuid(902), value: '192.0.2.9' }] }]);
    const b = writeFeedFolder(join(dir, 'b'), [{ uuid: testUuid(903), attributes: [{ uuid: testUuid(904), value: '192.0.2.10' }] }]);
    const engine = testEngine(dir);
    const first = await engine.call('feeds.import', { source: a });
    const other = await engine.call('feeds.import', { source: b });
    const again = await engine.call('feeds.import', { source: a });
    expect((await engine.call('imports.list', { feedId: first.feedId })).map((r) => r.id)).toEqual([again.importId, first.importId]);
    expect((await engine.call('imports.list', {})).map((r) => r.id)).toEqual([again.importId, other.importId, first.importId]);
    expect((await engine.call('feeds.get', { id: first.feedId })).status.lastImportId).toBe(again.importId);
    engine.close();
  });

  it('says at once that it is opening the source', async () => {
    const dir = tempDir();
    const feed = writeFeedFolder(join(dir, 'a'), [{ uuid: testUuid(905), attributes: [] }]);
    const engine = testEngine(dir);
    const phases: string[] = [];
    await engine.dispatcher.call('feeds.import', { source: feed }, { signal: new AbortController().signal, progress: (p) => phases.push(p.phase) });
    expect(phases[0]).toBe('opening');
    engine.close();
  });
});

describe('events in the library', () => {
  it('lists pages sorted and searched in SQL', async () => {
    const dir = tempDir();
    const events = Array.from({ length: 25 }, (_, i) => ({
      uuid: testUuid(300 + i),
      info: i === 7 ? 'Emotet wave' : `event ${i}`,
      timestamp: 1_700_000_000 + i,
      tags: i === 3 ? ['misp-galaxy:botnet="Mirai"'] : [],
      attributes: [{ uuid: testUuid(5000 + i), value: `192.0.2.${i}` }],
    }));
    const engine = testEngine(dir);
    await engine.call('feeds.import', { source: writeFeedFolder(join(dir, 'f'), events) });
    const page = await engine.call('events.list', { limit: 10, offset: 10, sort: 'timestamp', direction: 'asc' });
    expect(page.total).toBe(25);
    expect(page.rows.map((r) => r.info)).toEqual(events.slice(10, 20).map((e) => e.info));
    expect((await engine.call('events.list', { search: 'emotet' })).rows.map((r) => r.info)).toEqual(['Emotet wave']);
    expect((await engine.call('events.list', { search: 'mirai' })).total).toBe(1);
    expect((await engine.call('events.list', { search: '100%_' })).total).toBe(0);
    expect((await engine.call('events.list', { search: events[5]!.uuid })).total).toBe(1);
    // Facets, as in MISP's index: org, tag, date range.
    expect((await engine.call('events.list', { tag: 'MISP-GALAXY:botnet="Mirai"' })).rows.map((r) => r.info)).toEqual(['event 3']);
    expect((await engine.call('events.list', { org: 'testorg' })).total).toBe(25);
    expect((await engine.call('events.list', { org: 'nobody' })).total).toBe(0);
    expect((await engine.call('events.list', { dateFrom: '2024-01-01', dateTo: '2024-01-01' })).total).toBe(25);
    expect((await engine.call('events.list', { dateFrom: '2024-01-02' })).total).toBe(0);
    engine.close();
  });
});
