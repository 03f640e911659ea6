/**
 * The paged event view against a real library: one generated event of 5,000 attributes (4,000 of its own, 1,000 in
 * 250 objects with references), imported through the engine, then read with events.get / events.attributes and
 * checked against the event as written: pages, offsets, the cursor, every sort, every filter, totals, tags, objects.
 * The preview channels must answer the same for the same event read from the feed folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quietContext } from '../../electron/backend/dispatch';
import type { ReadHandle } from '../../electron/backend/db/handles';
import { closePreviews } from '../../electron/backend/feeds/preview-store';
import { FIRST_PAGE, readAttributePage } from '../../electron/backend/db/queries/event-page';
import type { ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../support/cli';
import { testEngine, writeDirect } from '../support/engine';
import { testUuid } from '../support/feed-builder';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();

type Page = ChannelOutput<'events.attributes'>;
type PageInput = ChannelInput<'events.attributes'>;

interface Expected {
  uuid: string;
  type: string;
  category: string;
  value: string;
  toIds: boolean;
  comment: string;
  timestamp: number;
  deleted: boolean;
  tags: string[];
  objectUuid: string | null;
  objectRelation: string | null;
}

const EVENT_UUID = testUuid(900_001);
const TOP_LEVEL = 4_000;
const OBJECTS = 250;
const TAGS = ['malware', 'phishing', 'kill-chain:c2'];
const CATEGORIES = ['Network activity', 'Payload delivery'] as const;

/** A deterministic event with every column varied, and the attributes in the order the file lists them. */
function buildEvent(): { json: unknown; attributes: Expected[]; objectUuids: string[] } {
  let n = 0;
  const uuid = () => testUuid(1_000_000 + ++n);
  const attributes: Expected[] = [];
  const raw = (e: Expected) => ({
    uuid: e.uuid, type: e.type, category: e.category, value: e.value, to_ids: e.toIds, comment: e.comment,
    timestamp: String(e.timestamp), ...(e.deleted ? { deleted: true } : {}), ...(e.objectRelation ? { object_relation: e.objectRelation } : {}),
    ...(e.tags.length ? { Tag: e.tags.map((name) => ({ name, colour: '#ff0000' })) } : {}),
  });
  const topLevel = Array.from({ length: TOP_LEVEL }, (_, i): Expected => {
    const kind = i % 4;
    const type = ['ip-dst', 'domain', 'md5', 'text'][kind]!;
    const value =
      kind === 0 ? `10.${(i * 7) % 256}.${(i * 13) % 256}.${i % 250}` :
      kind === 1 ? `host${(i * 7919) % 10_000}.example${i % 3 === 0 ? '-emotet' : ''}.com` :
      kind === 2 ? ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(4) :
      `note ${(i * 31) % 1000} about Emotet`;
    return {
      uuid: uuid(), type, category: kind === 3 ? 'Other' : kind === 2 ? (i % 8 === 2 ? 'Artifacts dropped' : 'Payload delivery') : CATEGORIES[i % 2]!, value, toIds: kind !== 3 && i % 5 !== 0,
      comment: i % 7 === 0 ? `Comment ${i % 11}` : '', timestamp: 1_700_000_000 + ((i * 37) % 5000), deleted: i % 97 === 0,
      tags: i % 10 === 0 ? [TAGS[i % 3]!] : i % 33 === 0 ? [TAGS[0]!, TAGS[2]!] : [], objectUuid: null, objectRelation: null,
    };
  });
  attributes.push(...topLevel);
  const objectUuids: string[] = [];
  const objects = Array.from({ length: OBJECTS }, (_, o) => {
    const objectUuid = uuid();
    objectUuids.push(objectUuid);
    const file = o % 2 === 0;
    const parts: Expected[] = Array.from({ length: 4 }, (_, k): Expected => ({
      uuid: uuid(),
      type: file ? (['filename', 'md5', 'sha1', 'size-in-bytes'] as const)[k]! : (['domain', 'ip-dst', 'hostname', 'port'] as const)[k]!,
      category: file ? (k === 3 ? 'Other' : 'Payload delivery') : 'Network activity',
      value: file
        ? [`dropper_${o}.exe`, ((o * 40503) >>> 0).toString(16).padStart(32, 'a'), ((o * 7) >>> 0).toString(16).padStart(40, 'b'), String(1000 + o)][k]!
        : [`c2-${o}.example.net`, `192.0.2.${o % 250}`, `www.c2-${o}.example.net`, String(1024 + o)][k]!,
      toIds: k < 2, comment: '', timestamp: 1_700_001_000 + o, deleted: false, tags: [], objectUuid,
      objectRelation: file ? ['filename', 'md5', 'sha1', 'size-in-bytes'][k]! : ['domain', 'ip', 'hostname', 'port'][k]!,
    }));
    attributes.push(...parts);
    const target = o > 0 ? objectUuids[o - 1]! : topLevel[1]!.uuid;
    return {
      uuid: objectUuid, name: file ? 'file' : 'domain-ip', 'meta-category': file ? 'file' : 'network', description: `object ${o}`,
      template_uuid: file ? '688c46fb-5edb-40a3-8273-1af7923e2215' : '43b3b146-77eb-4931-b4cc-b66c60f28734', template_version: '1',
      comment: o % 5 === 0 ? `sample ${o}` : '', timestamp: String(1_700_001_000 + o),
      ObjectReference: [{ uuid: uuid(), object_uuid: objectUuid, referenced_uuid: target, relationship_type: file ? 'communicates-with' : 'related-to', timestamp: String(1_700_001_000 + o), comment: '' }],
      Attribute: parts.map(raw),
    };
  });
  const json = {
    Event: {
      uuid: EVENT_UUID, info: 'Paged event', date: '2024-02-02', timestamp: '1700009999', publish_timestamp: '1700009999', published: true,
      analysis: '2', threat_level_id: '2', Orgc: { name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
      Tag: [{ name: 'tlp:white', colour: '#ffffff' }], Attribute: topLevel.map(raw), Object: objects,
    },
  };
  return { json, attributes, objectUuids };
}

function writeFeed(dir: string, json: unknown): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${EVENT_UUID}.json`), JSON.stringify(json));
  const entry = { info: 'Paged event', date: '2024-02-02', timestamp: 1700009999, analysis: 2, threat_level_id: 2, Orgc: { name: 'CIRCL' }, Tag: [{ name: 'tlp:white' }] };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ [EVENT_UUID]: entry }));
  return dir;
}

async function setUp() {
  const dir = tempDir();
  const built = buildEvent();
  const feed = writeFeed(join(dir, 'feed'), built.json);
  const engine = testEngine(dir, { watchMs: 0 });
  const report = await engine.call('feeds.import', { source: feed });
  expect(report.counts.added).toBe(1);
  return { ...built, feed, engine, db: join(dir, 'library.sqlite') };
}

type Setup = Awaited<ReturnType<typeof setUp>>;

const page = (s: Setup, input: Omit<PageInput, 'uuid'> = {}) => s.engine.call('events.attributes', { uuid: EVENT_UUID, ...input });

/** Every row of an order, read 1000 at a time by offset. */
async function allRows(s: Setup, input: Omit<PageInput, 'uuid' | 'offset' | 'limit'> = {}): Promise<{ rows: Page['rows']; total: number }> {
  const rows: Page['rows'] = [];
  for (let offset = 0; ; offset += 1000) {
    const p = await page(s, { ...input, offset, limit: 1000 });
    expect(p.offset).toBe(offset);
    rows.push(...p.rows);
    if (p.rows.length < 1000) return { rows, total: p.total };
  }
}

const KEY: Record<NonNullable<PageInput['sort']>, (a: Expected) => string | number | boolean> = {
  id: () => 0,
  type: (a) => a.type,
  category: (a) => a.category,
  value: (a) => a.value,
  timestamp: (a) => a.timestamp,
  toIds: (a) => (a.toIds ? 1 : 0),
  comment: (a) => a.comment,
};

/** The expected order: by key, then by position in the file (= row id), both in the chosen direction. */
function sortedUuids(list: readonly Expected[], sort: NonNullable<PageInput['sort']>, direction: 'asc' | 'desc', all: readonly Expected[]): string[] {
  const position = new Map(all.map((a, i) => [a.uuid, i]));
  const sign = direction === 'asc' ? 1 : -1;
  return [...list]
    .sort((x, y) => {
      const kx = KEY[sort](x);
      const ky = KEY[sort](y);
      if (kx !== ky) return (kx < ky ? -1 : 1) * sign;
      return (position.get(x.uuid)! - position.get(y.uuid)!) * sign;
    })
    .map((a) => a.uuid);
}

describe('the paged event view (events.get, events.attributes)', () => {
  it('opens with the header, counts and the first 200 attributes in the event\'s order, with their tags', async () => {
    const s = await setUp();
    const view = await s.engine.call('events.get', { uuid: EVENT_UUID });
    expect(view).toMatchObject({ uuid: EVENT_UUID, info: 'Paged event', date: '2024-02-02', orgName: 'CIRCL', feedName: 'feed', locallyEdited: false, issues: [] });
    expect(view.tags.map((t) => t.name)).toEqual(['tlp:white']);
    const deleted = s.attributes.filter((a) => a.deleted).length;
    expect(view.counts).toEqual({ attributes: 5_000, deleted, objects: OBJECTS, deletedObjects: 0 });
    expect(view.page.total).toBe(5_000);
    expect(view.page.offset).toBe(0);
    expect(view.page.rows.map((r) => r.uuid)).toEqual(s.attributes.slice(0, 200).map((a) => a.uuid));
    expect(view.page.objects).toEqual([]);
    for (const [i, r] of view.page.rows.entries()) {
      const a = s.attributes[i]!;
      expect(r).toMatchObject({ type: a.type, category: a.category, value: a.value, toIds: a.toIds, comment: a.comment, timestamp: a.timestamp, deleted: a.deleted, objectUuid: null });
      expect(r.tags.map((t) => t.name).sort()).toEqual([...a.tags].sort());
    }
    expect(view.page.rows.some((r) => r.tags.length > 1)).toBe(true);
    s.engine.close();
  });

  it('pages by offset and by cursor through every attribute, objects included, each page with its objects', async () => {
    const s = await setUp();
    const { rows, total } = await allRows(s);
    expect(total).toBe(5_000);
    expect(rows.map((r) => r.uuid)).toEqual(s.attributes.map((a) => a.uuid));
    for (const [i, r] of rows.entries()) {
      expect(r.objectUuid).toBe(s.attributes[i]!.objectUuid);
      expect(r.objectRelation).toBe(s.attributes[i]!.objectRelation);
      expect(r.tags.map((t) => t.name).sort()).toEqual([...s.attributes[i]!.tags].sort());
    }
    // The cursor walks the same order (both ways) without offsets.
    for (const direction of ['asc', 'desc'] as const) {
      const walked: string[] = [];
      let after: number | undefined;
      for (;;) {
        const p = await page(s, { limit: 700, direction, ...(after !== undefined ? { after } : {}) });
        if (after !== undefined) expect(p.offset).toBeNull();
        walked.push(...p.rows.map((r) => r.uuid));
        if (p.rows.length < 700) break;
        after = p.rows.at(-1)!.id;
      }
      const expected = s.attributes.map((a) => a.uuid);
      expect(walked).toEqual(direction === 'asc' ? expected : expected.reverse());
    }
    // A page in the objects: every object of its rows is summarised, with its references and their targets.
    const objectPage = await page(s, { offset: 4_000, limit: 10 });
    expect(objectPage.objects.map((o) => o.uuid)).toEqual([s.objectUuids[0], s.objectUuids[1], s.objectUuids[2]]);
    const [first, second] = objectPage.objects;
    expect(first).toMatchObject({ name: 'file', metaCategory: 'file', attributeCount: 4, matching: 4, referenceCount: 1, comment: 'sample 0' });
    expect(first!.references[0]).toMatchObject({ relationshipType: 'communicates-with', referencedUuid: s.attributes[1]!.uuid, target: `domain ${s.attributes[1]!.value}` });
    expect(second!.references[0]).toMatchObject({ relationshipType: 'related-to', target: 'file object (sample 0)' });
    s.engine.close();
  });

  it('sorts by every column, both ways, with the row id breaking ties', async () => {
    const s = await setUp();
    for (const sort of ['type', 'category', 'value', 'timestamp', 'toIds', 'comment', 'id'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const { rows, total } = await allRows(s, { sort, direction });
        expect(total, `${sort} ${direction}`).toBe(5_000);
        expect(rows.map((r) => r.uuid), `${sort} ${direction}`).toEqual(sortedUuids(s.attributes, sort, direction, s.attributes));
      }
    }
    // A deep page of a sorted order is a slice of the same order.
    const deep = await page(s, { sort: 'value', direction: 'desc', offset: 3_100, limit: 50 });
    expect(deep.rows.map((r) => r.uuid)).toEqual(sortedUuids(s.attributes, 'value', 'desc', s.attributes).slice(3_100, 3_150));
    s.engine.close();
  });

  it('filters in SQL: text, type, category, to_ids, deleted, one object, top level only — with the filtered total', async () => {
    const s = await setUp();
    const cases: [NonNullable<PageInput['filter']>, (a: Expected) => boolean][] = [
      [{ text: 'EMOTET' }, (a) => a.value.toLowerCase().includes('emotet')],
      [{ text: 'kill-chain' }, (a) => a.tags.includes('kill-chain:c2')],
      [{ text: 'comment 3' }, (a) => a.comment.toLowerCase().includes('comment 3')],
      [{ text: 'sample 5' }, (a) => a.objectUuid !== null && [5, 50, 55].some((o) => a.objectUuid === s.objectUuids[o])],
      [{ text: '100%' }, () => false],
      [{ type: 'md5' }, (a) => a.type === 'md5'],
      [{ category: 'Other' }, (a) => a.category === 'Other'],
      [{ toIds: false, category: 'Network activity' }, (a) => !a.toIds && a.category === 'Network activity'],
      [{ includeDeleted: false }, (a) => !a.deleted],
      [{ objectUuid: s.objectUuids[7]! }, (a) => a.objectUuid === s.objectUuids[7]],
      [{ objectUuid: null, type: 'ip-dst' }, (a) => a.objectUuid === null && a.type === 'ip-dst'],
    ];
    for (const [filter, keep] of cases) {
      const expected = s.attributes.filter(keep);
      const { rows, total } = await allRows(s, { filter });
      expect(total, JSON.stringify(filter)).toBe(expected.length);
      expect(rows.map((r) => r.uuid), JSON.stringify(filter)).toEqual(expected.map((a) => a.uuid));
      const sorted = await allRows(s, { filter, sort: 'value', direction: 'desc' });
      expect(sorted.rows.map((r) => r.uuid), `${JSON.stringify(filter)} by value`).toEqual(sortedUuids(expected, 'value', 'desc', s.attributes));
    }
    // The cursor also walks a filtered order (found in the computed order, not by scanning).
    const md5s = s.attributes.filter((a) => a.type === 'md5').map((a) => a.uuid);
    const firstHalf = await page(s, { filter: { type: 'md5' }, limit: 400 });
    const rest = await page(s, { filter: { type: 'md5' }, limit: 1000, after: firstHalf.rows.at(-1)!.id });
    expect([...firstHalf.rows, ...rest.rows].map((r) => r.uuid)).toEqual(md5s);
    expect(rest).toMatchObject({ offset: null, total: md5s.length });
    // An object's page: its summary counts its attributes, and how many pass the filter.
    const one = await page(s, { filter: { objectUuid: s.objectUuids[8]!, toIds: true } });
    expect(one.rows.map((r) => r.objectRelation)).toEqual(['filename', 'md5'].filter((_, k) => k < 2));
    expect(one.objects).toHaveLength(1);
    expect(one.objects[0]).toMatchObject({ uuid: s.objectUuids[8], attributeCount: 4, matching: 2 });
    // No such object: an empty page, not an error.
    expect((await page(s, { filter: { objectUuid: testUuid(42) } })).total).toBe(0);
    s.engine.close();
  });

  it('refuses pages it cannot bound or order, and says when the event is not there', async () => {
    const s = await setUp();
    const call = (input: unknown) => s.engine.dispatcher.call('events.attributes', input, quietContext);
    expect((await call({ uuid: EVENT_UUID, limit: 1001 })).ok).toBe(false);
    expect((await call({ uuid: EVENT_UUID, sort: 'data' })).ok).toBe(false);
    expect((await call({ uuid: EVENT_UUID, sort: 'value', after: 10 })).ok).toBe(false);
    expect((await call({ uuid: EVENT_UUID, offset: 5, after: 10 })).ok).toBe(false);
    expect((await call({ uuid: EVENT_UUID, filter: { objectUuid: 'not-a-uuid' } })).ok).toBe(false);
    const missing = await call({ uuid: testUuid(77) });
    expect(!missing.ok && missing.error.code).toBe('not-found');
    const get = await s.engine.dispatcher.call('events.get', { uuid: testUuid(77) }, quietContext);
    expect(!get.ok && get.error.code).toBe('not-found');
    s.engine.close();
  });

  it('reads tags, objects and references of a page in a fixed number of queries, whatever its size', async () => {
    const s = await setUp();
    const statements = (limit: number) =>
      s.engine.read((db) => {
        let prepared = 0;
        const counting = new Proxy(db, {
          get(target, prop) {
            if (prop === 'prepare') return (sql: string) => (prepared++, target.prepare(sql));
            const v = Reflect.get(target, prop) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        }) as ReadHandle;
        const p = readAttributePage(counting, EVENT_UUID, { ...FIRST_PAGE, offset: 3_900, limit });
        return { prepared, rows: p!.rows.length, objects: p!.objects.length };
      });
    const small = statements(150);
    const large = statements(1000);
    expect(small.objects).toBeGreaterThan(0);
    expect(large).toMatchObject({ rows: 1000, objects: 225 });
    expect(large.prepared).toBe(small.prepared);
    expect(large.prepared).toBeLessThanOrEqual(8);
    s.engine.close();
  });

  it('never answers from an order computed before a commit', async () => {
    const s = await setUp();
    const before = await page(s, { sort: 'value', limit: 1 });
    await writeDirect(s.engine, (db) => {
      db.prepare("UPDATE attribute SET value = '0.0.0.0-first' WHERE uuid = ?").run(s.attributes[3_999]!.uuid);
    });
    const after = await page(s, { sort: 'value', limit: 1 });
    expect(before.rows[0]!.uuid).not.toBe(s.attributes[3_999]!.uuid);
    expect(after.rows[0]).toMatchObject({ uuid: s.attributes[3_999]!.uuid, value: '0.0.0.0-first' });
    s.engine.close();
  });
});

describe('the previewed event (feeds.previewEvent, feeds.previewAttributes)', () => {
  it('answers like the stored event, from the feed folder, nothing stored', async () => {
    const s = await setUp();
    try {
      const stored = await s.engine.call('events.get', { uuid: EVENT_UUID });
      const preview = await s.engine.call('feeds.previewEvent', { source: s.feed, uuid: EVENT_UUID });
      // An import files the event under its feed, with the feed's distribution; the preview has the file's.
      const { feedId, feedName, distribution, page: storedPage, ...storedHeader } = stored;
      expect([feedId !== null, feedName, distribution]).toEqual([true, 'feed', 0]);
      expect(preview).toMatchObject({ ...storedHeader, feedId: null, feedName: null, distribution: null });
      // Row ids are each database's own; an import fills a missing distribution with 5 (inherit), the file has none.
      const strip = (p: Page) => p.rows.map(({ id: _id, distribution: _d, ...r }) => r);
      expect(strip(preview.page)).toEqual(strip(storedPage));
      for (const input of [
        { offset: 4_100, limit: 300 },
        { sort: 'value' as const, direction: 'desc' as const, offset: 2_000 },
        { filter: { text: 'emotet', includeDeleted: false } },
        { filter: { objectUuid: s.objectUuids[3]! } },
      ]) {
        const a = await page(s, input);
        const b = await s.engine.call('feeds.previewAttributes', { source: s.feed, uuid: EVENT_UUID, ...input });
        expect(b.total, JSON.stringify(input)).toBe(a.total);
        expect(strip(b), JSON.stringify(input)).toEqual(strip(a));
        expect(b.objects.map(({ distribution: _d, ...o }) => o)).toEqual(a.objects.map(({ distribution: _d, ...o }) => o));
      }
      // Dropped from the cache (or never opened): read again from the folder.
      closePreviews();
      const again = await s.engine.call('feeds.previewAttributes', { source: s.feed, uuid: EVENT_UUID, offset: 4_990 });
      expect(again.rows).toHaveLength(10);
      const missing = await s.engine.dispatcher.call('feeds.previewAttributes', { source: s.feed, uuid: testUuid(5) }, quietContext);
      expect(!missing.ok && missing.error.code).toBe('not-found');
    } finally {
      closePreviews();
      s.engine.close();
    }
  });
});

/** `ferry …` in its own process, with room for a few MB of output (support/cli's ferry() keeps Node's 1 MB cap). */
function ferry(args: readonly string[]) {
  const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'ferry.cjs'), ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: <T,>() => JSON.parse(r.stdout) as T };
}

describe('ferry event show', () => {
  it('streams the event: one JSON document with every attribute and object, or text in the event\'s order', async () => {
    const s = await setUp();
    s.engine.close();
    const json = ferry(['event', 'show', EVENT_UUID, '--db', s.db, '--json']);
    expect(json.code).toBe(0);
    const doc = json.json<{ uuid: string; counts: { attributes: number }; attributes: { uuid: string; objectUuid: string | null }[]; objects: { uuid: string; attributeCount: number }[] }>();
    expect(doc.uuid).toBe(EVENT_UUID);
    expect(doc.counts.attributes).toBe(5_000);
    expect(doc.attributes.map((a) => a.uuid)).toEqual(s.attributes.map((a) => a.uuid));
    expect(doc.objects.map((o) => o.uuid)).toEqual(s.objectUuids);
    expect(doc.objects.every((o) => o.attributeCount === 4)).toBe(true);

    const text = ferry(['event', 'show', EVENT_UUID, '--db', s.db]);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('Paged event');
    expect(text.stdout).toContain(`5000 attributes (${s.attributes.filter((a) => a.deleted).length} deleted), 250 objects`);
    const objectLine = lines.findIndex((l) => l.startsWith(`object file ${s.objectUuids[0]} · 4 attributes · sample 0`));
    expect(objectLine).toBeGreaterThan(TOP_LEVEL);
    expect(lines[objectLine + 1]).toContain('→ communicates-with domain');
    expect(lines[objectLine + 2]).toContain('filename (filename)');
    expect(lines.filter((l) => l.startsWith('object ')).length).toBe(OBJECTS);

    const preview = ferry(['preview', s.feed, '--event', EVENT_UUID, '--json', '--db', s.db]);
    expect(preview.code).toBe(0);
    expect(preview.json<{ attributes: unknown[] }>().attributes).toHaveLength(5_000);
  }, 120_000);
});
