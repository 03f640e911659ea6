/**
 * The long writes besides the step-path fetch — a bulk load (staged, merged in steps by worker threads) and a cache
 * run (staged, merged in steps, swapped in) — with real SQLite files and real worker threads: another request's
 * write lands in its own transaction and survives whatever the long write does, including a forced failure in its
 * current step, and readers keep answering from committed snapshots with every index in place.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quietContext, type HandlerContext } from '../../electron/backend/dispatch';
import { bulkTuning } from '../../electron/backend/import/bulk-load';
import { cacheTuning } from '../../electron/backend/import/cache-feed';
import type { ChannelOutput } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import { count, testEngine } from '../support/engine';
import { testUuid, writeFeedFolder, type TestEvent } from '../support/feed-builder';
import { useTempDirs } from '../support/temp';
import { keyMatch } from '../../electron/backend/db/queries/correlation-key';

const tempDir = useTempDirs();

function feedEvents(base: number, events: number, attributes: number): TestEvent[] {
  return Array.from({ length: events }, (_, n) => ({
    uuid: testUuid(base + n),
    timestamp: 1_700_000_000,
    info: `event ${base + n}`,
    attributes: Array.from({ length: attributes }, (_, i) => ({
      uuid: testUuid(base * 1000 + n * attributes + i + 2_000_000_000),
      value: `10.${(base + n) % 250}.${Math.floor(i / 250)}.${i % 250}`,
    })),
  }));
}

function watching(onProgress: (phase: string, done: number) => void): HandlerContext {
  return { signal: quietContext.signal, progress: (p) => onProgress(p.phase, p.done) };
}

type ImportAnswer = Envelope<ChannelOutput<'feeds.import'>>;

describe('during a bulk load (staged, merged in steps on worker threads)', () => {
  const saved = { ...bulkTuning };
  beforeEach(() => {
    // Worker threads even for a small feed, and small steps: many merge steps to act between.
    bulkTuning.workerMinBytes = 0;
    bulkTuning.firstStepAttributes = 2_000;
    bulkTuning.maxStepAttributes = 2_000;
  });
  afterEach(() => Object.assign(bulkTuning, saved));

  it('stores exactly what the step path stores: attributes, objects, references, keys — with taken uuids dropped the same way', async () => {
    const dir = tempDir();
    const ts = '1700000000';
    const attribute = (n: number, value: string) => ({ uuid: testUuid(500_000 + n), type: 'domain', category: 'Network activity', value, to_ids: true, timestamp: ts });
    const object = (n: number, attrs: ReturnType<typeof attribute>[], refTo?: string) => ({
      uuid: testUuid(600_000 + n), name: 'domain-ip', 'meta-category': 'network', description: 'd', template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734',
      template_version: '9', timestamp: ts, Attribute: attrs.map((a) => ({ ...a, object_relation: 'domain' })),
      ...(refTo ? { ObjectReference: [{ uuid: testUuid(700_000 + n), referenced_uuid: refTo, relationship_type: 'related-to', timestamp: ts }] } : {}),
    });
    // Event k: plain attributes, two objects (one referring to the other). Event 3 reuses an attribute uuid of
    // event 0, event 5 an object uuid of event 1: both are dropped, whichever path writes them.
    const events = Array.from({ length: 8 }, (_, k) => {
      const attrs = Array.from({ length: 700 }, (_, i) => attribute(k * 1000 + i, `host${i % 300}.e${k}.example`));
      if (k === 3) attrs.push(attribute(0, 'taken.example'));
      const objects = [object(k * 10, [attribute(k * 1000 + 900, `o${k}.example`)]), object(k * 10 + 1, [attribute(k * 1000 + 901, `p${k}.example`)], testUuid(600_000 + k * 10))];
      if (k === 5) objects.push(object(10, [attribute(k * 1000 + 902, 'object-taken.example')]));
      return { uuid: testUuid(400_000 + k), info: `event ${k}`, date: '2024-01-01', timestamp: ts, publish_timestamp: ts, published: true, analysis: '2', threat_level_id: '3',
        Orgc: { name: 'TestOrg', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' }, Tag: [{ name: `tlp:white`, colour: '#ffffff' }], Attribute: attrs, Object: objects };
    });
    const feed = join(dir, 'feed');
    mkdirSync(feed, { recursive: true });
    for (const e of events) writeFileSync(join(feed, `${e.uuid}.json`), JSON.stringify({ Event: e }));
    writeFileSync(join(feed, 'manifest.json'), JSON.stringify(Object.fromEntries(events.map((e) => [e.uuid, { info: e.info, date: e.date, timestamp: Number(ts), analysis: 2, threat_level_id: 3, Orgc: e.Orgc, Tag: [] }]))));
    const dump = async (policy: 'never' | 'always') => {
      const engine = testEngine(join(dir, policy), { bulkLoad: policy });
      const report = await engine.call('feeds.import', { source: feed });
      // Rows named by uuid, in id order: ids are the library's own (a dropped attribute may leave a gap in the bulk
      // path's), what they join and the order they were written in are what must agree.
      const rows = engine.read((db) => ({
        attributes: db.prepare(`SELECT a.uuid, e.uuid AS event, o.uuid AS object, a.value, a.correlates FROM attribute a JOIN event e ON e.id = a.event_id
          LEFT JOIN object o ON o.id = a.object_id ORDER BY a.id`).all(),
        objects: db.prepare('SELECT o.uuid, e.uuid AS event FROM object o JOIN event e ON e.id = o.event_id ORDER BY o.id').all(),
        references: db.prepare('SELECT o.uuid AS object, r.uuid, r.referenced_uuid FROM object_reference r JOIN object o ON o.id = r.object_id ORDER BY r.id').all(),
        keys: db.prepare(`SELECT k.key, k.hash, a.uuid AS attribute, e.uuid AS event FROM correlation_key k JOIN attribute a ON a.id = k.attribute_id
          JOIN event e ON e.id = k.event_id ORDER BY a.id, k.key`).all(),
        events: db.prepare('SELECT id, uuid, attribute_count, object_count FROM event ORDER BY id').all(),
      }));
      engine.close();
      return { rows, dropped: report.items.flatMap((i) => i.issues.filter((x) => x.code === 'import.uuid-taken').map((x) => `${i.uuid} ${x.message}`)) };
    };
    const step = await dump('never');
    const bulk = await dump('always');
    // 700 plain and 2 object attributes an event; the two with a taken uuid (one alone, one in its object) are not stored.
    expect(step.rows.attributes.length).toBe(8 * 702);
    expect(step.dropped.length).toBe(2);
    expect(bulk.dropped).toEqual(step.dropped);
    expect(bulk.rows).toEqual(step.rows);
  });

  it('a write issued meanwhile commits on its own, seen by another connection before the import ends', async () => {
    const dir = tempDir();
    const feed = writeFeedFolder(join(dir, 'feed'), feedEvents(1, 400, 30));
    const engine = testEngine(dir, { bulkLoad: 'always' });
    const other = new Database(join(dir, 'library.sqlite'), { readonly: true });
    let importDone = false;
    let seenBeforeEnd: number | null = null;
    let added: Promise<unknown> | null = null;
    const ctx = watching((phase, done) => {
      if (phase !== 'importing' || done < 100 || added) return;
      added = engine.dispatcher.call('feeds.add', { name: 'added during bulk', provider: 'me', url: '/tmp/x' }, quietContext).then((r) => {
        seenBeforeEnd = importDone ? null : (other.prepare("SELECT count(*) FROM feed WHERE name = 'added during bulk'").pluck().get() as number);
        return r;
      });
    });
    const report = (await engine.dispatcher.call('feeds.import', { source: feed }, ctx)) as ImportAnswer;
    importDone = true;
    expect(report.ok && report.value.counts).toMatchObject({ added: 400, rejected: 0, attributes: 12_000 });
    expect(added).not.toBeNull();
    expect(((await added) as unknown as { ok: boolean }).ok).toBe(true);
    expect(seenBeforeEnd).toBe(1);
    other.close();
    engine.close();
  });

  it("a forced failure in the current merge step undoes that step only: the other write survives, every event is whole", async () => {
    const dir = tempDir();
    const feed = writeFeedFolder(join(dir, 'feed'), feedEvents(1, 300, 30));
    const engine = testEngine(dir, { bulkLoad: 'always', faults: { failStep: 2 } });
    let added: Promise<unknown> | null = null;
    const ctx = watching((phase, done) => {
      if (phase === 'importing' && done >= 50 && !added) added = engine.call('feeds.add', { name: 'survivor', provider: 'me', url: '/tmp/y' });
    });
    const report = (await engine.dispatcher.call('feeds.import', { source: feed }, ctx)) as ImportAnswer;
    await added;
    expect(report.ok && report.value.counts).toMatchObject({ added: 300, rejected: 0 });
    expect((await engine.call('feeds.list', {})).map((f) => f.settings.name)).toContain('survivor');
    const state = engine.read((db) => ({
      attributes: db.prepare('SELECT count(*) FROM attribute').pluck().get() as number,
      broken: db.prepare('SELECT count(*) FROM event e WHERE attribute_count <> (SELECT count(*) FROM attribute a WHERE a.event_id = e.id)').pluck().get() as number,
      integrity: db.pragma('integrity_check', { simple: true }),
    }));
    expect(state).toEqual({ attributes: 9_000, broken: 0, integrity: 'ok' });
    engine.close();
  });

  it('events.list and search.value answer from the previous snapshot, with every index in place', async () => {
    const dir = tempDir();
    const engine = testEngine(dir, { bulkLoad: 'always' });
    const earlier = feedEvents(5000, 20, 10);
    earlier[0]!.attributes[0]!.value = '198.51.100.7';
    await engine.call('feeds.import', { source: writeFeedFolder(join(dir, 'first'), earlier) });
    const indexes = () => engine.read((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").pluck().all());
    const before = indexes();
    expect(before).toEqual(expect.arrayContaining(['attribute_uuid', 'correlation_key_hash']));
    const knownValue = '198.51.100.7';
    const seen: { listed: number; hits: number; plan: string; indexes: unknown[] }[] = [];
    let pending: Promise<void> = Promise.resolve();
    const ctx = watching((phase) => {
      if (phase !== 'importing') return;
      pending = pending.then(async () => {
        const list = await engine.call('events.list', { limit: 50 });
        const search = await engine.call('search.value', { value: knownValue });
        const plan = engine.read((db) =>
          {
            const match = keyMatch('k', [knownValue]);
            return (db.prepare(`EXPLAIN QUERY PLAN SELECT k.attribute_id FROM correlation_key k WHERE ${match.sql}`).all(...match.params) as { detail: string }[]).map((r) => r.detail).join(' ');
          },
        );
        seen.push({ listed: list.total, hits: search.attributes.length, plan, indexes: indexes() });
      });
    });
    const report = (await engine.dispatcher.call('feeds.import', { source: writeFeedFolder(join(dir, 'second'), feedEvents(1, 300, 30)) }, ctx)) as ImportAnswer;
    await pending;
    expect(report.ok).toBe(true);
    expect(seen.length).toBeGreaterThan(2);
    // Reads happened part-way through, saw only whole steps (counts grow), and always found the earlier events.
    expect(seen.some((s) => s.listed > 20 && s.listed < 320)).toBe(true);
    expect(seen.map((s) => s.listed)).toEqual(seen.map((s) => s.listed).sort((a, b) => a - b));
    for (const s of seen) {
      expect(s.hits).toBe(1);
      expect(s.indexes).toEqual(before);
      expect(s.plan).toMatch(/USING (COVERING )?INDEX correlation_key_hash/);
    }
    engine.close();
  });

  it('an event stored meanwhile by another connection is left to the update rule, not duplicated', async () => {
    const dir = tempDir();
    const events = feedEvents(1, 200, 10);
    const feed = writeFeedFolder(join(dir, 'feed'), events);
    const engine = testEngine(dir, { bulkLoad: 'always' });
    // An older version of the last event, stored by "another process" once the import has started.
    const older = writeFeedFolder(join(dir, 'older'), [{ ...events[199]!, timestamp: 1_600_000_000 }]);
    let sideImport: Promise<unknown> | null = null;
    const ctx = watching((phase, done) => {
      if (phase === 'importing' && done >= 20 && !sideImport) sideImport = engine.call('feeds.import', { source: older });
    });
    const report = (await engine.dispatcher.call('feeds.import', { source: feed }, ctx)) as ImportAnswer;
    await sideImport;
    expect(report.ok).toBe(true);
    expect(count(engine, 'event')).toBe(200);
    expect(count(engine, 'attribute')).toBe(2_000);
    const last = engine.read((db) => db.prepare('SELECT timestamp FROM event WHERE uuid = ?').pluck().get(events[199]!.uuid));
    expect(last).toBe(1_700_000_000);
    engine.close();
  });
});

function writeHashesFeed(dir: string, values: readonly string[]): string {
  const events = [{ uuid: testUuid(), timestamp: 1_700_000_000, attributes: [{ uuid: testUuid(), value: values[0]! }] }];
  const feed = writeFeedFolder(dir, events);
  const md5 = (v: string) => createHash('md5').update(v).digest('hex');
  writeFileSync(join(feed, 'hashes.csv'), values.map((v) => `${md5(v)},${events[0]!.uuid}\n`).join(''));
  return feed;
}

describe('during a cache run (staged, merged in steps, swapped in)', () => {
  const saved = { ...cacheTuning };
  afterEach(() => Object.assign(cacheTuning, saved));

  it("a write issued meanwhile survives a forced failure in the cache's current step; the previous cache stays live", async () => {
    const dir = tempDir();
    const engine = testEngine(dir);
    const small = writeHashesFeed(join(dir, 'feed'), ['first.example', 'second.example']);
    const first = await engine.call('feeds.import', { source: small, mode: 'cache' });
    expect(first.counts.cachedValues).toBe(2);

    const many = Array.from({ length: 20_000 }, (_, i) => `host-${i}.example`);
    writeHashesFeed(join(dir, 'feed'), many);
    Object.assign(cacheTuning, { firstStepRows: 1_000, maxStepRows: 1_000, maxUnitRows: 1_000 });
    let added: Promise<unknown> | null = null;
    cacheTuning.beforeMergeStep = (step) => {
      if (step === 2) added = engine.call('feeds.add', { name: 'added during cache', provider: 'me', url: '/tmp/z' });
    };
    cacheTuning.failMergeStep = 3;
    const failed = (await engine.dispatcher.call('feeds.import', { source: small, mode: 'cache' }, quietContext)) as ImportAnswer;
    await added;
    expect(added).not.toBeNull();
    // The run reports its failure (as an error value, with its code) …
    const outcome = failed.ok ? failed.value.status : failed.error.code;
    expect(outcome).not.toBe('done');
    // … the other write is kept, and the cache searched is still the previous one, whole.
    expect((await engine.call('feeds.list', {})).map((f) => f.settings.name)).toContain('added during cache');
    expect((await engine.call('search.value', { value: 'second.example' })).cacheHits).toHaveLength(1);
    expect((await engine.call('search.value', { value: 'host-5.example' })).cacheHits).toHaveLength(0);

    cacheTuning.failMergeStep = undefined;
    cacheTuning.beforeMergeStep = undefined;
    const again = await engine.call('feeds.import', { source: small, mode: 'cache' });
    expect(again.counts.cachedValues).toBe(20_000);
    expect((await engine.call('search.value', { value: 'host-5.example' })).cacheHits).toHaveLength(1);
    await engine.idle();
    expect(count(engine, 'feed_cache')).toBe(20_000);
    expect(engine.read((db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
    engine.close();
  });
});
