import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareFeedEvent } from '../../shared/feed/event-writer';
import { loadEvent } from '../../electron/backend/db/queries/event-load';
import { watch } from '../support/child-exit';
import { PROJECT_ROOT, ferry } from '../support/cli';
import { testEngine, writeDirect } from '../support/engine';
import { eventJson, testUuid, writeFeedFolder, type TestEvent } from '../support/feed-builder';
import { needsPymisp, pymispCheck, pymispUnavailable } from '../support/pymisp-check';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { useTempDirs } from '../support/temp';
import { zipFolder } from '../support/zips';

const tempDir = useTempDirs();

function event(n: number, tags: string[], extra: Partial<TestEvent> = {}): TestEvent {
  return {
    uuid: testUuid(5000 + n),
    info: `event ${n}`,
    tags,
    attributes: [
      { uuid: testUuid(60_000 + n * 10), value: `198.51.100.${n}` },
      { uuid: testUuid(60_000 + n * 10 + 1), type: 'domain', value: `host${n}.example.org` },
    ],
    ...extra,
  };
}

/** A library holding `events`, imported from a feed folder the way a user does it. */
async function libraryWith(events: TestEvent[]) {
  const dir = tempDir();
  const feed = writeFeedFolder(join(dir, 'feed'), events);
  const engine = testEngine(dir);
  await engine.call('feeds.import', { source: feed });
  return { dir, engine };
}

const manifestKeys = (dir: string) => Object.keys(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as object).sort();

describe('export: stored events out as a MISP feed', () => {
  it('selects exactly the events with either positive tag and without privint (tlp:white|feed-export|!privint)', async () => {
    const events = [
      event(1, ['tlp:white']),
      event(2, ['Feed-Export']), // MISP's tag match is case-insensitive
      event(3, ['tlp:white', 'privint']),
      event(4, ['tlp:amber']),
      event(5, ['feed-export', 'tlp:white']),
      event(6, []),
    ];
    const { dir, engine } = await libraryWith(events);
    const filter = { tags: 'tlp:white|feed-export|!privint' };
    expect(await engine.call('export.count', { filter })).toEqual({ events: 3, attributes: 6 });
    const out = join(dir, 'out');
    const report = await engine.call('export.run', { target: out, filter });
    expect(report).toMatchObject({ selected: 3, events: 3, attributes: 6, format: 'folder', dryRun: false });
    expect(manifestKeys(out)).toEqual([events[0]!, events[1]!, events[4]!].map((e) => e.uuid).sort());
    expect(readdirSync(out).sort()).toEqual([...[1, 2, 5].map((n) => `${testUuid(5000 + n)}.json`), 'SHA256SUMS', 'hashes.csv', 'manifest.json'].sort());
    engine.close();
  });

  it('filters on orgs, published and dates, and a dry run writes nothing', async () => {
    const { dir, engine } = await libraryWith([event(1, [], { org: 'CIRCL' }), event(2, [], { org: 'ACME' })]);
    expect(await engine.call('export.count', { filter: { orgs: '!ACME' } })).toMatchObject({ events: 1 });
    expect(await engine.call('export.count', { filter: { orgs: 'circl' } })).toMatchObject({ events: 1 });
    expect(await engine.call('export.count', { filter: { dateFrom: '2024-01-02' } })).toMatchObject({ events: 0 });
    expect(await engine.call('export.count', { filter: { dateUntil: '2024-01-01', published: true } })).toMatchObject({ events: 2 });
    const bad = await engine.dispatcher.call('export.count', { filter: { dateFrom: 'last tuesday' } }, { signal: new AbortController().signal, progress: () => {} });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const dry = await engine.call('export.run', { target: join(dir, 'dry'), dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, events: 2, digests: null });
    expect(existsSync(join(dir, 'dry'))).toBe(false);
    engine.close();
  });

  it('leaves out events and attributes whose distribution is not exported, and excluded types', async () => {
    const { dir, engine } = await libraryWith([event(1, []), event(2, [])]);
    const out = join(dir, 'out');
    const report = await engine.call('export.run', { target: out, options: { excludeTypes: ['domain'] } });
    expect(report).toMatchObject({ events: 2, attributes: 2 });
    const text = readFileSync(join(out, `${testUuid(5001)}.json`), 'utf8');
    expect(text).not.toContain('"domain"');
    engine.close();
  });

  it('writes SHA256SUMS that sha256sum -c accepts, and manifest integrity fields that match the files', async () => {
    const { dir, engine } = await libraryWith([event(1, ['tlp:white']), event(2, [])]);
    const out = join(dir, 'out');
    await engine.call('export.run', { target: out });
    const check = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout.trim().split('\n')).toHaveLength(4);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, { 'integrity:sha256': string }>;
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8');
    for (const [uuid, entry] of Object.entries(manifest)) expect(sums).toContain(`${entry['integrity:sha256']}  ${uuid}.json\n`);
    engine.close();
  });

  it('refuses a folder that is not empty and not a feed, naming it, and leaves it untouched', async () => {
    const { dir, engine } = await libraryWith([event(1, [])]);
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    writeFileSync(join(notes, 'report.docx'), 'mine');
    const r = await engine.dispatcher.call('export.run', { target: notes }, { signal: new AbortController().signal, progress: () => {} });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-target' } });
    expect(!r.ok && r.error.message).toContain('report.docx');
    expect(readdirSync(notes)).toEqual(['report.docx']);
    // And nothing hidden was left beside it.
    expect(readdirSync(dir).filter((n) => n.includes('.ferry-'))).toEqual([]);
    engine.close();
  });

  it('replaces an earlier export in the same folder, and writes a zip that verifies the same way', async () => {
    const { dir, engine } = await libraryWith([event(1, []), event(2, [])]);
    const out = join(dir, 'out');
    await engine.call('export.run', { target: out, filter: { events: [testUuid(5001)] } });
    expect(manifestKeys(out)).toEqual([testUuid(5001)]);
    await engine.call('export.run', { target: out });
    expect(manifestKeys(out)).toEqual([testUuid(5001), testUuid(5002)]);
    expect(readdirSync(dir).filter((n) => n.includes('.ferry-'))).toEqual([]);
    const zip = join(dir, 'feed.zip');
    const report = await engine.call('export.run', { target: zip });
    expect(report.format).toBe('zip');
    expect(await engine.call('feeds.verify', { source: zip })).toMatchObject({ status: 'verified', kind: 'zip', checked: 4, files: [] });
    // The zip imports into a fresh library as the same events.
    const other = testEngine(tempDir());
    expect((await other.call('feeds.import', { source: zip })).counts).toMatchObject({ added: 2, attributes: 4, rejected: 0 });
    other.close();
    engine.close();
  });
});

describe('ferry verify: a feed checked against its SHA256SUMS', () => {
  async function exported() {
    const { dir, engine } = await libraryWith([event(1, []), event(2, ['tlp:white'])]);
    const out = join(dir, 'out');
    await engine.call('export.run', { target: out });
    engine.close();
    return { dir, out, db: join(dir, 'library.sqlite') };
  }
  const verify = (path: string, db: string) => ferry(['verify', path, '--json', '--db', db]);

  it('passes a good feed (exit 0)', async () => {
    const { out, db } = await exported();
    const r = verify(out, db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ status: 'verified', checked: 4, files: [] });
  });

  it.each([
    ['a flipped byte in an event file', (out: string) => flip(join(out, `${testUuid(5001)}.json`)), `${testUuid(5001)}.json`, 'differs'],
    ['a flipped byte in manifest.json', (out: string) => flip(join(out, 'manifest.json')), 'manifest.json', 'differs'],
    ['a flipped byte in hashes.csv', (out: string) => flip(join(out, 'hashes.csv')), 'hashes.csv', 'differs'],
    ['a removed event file', (out: string) => spawnSync('rm', [join(out, `${testUuid(5002)}.json`)]), `${testUuid(5002)}.json`, 'missing'],
    ['an added file', (out: string) => writeFileSync(join(out, 'extra.json'), '{}'), 'extra.json', 'added'],
  ])('exits 1 naming the file for %s', async (_what, alter, name, problem) => {
    const { out, db } = await exported();
    alter(out);
    const r = verify(out, db);
    expect(r.code).toBe(1);
    const report = r.json<{ status: string; files: { name: string; problem: string }[] }>();
    expect(report.status).toBe('altered');
    expect(report.files).toContainEqual(expect.objectContaining({ name, problem }));
    // sha256sum agrees on what it can see (it does not look for files that SHA256SUMS does not list).
    if (problem !== 'added') expect(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: out }).status).not.toBe(0);
  });

  it('checks a zip of the feed too, and says when a feed has no checksums at all', async () => {
    const { dir, out, db } = await exported();
    const zip = join(dir, 'copy.zip');
    flip(join(out, `${testUuid(5002)}.json`));
    await zipFolder(out, zip, 'out/');
    const r = verify(zip, db);
    expect(r.code).toBe(1);
    expect(r.json<{ files: unknown[] }>().files).toContainEqual(expect.objectContaining({ name: `${testUuid(5002)}.json`, problem: 'differs' }));
    const bare = writeFeedFolder(join(dir, 'bare'), [event(9, [])]);
    const unchecked = verify(bare, db);
    expect(unchecked.code).toBe(1);
    expect(unchecked.json()).toMatchObject({ status: 'unchecked' });
    expect(unchecked.stdout).toContain('no SHA256SUMS');
  });
});

function flip(path: string): void {
  const bytes = readFileSync(path);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(path, bytes);
}

describe('export of real feeds: the round trip and the outside judge', () => {
  // Everything the feed form carries, per event, as the strict writer prepares it from the library.
  function feedForms(engine: ReturnType<typeof testEngine>) {
    return engine.read((db) => {
      const uuids = db.prepare('SELECT uuid FROM event ORDER BY uuid').pluck().all() as string[];
      return uuids.map((u) => {
        const prepared = prepareFeedEvent(loadEvent(db, u)!.event);
        return prepared.status === 'written' ? prepared.value : prepared.status;
      });
    });
  }

  it.each(['tweetfeed', 'crowdsec-alerts'])(`%s: exported, judged by PyMISP, imported again: the same events${needsShared}${needsPymisp}`, async (name) => {
    if (!hasShared) return;
    const { engine, dir } = { engine: testEngine(tempDir()), dir: tempDir() };
    await engine.call('feeds.import', { source: sharedPath('fixtures', 'feeds', name) });
    const out = join(dir, name);
    const report = await engine.call('export.run', { target: out });
    expect(report.invalid).toEqual([]);
    if (!pymispUnavailable) {
      const verdict = pymispCheck(out);
      expect(verdict.code, verdict.output.slice(-3000)).toBe(0);
      expect(verdict.errors).toBe(0);
    }
    const again = testEngine(tempDir());
    const imported = await again.call('feeds.import', { source: out });
    expect(imported.counts.rejected).toBe(0);
    expect(feedForms(again)).toEqual(feedForms(engine));
    again.close();
    engine.close();
  });

  it(`killing the export at random points never leaves a feed that verifies but is not whole, and keeps the earlier export${needsShared}`, async () => {
    if (!hasShared) return;
    const dir = tempDir();
    const db = join(dir, 'library.sqlite');
    expect(ferry(['import', sharedPath('fixtures', 'feeds', 'tweetfeed'), '--db', db]).code).toBe(0);
    const out = join(dir, 'out');
    expect(ferry(['export', out, '--events', '2e035642-c558-5019-89f2-bc7bdf8b34ce', '--db', db]).code).toBe(0);
    const earlier = readFileSync(join(out, 'SHA256SUMS'), 'utf8');
    for (const delay of [300, 900, 1600]) {
      const child = watch(spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'ferry.cjs'), 'export', out, '--incremental', '--db', db], { stdio: 'ignore' }));
      await new Promise((r) => setTimeout(r, delay));
      await child.kill();
      if (!existsSync(out)) {
        // Killed between its two renames: the earlier feed waits beside the folder, for the next export to put back.
        expect(readdirSync(dir).some((n) => n.startsWith('.out.ferry-old-'))).toBe(true);
        continue;
      }
      const v = ferry(['verify', out, '--json', '--db', db]);
      // Either the earlier export, whole, or the new one, whole: never anything in between.
      expect(v.json()).toMatchObject({ status: 'verified' });
      const now = readFileSync(join(out, 'SHA256SUMS'), 'utf8');
      expect(now === earlier || now.split('\n').length === 368).toBe(true);
    }
    // The next export tidies whatever the killed ones left beside the folder.
    expect(ferry(['export', out, '--db', db]).code).toBe(0);
    expect(readdirSync(dir).filter((n) => n.includes('.ferry-'))).toEqual([]);
    // Generous: on a loaded two-core machine the first command may have to build the CLI bundle.
  }, 300_000);
});

describe('incremental export: only what changed is rewritten, deletions travel as tombstones', () => {
  it('keeps unchanged files byte for byte, rewrites an edited event, carries a deleted one as deleted', async () => {
    const events = [1, 2, 3, 4].map((n) => event(n, ['tlp:white']));
    const { dir, engine } = await libraryWith(events);
    const out = join(dir, 'out');
    const first = await engine.call('export.run', { target: out, incremental: true });
    expect(first.changes).toEqual({ added: 4, changed: 0, unchanged: 0, deleted: 0, dropped: 0 });
    const file = (n: number) => join(out, `${testUuid(5000 + n)}.json`);
    const inode = (n: number) => statSync(file(n)).ino;
    const before = [1, 2, 3, 4].map((n) => readFileSync(file(n), 'utf8'));
    const inodes = [1, 2, 3, 4].map(inode);

    const again = await engine.call('export.run', { target: out, incremental: true });
    expect(again.changes).toEqual({ added: 0, changed: 0, unchanged: 4, deleted: 0, dropped: 0 });
    // Kept, not rewritten: the very same files (hard links on this file system).
    expect([1, 2, 3, 4].map(inode)).toEqual(inodes);

    // An edit (newer timestamp, new value) to event 1; event 2 deleted here.
    await writeDirect(engine, (db) => {
      db.prepare(`UPDATE attribute SET value = '198.51.100.201', timestamp = 1800000000 WHERE uuid = ?`).run(testUuid(60_010));
      db.prepare('UPDATE event SET timestamp = 1800000000 WHERE uuid = ?').run(testUuid(5001));
      db.prepare('DELETE FROM event WHERE uuid = ?').run(testUuid(5002));
    });
    const dry = await engine.call('export.run', { target: out, incremental: true, dryRun: true });
    expect(dry.changes).toEqual({ added: 0, changed: 1, unchanged: 2, deleted: 1, dropped: 0 });
    expect(dry.changeList.map((c) => [c.uuid, c.change])).toEqual([[testUuid(5001), 'changed'], [testUuid(5002), 'deleted']]);
    expect(readFileSync(file(1), 'utf8')).toBe(before[0]); // a dry run writes nothing

    const third = await engine.call('export.run', { target: out, incremental: true });
    expect(third.changes).toMatchObject({ changed: 1, unchanged: 2, deleted: 1 });
    expect(readFileSync(file(1), 'utf8')).toContain('198.51.100.201');
    expect([3, 4].map((n) => readFileSync(file(n), 'utf8'))).toEqual([before[2], before[3]]);
    const tombstone = JSON.parse(readFileSync(file(2), 'utf8')) as { Event: { timestamp: string; Attribute: { deleted: boolean; timestamp: string }[] } };
    expect(tombstone.Event.Attribute.every((a) => a.deleted === true)).toBe(true);
    expect(Number(tombstone.Event.timestamp)).toBeGreaterThan(1_700_000_000);
    expect((await engine.call('feeds.verify', { source: out })).status).toBe('verified');
    if (!pymispUnavailable) {
      const verdict = pymispCheck(out);
      expect(verdict.errors, verdict.output.slice(-2500)).toBe(0);
    }

    // A consumer that imported the first export receives the deletion: the attributes of event 2 become deleted.
    const consumer = testEngine(tempDir());
    await consumer.call('feeds.import', { source: writeFeedFolder(join(tempDir(), 'orig'), events) });
    await consumer.call('feeds.import', { source: out });
    const deleted = consumer.read((db) => db.prepare('SELECT count(*) FROM attribute a JOIN event e ON e.id = a.event_id WHERE e.uuid = ? AND a.deleted = 1').pluck().get(testUuid(5002)));
    expect(deleted).toBe(2);

    // A tombstone already written is kept as it is on the next run, not deleted again.
    const fourth = await engine.call('export.run', { target: out, incremental: true });
    expect(fourth.changes).toMatchObject({ unchanged: 3, deleted: 0 });
    consumer.close();
    engine.close();
  });

  it('rewrites every file when the writing options changed, and refuses an incremental zip', async () => {
    const { dir, engine } = await libraryWith([event(1, []), event(2, [])]);
    const out = join(dir, 'out');
    await engine.call('export.run', { target: out, incremental: true });
    const other = await engine.call('export.run', { target: out, incremental: true, options: { excludeTypes: ['domain'] } });
    expect(other.changes).toMatchObject({ changed: 2, unchanged: 0 });
    const zip = await engine.dispatcher.call('export.run', { target: join(dir, 'f.zip'), incremental: true }, { signal: new AbortController().signal, progress: () => {} });
    expect(zip).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const history = await engine.call('export.history', {});
    expect(history.map((h) => h.changes.changed)).toEqual([2, 0]);
    engine.close();
  });
});

describe('export profiles: saved settings run again in one command', () => {
  it('saves a profile with an export, runs it again by name, lists and removes it', async () => {
    const { dir, engine } = await libraryWith([event(1, ['tlp:white']), event(2, ['tlp:amber'])]);
    const db = join(dir, 'library.sqlite');
    engine.close();
    const out = join(dir, 'usb', 'feed');
    mkdirSync(join(dir, 'usb'));
    const first = ferry(['export', out, '--tags', 'tlp:white', '--incremental', '--save-profile', 'USB weekly', '--json', '--db', db]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json()).toMatchObject({ events: 1 });
    const again = ferry(['export', '--profile', 'usb weekly', '--json', '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ events: 1, incremental: true, changes: { unchanged: 1 } });
    expect(ferry(['profiles', 'list', '--db', db]).stdout).toContain('USB weekly: ' + out + ' (incremental) tags tlp:white');
    const history = ferry(['exports', '--json', '--db', db]).json<{ profile: string | null }[]>();
    expect(history.map((h) => h.profile)).toEqual(['USB weekly', 'USB weekly']);
    expect(ferry(['profiles', 'remove', 'USB weekly', '--db', db]).code).toBe(0);
    const gone = ferry(['export', '--profile', 'USB weekly', '--db', db]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('no export profile named "USB weekly"');
  });
});

describe('lossless: what the source had comes back out', () => {
  it.each(['never', 'always'] as const)('keeps each event\'s and attribute\'s tags in the source\'s order (bulk load: %s)', async (bulkLoad) => {
    const dir = tempDir();
    // The library meets the tags in one order, then an event with them the other way round.
    const first = event(1, ['alpha', 'beta', 'gamma']);
    const second = event(2, ['gamma', 'alpha', 'beta']);
    const feed = writeFeedFolder(join(dir, 'feed'), [first, second]);
    const json = JSON.parse(readFileSync(join(feed, `${second.uuid}.json`), 'utf8')) as { Event: { Attribute: { Tag?: unknown[] }[] } };
    json.Event.Attribute[0]!.Tag = [{ name: 'zeta' }, { name: 'alpha' }];
    writeFileSync(join(feed, `${second.uuid}.json`), JSON.stringify(json));
    const engine = testEngine(dir, { bulkLoad });
    await engine.call('feeds.import', { source: feed });
    const out = join(dir, 'out');
    await engine.call('export.run', { target: out });
    const written = JSON.parse(readFileSync(join(out, `${second.uuid}.json`), 'utf8')) as { Event: { Tag: { name: string }[]; Attribute: { Tag?: { name: string }[] }[] } };
    expect(written.Event.Tag.map((t) => t.name)).toEqual(['gamma', 'alpha', 'beta']);
    expect(written.Event.Attribute[0]!.Tag?.map((t) => t.name)).toEqual(['zeta', 'alpha']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, { Tag: { name: string }[] }>;
    expect(manifest[second.uuid]!.Tag.map((t) => t.name)).toEqual(['gamma', 'alpha', 'beta']);
    engine.close();
  });
});

/** MISP 2.5 analyst data and a CryptographicKey on every kind of holder, as a MISP REST export carries them. */
function withAnalystData(json: { Event: Record<string, unknown> & { Attribute: Record<string, unknown>[] } }, eventUuid: string) {
  const note = (n: number, on: string, type: string, text: string) => ({
    id: String(900 + n), uuid: testUuid(90_000 + n), object_uuid: on, object_type: type, authors: 'analyst@example.org',
    created: '2024-04-16 12:00:00', modified: '2024-04-16 12:00:00', distribution: '5', note: text, language: 'en',
    note_type_name: 'Note', _canEdit: true,
  });
  const event = json.Event;
  const attribute = event.Attribute[0]!;
  event['Note'] = [note(1, eventUuid, 'Event', 'seen in the wild')];
  event['Opinion'] = [
    { uuid: testUuid(90_010), object_uuid: eventUuid, object_type: 'Event', authors: 'a', created: '2024-04-16 12:00:00', distribution: '5', opinion: '80', comment: 'credible' },
    // PyMISP refuses an opinion over 100: it must not be written back.
    { uuid: testUuid(90_011), object_uuid: eventUuid, object_type: 'Event', authors: 'a', created: '2024-04-16 12:00:00', opinion: '150', comment: 'x' },
  ];
  attribute['Note'] = [{ ...note(2, attribute['uuid'] as string, 'Attribute', 'a C2 address'), Opinion: [{ id: '7', uuid: testUuid(90_012), object_uuid: testUuid(90_002), object_type: 'Note', authors: 'b', created: '2024-04-16 12:00:00', opinion: '20', comment: 'doubtful' }] }];
  attribute['Relationship'] = [{
    uuid: testUuid(90_020), object_uuid: attribute['uuid'], object_type: 'Attribute', authors: 'a', created: '2024-04-16 12:00:00',
    distribution: '5', related_object_uuid: eventUuid, related_object_type: 'Event', relationship_type: 'related-to',
  }];
  const objectUuid = testUuid(90_030);
  event['Object'] = [{
    uuid: objectUuid, name: 'domain-ip', 'meta-category': 'network', description: 'A domain and its IP addresses.',
    template_uuid: '43b3b146-77eb-4931-b4cc-b66c60f28734', template_version: '9', comment: '', timestamp: '1700000000',
    Attribute: [{
      uuid: testUuid(90_031), type: 'domain', category: 'Network activity', value: 'c2.example.net', object_relation: 'domain', to_ids: true,
      comment: '', timestamp: '1700000000', Note: [note(3, testUuid(90_031), 'Attribute', 'object attribute note')],
    }],
    Note: [note(4, objectUuid, 'Object', 'object note')],
  }];
  event['EventReport'] = [{ uuid: testUuid(90_040), name: 'Report', content: '# Findings', timestamp: '1700000000', distribution: '5', Note: [note(5, testUuid(90_040), 'EventReport', 'report note')] }];
  event['CryptographicKey'] = [{ id: '3', uuid: testUuid(90_050), type: 'pgp', key_data: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n…', fingerprint: 'ABCD', timestamp: '1700000000', parent_type: 'Event', parent_id: '12', revoked: false }];
}

describe('lossless: analyst data and cryptographic keys come back out', () => {
  type Written = { Event: Record<string, unknown> & { Attribute: Record<string, unknown>[]; Object: (Record<string, unknown> & { Attribute: Record<string, unknown>[] })[]; EventReport: Record<string, unknown>[] } };

  it.each(['never', 'always'] as const)(`keeps notes, opinions, relationships and keys on their items, drops what PyMISP refuses, and imports back the same (bulk load: %s)${needsPymisp}`, async (bulkLoad) => {
    const dir = tempDir();
    const source = event(1, ['tlp:white']);
    const feed = writeFeedFolder(join(dir, 'feed'), [source]);
    const path = join(feed, `${source.uuid}.json`);
    const json = JSON.parse(readFileSync(path, 'utf8')) as Written;
    withAnalystData(json, source.uuid);
    writeFileSync(path, JSON.stringify(json));
    const engine = testEngine(dir, { bulkLoad });
    const imported = await engine.call('feeds.import', { source: feed });
    expect(imported.counts.rejected).toBe(0);
    const issues = imported.items.flatMap((i) => i.issues);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'analyst-data.invalid', path: `${source.uuid}.json#/Event/Opinion/1` }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'event.cryptographic-keys-kept' }));

    const out = join(dir, 'out');
    expect((await engine.call('export.run', { target: out })).invalid).toEqual([]);
    const text = readFileSync(join(out, `${source.uuid}.json`), 'utf8');
    const written = JSON.parse(text) as Written;
    const e = written.Event;
    expect((e['Note'] as { note: string; id?: string; _canEdit?: boolean }[]).map((n) => [n.note, n.id, n._canEdit])).toEqual([['seen in the wild', undefined, undefined]]);
    expect((e['Opinion'] as { opinion: string }[]).map((o) => o.opinion)).toEqual(['80']);
    const attribute = e.Attribute.find((a) => a['uuid'] === source.attributes[0]!.uuid)!;
    expect(attribute['Note']).toEqual([expect.objectContaining({ note: 'a C2 address', Opinion: [expect.objectContaining({ opinion: '20', comment: 'doubtful' })] })]);
    expect((attribute['Note'] as Record<string, unknown>[])[0]!['Opinion']).toEqual([expect.not.objectContaining({ id: expect.anything() })]);
    expect(attribute['Relationship']).toEqual([expect.objectContaining({ relationship_type: 'related-to', related_object_uuid: source.uuid })]);
    expect(e.Object[0]!['Note']).toEqual([expect.objectContaining({ note: 'object note' })]);
    expect(e.Object[0]!.Attribute[0]!['Note']).toEqual([expect.objectContaining({ note: 'object attribute note' })]);
    expect(e.EventReport[0]!['Note']).toEqual([expect.objectContaining({ note: 'report note' })]);
    expect(e['CryptographicKey']).toEqual([{ fingerprint: 'ABCD', key_data: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n…', parent_type: 'Event', revoked: false, timestamp: '1700000000', type: 'pgp', uuid: testUuid(90_050) }]);
    // An attribute without analyst data gets no empty lists.
    expect(Object.keys(e.Attribute.find((a) => a['uuid'] !== source.attributes[0]!.uuid)!)).not.toContain('Note');
    if (!pymispUnavailable) {
      const verdict = pymispCheck(out);
      expect(verdict.code, verdict.output.slice(-3000)).toBe(0);
    }

    // A consumer library importing the export writes the very same file again.
    const again = testEngine(tempDir(), { bulkLoad });
    expect((await again.call('feeds.import', { source: out })).counts.rejected).toBe(0);
    const out2 = join(tempDir(), 'out2');
    await again.call('export.run', { target: out2 });
    expect(readFileSync(join(out2, `${source.uuid}.json`), 'utf8')).toBe(text);
    again.close();

    // A newer version of the event with an edited note replaces the stored note; another event cannot take its uuid.
    json.Event['timestamp'] = '1700000100';
    (json.Event['Note'] as { note: string }[])[0]!.note = 'seen in the wild, twice';
    writeFileSync(path, JSON.stringify(json));
    const thief = event(2, []);
    const thiefJson = eventJsonWithNote(thief, testUuid(90_001));
    writeFileSync(join(feed, `${thief.uuid}.json`), JSON.stringify(thiefJson));
    const manifest = JSON.parse(readFileSync(join(feed, 'manifest.json'), 'utf8')) as Record<string, { timestamp: number }>;
    manifest[source.uuid]!.timestamp = 1_700_000_100;
    manifest[thief.uuid] = { ...manifest[source.uuid]!, timestamp: 1_700_000_000 };
    writeFileSync(join(feed, 'manifest.json'), JSON.stringify(manifest));
    const updated = await engine.call('feeds.import', { source: feed });
    expect(updated.items.flatMap((i) => i.issues)).toContainEqual(expect.objectContaining({ code: 'import.uuid-taken', path: expect.stringContaining(testUuid(90_001)) }));
    const reloaded = engine.read((db) => loadEvent(db, source.uuid)!.event);
    expect(reloaded.analystData?.map((d) => d.body['note'])).toEqual(['seen in the wild, twice', undefined]);
    expect(engine.read((db) => loadEvent(db, thief.uuid)!.event.analystData)).toBeUndefined();
    engine.close();
  });
});

/** An event whose only note reuses `noteUuid`. */
function eventJsonWithNote(e: TestEvent, noteUuid: string) {
  const json = eventJson(e) as { Event: Record<string, unknown> };
  json.Event['Note'] = [{ uuid: noteUuid, object_uuid: e.uuid, object_type: 'Event', authors: 'x', created: '2024-04-16 12:00:00', note: 'not mine' }];
  return json;
}

describe('export beside writes', () => {
  it('writes the library as it was when the export began, while another request edits and deletes meanwhile', async () => {
    // Enough events that the export waits for its workers between batches, and the other write runs in between.
    const events = Array.from({ length: 120 }, (_, i) => event(i + 1, ['tlp:white']));
    const { dir, engine } = await libraryWith(events);
    const out = join(dir, 'out');
    let write: Promise<void> | null = null;
    const ctx = {
      signal: new AbortController().signal,
      // On the export's first progress, its snapshot is open: another request changes the library now.
      progress: () => {
        write ??= writeDirect(engine, (db) => {
          db.prepare("UPDATE event SET info = 'renamed meanwhile', timestamp = timestamp + 1 WHERE uuid = ?").run(testUuid(5119));
          db.prepare('DELETE FROM event WHERE uuid = ?').run(testUuid(5120));
        });
      },
    };
    const result = await engine.dispatcher.call('export.run', { target: out }, ctx);
    await write;
    expect(result).toMatchObject({ ok: true, value: { events: 120 } });
    // The export is the library before the write: every event, with its old title.
    expect(manifestKeys(out)).toEqual(events.map((e) => e.uuid).sort());
    expect(readFileSync(join(out, `${testUuid(5119)}.json`), 'utf8')).toContain('"info": "event 119"');
    // The write went through, and the export's own history row too.
    expect(engine.read((db) => db.prepare('SELECT count(*) FROM event').pluck().get())).toBe(119);
    expect(engine.read((db) => db.prepare('SELECT info FROM event WHERE uuid = ?').pluck().get(testUuid(5119)))).toBe('renamed meanwhile');
    expect(await engine.call('export.history', {})).toHaveLength(1);
    expect((await engine.call('feeds.verify', { source: out })).status).toBe('verified');
    engine.close();
  });
});
