import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quietContext } from '../../electron/backend/dispatch';
import { count, testEngine, testEngine as makeEngine, writeDirect } from '../support/engine';
import { eventJson, manifestEntry, testUuid, writeFeedFolder, type TestEvent } from '../support/feed-builder';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { useTempDirs } from '../support/temp';
import { writeRawZip } from '../support/zips';

const tempDir = useTempDirs();

/** Correlation index entries: attributes keyed by their own value plus separate key rows. */
function correlationEntries(engine: ReturnType<typeof testEngine>): number {
  return (engine.read((db) => db.prepare('SELECT count(*) FROM correlation_key').pluck().get()) as number);
}

function integrity(engine: ReturnType<typeof testEngine>): string {
  return engine.read((db) => db.pragma('integrity_check', { simple: true })) as string;
}

function ipEvent(n: number, attrs = 3, timestamp = 1_700_000_000): TestEvent {
  const uuid = testUuid(1000 + n);
  return {
    uuid,
    timestamp,
    tags: n % 2 ? ['tlp:white'] : ['tlp:amber', 'privint'],
    attributes: Array.from({ length: attrs }, (_, i) => ({ uuid: testUuid(100_000 + n * 100 + i), value: `198.51.100.${n * 10 + i}` })),
  };
}

// Both ways of writing: into live indexes in commit groups, and the bulk load that rebuilds them at the end.
describe.each(['never', 'always'] as const)('fetch: importing a feed folder (bulk load: %s)', (bulkLoad) => {
  const testEngine = (dir: string) => makeEngine(dir, { bulkLoad });

  it('adds every event, then finds them unchanged on the second run', async () => {
    const dir = tempDir();
    const feed = writeFeedFolder(join(dir, 'feed'), [ipEvent(1), ipEvent(2), ipEvent(3)]);
    const engine = testEngine(dir);
    const first = await engine.call('feeds.import', { source: feed });
    expect(first.counts).toMatchObject({ selected: 3, added: 3, attributes: 9, rejected: 0 });
    expect(count(engine, 'event')).toBe(3);
    expect(count(engine, 'attribute')).toBe(9);
    expect(correlationEntries(engine)).toBe(9);
    const second = await engine.call('feeds.import', { source: feed });
    expect(second.counts).toMatchObject({ added: 0, unchanged: 3 });
    expect(second.feedId).toBe(first.feedId); // the same feed, found by its path
    expect(integrity(engine)).toBe('ok');
    engine.close();
  });

  it('imports only the selected events, and applies the feed rules to the manifest first', async () => {
    const dir = tempDir();
    const events = [ipEvent(1), ipEvent(2), ipEvent(3), ipEvent(4)];
    const feed = writeFeedFolder(join(dir, 'feed'), events);
    const engine = testEngine(dir);
    const added = await engine.call('feeds.add', {
      name: 'rules', provider: 'test', url: feed, inputSource: 'local',
      rules: { tags: { or: [], not: ['privint'] }, orgs: { or: [], not: [] }, urlParams: {} },
    });
    // Event 2 is privint; event 4 is not selected.
    const report = await engine.call('feeds.import', { source: feed, feedId: added.id, events: [events[0]!.uuid, events[1]!.uuid, events[2]!.uuid] });
    expect(report.counts).toMatchObject({ selected: 3, added: 2, filtered: 1 });
    expect(report.items.find((i) => i.outcome === 'filtered')?.uuid).toBe(events[1]!.uuid);
    expect(count(engine, 'event')).toBe(2);
    engine.close();
  });

  it("applies MISP's update rule: newer event wins, per-item timestamps, additive", async () => {
    const dir = tempDir();
    const v1 = ipEvent(1, 2, 1_700_000_000);
    const feed = join(dir, 'feed');
    writeFeedFolder(feed, [v1]);
    const engine = testEngine(dir);
    await engine.call('feeds.import', { source: feed });
    // v2: first attribute changed (newer), second missing, a third added.
    const v2: TestEvent = {
      ...v1,
      timestamp: 1_700_000_100,
      info: 'renamed',
      attributes: [
        { uuid: v1.attributes[0]!.uuid, value: '203.0.113.7', timestamp: 1_700_000_100 },
        { uuid: testUuid(999_999), value: '203.0.113.8', timestamp: 1_700_000_100 },
      ],
    };
    writeFeedFolder(feed, [v2]);
    const report = await engine.call('feeds.import', { source: feed });
    expect(report.counts).toMatchObject({ updated: 1 });
    const view = await engine.call('events.get', { uuid: v1.uuid });
    expect(view.info).toBe('renamed');
    expect(view.page.rows.map((a) => a.value).sort()).toEqual(['198.51.100.11', '203.0.113.7', '203.0.113.8']);
    // The correlation index follows the changed value.
    const hits = await engine.call('search.value', { value: '203.0.113.7' });
    expect(hits.attributes).toHaveLength(1);
    expect((await engine.call('search.value', { value: '198.51.100.10' })).attributes).toHaveLength(0);
    engine.close();
  });

  it('never silently overwrites an event edited here: reports a conflict', async () => {
    const dir = tempDir();
    const v1 = ipEvent(1);
    const feed = join(dir, 'feed');
    writeFeedFolder(feed, [v1]);
    const engine = testEngine(dir);
    await engine.call('feeds.import', { source: feed });
    await writeDirect(engine, (db) => db.prepare("UPDATE event SET locally_edited = 1, info = 'my notes' WHERE uuid = ?").run(v1.uuid));
    writeFeedFolder(feed, [{ ...v1, timestamp: 1_800_000_000, info: 'upstream' }]);
    const report = await engine.call('feeds.import', { source: feed });
    expect(report.counts.conflicts).toBe(1);
    expect(report.items[0]?.issues.map((i) => i.code)).toContain('import.locally-edited');
    expect((await engine.call('events.get', { uuid: v1.uuid })).info).toBe('my notes');
    engine.close();
  });

  it('drops an attribute whose uuid belongs to another event, as MISP does', async () => {
    const dir = tempDir();
    const a = ipEvent(1, 1);
    const b: TestEvent = { ...ipEvent(2, 1), attributes: [{ uuid: a.attributes[0]!.uuid, value: '192.0.2.99' }, { uuid: testUuid(77_777), value: '192.0.2.100' }] };
    const feed = writeFeedFolder(join(dir, 'feed'), [a, b]);
    const engine = testEngine(dir);
    const report = await engine.call('feeds.import', { source: feed });
    expect(report.counts.added).toBe(2);
    expect(count(engine, 'attribute')).toBe(2);
    expect(report.items.flatMap((i) => i.issues).some((i) => i.code === 'import.uuid-taken')).toBe(true);
    engine.close();
  });

  it('indexes composite values by their halves, and skips what MISP does not correlate', async () => {
    const dir = tempDir();
    const e: TestEvent = {
      uuid: testUuid(7000),
      attributes: [
        { uuid: testUuid(7001), type: 'domain|ip', category: 'Network activity', value: 'evil.example|192.0.2.200' },
        { uuid: testUuid(7002), type: 'ip-dst|port', category: 'Network activity', value: '192.0.2.201|443' },
        { uuid: testUuid(7003), type: 'comment', category: 'Other', value: 'just words' },
        { uuid: testUuid(7004), type: 'domain', category: 'Network activity', value: 'EVIL.example' },
      ],
    };
    const engine = testEngine(dir);
    await engine.call('feeds.import', { source: writeFeedFolder(join(dir, 'feed'), [e]) });
    const keys = engine.read((db) => db.prepare('SELECT key FROM correlation_key ORDER BY key').pluck().all());
    // Every key is a row, the domain's own value too (its attribute is marked `correlates`: self-keyed).
    expect(keys).toEqual(['192.0.2.200', '192.0.2.201', 'evil.example', 'evil.example']);
    const selfKeyed = engine.read((db) => db.prepare('SELECT type FROM attribute WHERE correlates = 1').pluck().all());
    expect(selfKeyed).toEqual(['domain']);
    const hits = await engine.call('search.value', { value: 'evil.example' });
    expect(hits.attributes.map((a) => a.type).sort()).toEqual(['domain', 'domain|ip']);
    expect((await engine.call('search.value', { value: '443' })).attributes).toEqual([]);
    expect((await engine.call('search.value', { value: 'just words' })).attributes).toEqual([]);
    engine.close();
  });

  it('a database failure on one event rejects that event only; the others of its group are written whole', async () => {
    const dir = tempDir();
    const events = Array.from({ length: 6 }, (_, i) => ipEvent(i + 1, 4));
    events[3]!.attributes[2]!.value = '203.0.113.66';
    const feed = writeFeedFolder(join(dir, 'feed'), events);
    const engine = testEngine(dir);
    // A trigger stands in for a disk or constraint failure in the middle of writing event 4. Stored in the library
    // (not TEMP), so that it fires on whichever connection writes: the writer's, or a bulk load's merger.
    await writeDirect(engine, (db) => db.exec("CREATE TRIGGER fail BEFORE INSERT ON attribute WHEN NEW.value = '203.0.113.66' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"));
    const report = await engine.call('feeds.import', { source: feed });
    expect(report.counts).toMatchObject({ added: 5, rejected: 1 });
    const rejected = report.items.find((i) => i.outcome === 'rejected');
    expect(rejected?.uuid).toBe(events[3]!.uuid);
    expect(rejected?.issues.at(-1)).toMatchObject({ code: 'import.write-failed', message: expect.stringContaining('disk on fire') });
    expect(count(engine, 'event')).toBe(5);
    expect(count(engine, 'attribute')).toBe(20);
    expect(correlationEntries(engine)).toBe(20);
    expect(integrity(engine)).toBe('ok');
    engine.close();
  });

  it('stops cleanly when cancelled: what was written is whole, the rest untouched', async () => {
    const dir = tempDir();
    const feed = writeFeedFolder(join(dir, 'feed'), Array.from({ length: 30 }, (_, i) => ipEvent(i + 1, 5)));
    const engine = testEngine(dir);
    // The importer looks at the signal once before each event; this one turns to "aborted" at the 11th look.
    let looks = 0;
    const signal = { get aborted() { return ++looks > 10; } } as AbortSignal;
    const r = await engine.dispatcher.call('feeds.import', { source: feed }, { signal, progress: () => {} });
    expect(r.ok && (r.value as { status: string }).status).toBe('cancelled');
    const events = count(engine, 'event');
    expect(events).toBe(10);
    // Every stored event is complete.
    expect(count(engine, 'attribute')).toBe(events * 5);
    expect(integrity(engine)).toBe('ok');
    const runs = await engine.call('imports.list', {});
    expect(runs[0]?.status).toBe('cancelled');
    engine.close();
  });
});

describe('fetch: bad input is named in the report, and stored data stays intact', () => {
  async function seeded() {
    const dir = tempDir();
    const engine = testEngine(dir);
    const good = writeFeedFolder(join(dir, 'good'), [ipEvent(50), ipEvent(51)]);
    await engine.call('feeds.import', { source: good });
    return { dir, engine };
  }

  it('a zip with a traversal entry is refused whole', async () => {
    const { dir, engine } = await seeded();
    const e = ipEvent(1);
    const zip = join(dir, 'slip.zip');
    writeRawZip(zip, [
      { name: 'manifest.json', data: Buffer.from(JSON.stringify({ [e.uuid]: manifestEntry(e) })) },
      { name: `${e.uuid}.json`, data: Buffer.from(JSON.stringify(eventJson(e))) },
      { name: '../../../tmp/evil.json', data: Buffer.from('{}') },
    ]);
    const r = await engine.dispatcher.call('feeds.import', { source: zip }, quietContext);
    expect(!r.ok && r.error.message).toContain('../../../tmp/evil.json');
    expect(count(engine, 'event')).toBe(2);
    expect(integrity(engine)).toBe('ok');
    engine.close();
  });

  it('a bomb event file, a non-uuid manifest key and a truncated event are each reported; the good event is imported', async () => {
    const { dir, engine } = await seeded();
    const good = ipEvent(1);
    const bomb = ipEvent(2);
    const cut = ipEvent(3);
    const cutText = JSON.stringify(eventJson(cut));
    const zip = join(dir, 'mixed.zip');
    writeRawZip(zip, [
      {
        name: 'manifest.json',
        data: Buffer.from(JSON.stringify({ [good.uuid]: manifestEntry(good), [bomb.uuid]: manifestEntry(bomb), [cut.uuid]: manifestEntry(cut), 'not-a-uuid': manifestEntry(good) })),
      },
      { name: `${good.uuid}.json`, data: Buffer.from(JSON.stringify(eventJson(good))) },
      { name: `${bomb.uuid}.json`, data: Buffer.alloc(48 * 1024 * 1024, 0x20), deflate: true },
      { name: `${cut.uuid}.json`, data: Buffer.from(cutText.slice(0, cutText.length / 2)) },
    ]);
    const report = await engine.call('feeds.import', { source: zip });
    expect(report.counts).toMatchObject({ added: 1, rejected: 2 });
    const byUuid = new Map(report.items.map((i) => [i.uuid, i]));
    expect(byUuid.get(bomb.uuid)?.issues[0]?.message).toMatch(new RegExp(`${bomb.uuid}\\.json.*zip bomb`));
    expect(byUuid.get(cut.uuid)?.issues.map((i) => i.code)).toContain('event.not-json');
    expect(byUuid.get(cut.uuid)?.issues[0]?.path).toContain(`${cut.uuid}.json`);
    expect(report.issues.find((i) => i.code === 'manifest.key-not-uuid')?.path).toContain('not-a-uuid');
    expect(count(engine, 'event')).toBe(3);
    expect(integrity(engine)).toBe('ok');
    engine.close();
  });

  it('an event file whose uuid differs from its manifest key is rejected', async () => {
    const dir = tempDir();
    const e = ipEvent(1);
    const feed = writeFeedFolder(join(dir, 'feed'), [e]);
    const other = ipEvent(9);
    writeFileSync(join(feed, `${e.uuid}.json`), JSON.stringify(eventJson(other)));
    const engine = testEngine(dir);
    const report = await engine.call('feeds.import', { source: feed });
    expect(report.items[0]?.issues.map((i) => i.code)).toContain('feed.uuid-mismatch');
    expect(count(engine, 'event')).toBe(0);
    engine.close();
  });
});

describe.skipIf(!hasShared)(`fetch: the real fixture feeds${needsShared}`, () => {
  it('TweetFeed: 365 events and 110,682 attributes added, then all unchanged', async () => {
    const engine = testEngine(tempDir());
    const feed = sharedPath('fixtures', 'feeds', 'tweetfeed');
    const first = await engine.call('feeds.import', { source: feed });
    expect(first.counts).toMatchObject({ added: 365, attributes: 110_682, rejected: 0 });
    expect(count(engine, 'attribute')).toBe(110_682);
    const again = await engine.call('feeds.import', { source: feed });
    expect(again.counts).toMatchObject({ added: 0, unchanged: 365 });
    engine.close();
  });

  it('crowdsec-alerts: imported, with its swapped hashes.csv reported', async () => {
    const engine = testEngine(tempDir());
    const report = await engine.call('feeds.import', { source: sharedPath('fixtures', 'feeds', 'crowdsec-alerts') });
    expect(report.counts).toMatchObject({ added: 3, attributes: 864 });
    expect(report.issues.map((i) => i.code)).toContain('hashes.columns-swapped');
    engine.close();
  });

  it('the events keep what the files said (spot check against the source JSON)', async () => {
    const engine = testEngine(tempDir());
    const dir = sharedPath('fixtures', 'feeds', 'pymisp-generated-feed');
    await engine.call('feeds.import', { source: dir });
    const raw = JSON.parse(readFileSync(join(dir, '5a9e9e26-fe40-4726-8563-5585950d210f.json'), 'utf8')) as { Event: { info: string; Object?: unknown[] } };
    const view = await engine.call('events.get', { uuid: '5a9e9e26-fe40-4726-8563-5585950d210f' });
    expect(view.info).toBe(raw.Event.info);
    expect(view.counts.objects).toBe(raw.Event.Object?.length ?? 0);
    engine.close();
  });
});
