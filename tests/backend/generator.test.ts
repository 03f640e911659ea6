import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvent } from '../../shared/feed/event-reader';
import { prepareFeedEvent } from '../../shared/feed/event-writer';
import { FeedGenerator } from '../../electron/backend/generator/feed-generator';
import { generateSigningKey, unlockSigner, checkDetached, readPublicKeys } from '../../electron/backend/keys/openpgp-keys';
import { loadObjectTemplates } from '../../electron/backend/reference/object-templates';
import { watch } from '../support/child-exit';
import { PROJECT_ROOT, ferry } from '../support/cli';
import { testEngine } from '../support/engine';
import { needsPymisp, pymispCheck, pymispUnavailable } from '../support/pymisp-check';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();
const ORG = { name: 'Honeynet Example', uuid: '3cb51cab-3c08-422a-aca3-dea1f9362979' };
const DAY1 = Date.UTC(2026, 11, 3, 9, 0, 0) / 1000;
const DAY2 = Date.UTC(2026, 11, 4, 0, 30, 0) / 1000;

/** A clock the test moves on by hand. */
function clock(start: number) {
  let t = start;
  return { now: () => t, set: (v: number) => (t = v), tick: (s = 1) => (t += s) };
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, { timestamp: number; date: string; info: string }>;
const verify = (dir: string) => ferry(['verify', dir, '--json']).json<{ status: string }>().status;

async function generator(dir: string, settings: Record<string, unknown> = {}, t = clock(DAY1)) {
  must(await FeedGenerator.init(dir, { org: ORG, info: 'Honeypot {date}', tags: ['tlp:white'], ...settings }));
  return { g: must(await FeedGenerator.open(dir, { now: t.now })), t };
}

describe('generator: daily events, flushes a MISP consumer takes as updates', () => {
  it('starts as an empty valid feed, and each flush verifies with a newer event and manifest timestamp', async () => {
    const dir = join(tempDir(), 'feed');
    const { g, t } = await generator(dir);
    expect(verify(dir)).toBe('verified');
    expect(manifestOf(dir)).toEqual({});
    must(g.addAttribute('ip-src', '203.0.113.9', { comment: 'scanner' }));
    must(g.addAttribute('domain', 'Bad.Example.COM'));
    const first = must(await g.flush())!;
    expect(verify(dir)).toBe('verified');
    const uuid = first.days[0]!.uuid;
    const before = manifestOf(dir)[uuid]!;
    expect(before).toMatchObject({ date: '2026-12-03', info: 'Honeypot 2026-12-03' });
    // Within the same second: the timestamps still move on, or MISP would skip the update.
    must(g.addAttribute('ip-src', '198.51.100.7'));
    must(await g.flush());
    const after = manifestOf(dir)[uuid]!;
    expect(after.timestamp).toBeGreaterThan(before.timestamp);
    const event = readEvent(readFileSync(join(dir, `${uuid}.json`), 'utf8')).value!;
    expect(event.timestamp).toBe(after.timestamp);
    expect(event.attributes.map((a) => a.value)).toEqual(['203.0.113.9', 'bad.example.com', '198.51.100.7']);
    // The format core's strict writer takes the file back as it is.
    expect(prepareFeedEvent(event)).toMatchObject({ status: 'written', issues: [] });
    expect(must(await g.flush())).toBeNull(); // nothing new: nothing written
    t.tick(3600);
    must(await g.close());
  });

  it('refuses bad items with the reason and writes nothing for them', async () => {
    if (!hasShared) return;
    const dir = join(tempDir(), 'feed');
    const { g } = await generator(dir, { templates: sharedPath('reference-data', 'misp-objects') });
    must(g.addAttribute('ip-src', '203.0.113.9'));
    must(await g.flush());
    const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8');
    const refusals = [
      g.addObject('cowrie', { username: 'root', password: '1234' }),
      g.addAttribute('ip-src', '999.1.1.1'),
      g.addAttribute('ip-src', '203.0.113.10', { category: 'Person' }),
      g.addAttribute('no-such-type', 'x'),
      g.addObject('no-such-template', { a: 'b' }),
      g.addSighting('192.0.2.200'),
    ];
    expect(refusals.map((r) => (r.ok ? 'accepted' : r.error.message))).toEqual([
      expect.stringMatching(/session.*required/),
      expect.stringContaining('999.1.1.1'),
      expect.stringContaining('"Person" is not one of its categories'),
      expect.stringContaining('not a MISP attribute type'),
      expect.stringContaining('no object template named "no-such-template"'),
      expect.stringContaining('no attribute with the value or uuid'),
    ]);
    expect(must(await g.flush())).toBeNull();
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toBe(sums);
    must(await g.close());
  }, needsShared ? 5_000 : 30_000);

  it('goes to a new event on a new day, resumes today\'s on restart, dedups and takes sightings', async () => {
    const dir = join(tempDir(), 'feed');
    const t = clock(DAY1);
    const { g } = await generator(dir, {}, t);
    const first = must(g.addAttribute('ip-src', '203.0.113.9'));
    t.tick(60);
    expect(must(g.addAttribute('ip-src', '203.0.113.9'))).toEqual({ uuid: first.uuid, merged: true });
    must(g.addAttribute('ip-dst', '203.0.113.9')); // another type: another indicator
    t.tick(60);
    expect(must(g.addSighting('203.0.113.9')).uuid).toBe(first.uuid);
    const day1 = must(await g.flush())!.days[0]!.uuid;
    must(await g.close());
    const a = readEvent(readFileSync(join(dir, `${day1}.json`), 'utf8')).value!.attributes;
    expect(a).toHaveLength(2);
    expect(a[0]).toMatchObject({ firstSeen: '2026-12-03T09:00:00+00:00', lastSeen: '2026-12-03T09:02:00+00:00' });

    // Restarted the same day: the same event grows.
    const again = must(await FeedGenerator.open(dir, { now: t.now }));
    expect(again.status().today).toMatchObject({ uuid: day1, attributes: 2, pending: false });
    expect(must(again.addAttribute('ip-src', '203.0.113.9')).merged).toBe(true);
    must(again.addAttribute('url', 'http://203.0.113.9/x.sh'));
    must(await again.flush());
    t.set(DAY2);
    must(again.addAttribute('ip-src', '192.0.2.1'));
    const second = must(await again.flush())!;
    must(await again.close());
    expect(second.days.map((d) => d.date)).toEqual(['2026-12-04']);
    const manifest = manifestOf(dir);
    expect(Object.values(manifest).map((e) => e.date).sort()).toEqual(['2026-12-03', '2026-12-04']);
    expect(readEvent(readFileSync(join(dir, `${day1}.json`), 'utf8')).value!.attributes.map((x) => x.value)).toEqual(['203.0.113.9', '203.0.113.9', 'http://203.0.113.9/x.sh']);
    expect(verify(dir)).toBe('verified');
  });

  it(`writes what Ferry imports without an issue and PyMISP loads${needsPymisp}${needsShared}`, async () => {
    if (!hasShared) return;
    const dir = join(tempDir(), 'feed');
    const { g } = await generator(dir, { templates: sharedPath('reference-data', 'misp-objects') });
    must(g.addAttribute('ip-src', '203.0.113.9', { tags: ['honeypot:login'] }));
    must(g.addAttribute('filename|sha256', 'x.sh|' + 'a'.repeat(64)));
    must(g.addObject('cowrie', { session: 'c0ffee', username: 'root', password: ['1234', 'admin'], src_ip: '203.0.113.9', protocol: 'ssh' }));
    must(await g.close());
    const engine = testEngine(tempDir());
    const report = await engine.call('feeds.import', { source: dir });
    expect(report.counts).toMatchObject({ added: 1, rejected: 0, attributes: 8 });
    expect(report.items.flatMap((i) => i.issues)).toEqual([]);
    expect(report.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    engine.close();
    if (!pymispUnavailable) {
      const verdict = pymispCheck(dir);
      expect(verdict.code, verdict.output.slice(-2000)).toBe(0);
    }
  });

  it('signs every flush when given a key, and the signatures check', async () => {
    const dir = join(tempDir(), 'feed');
    const key = must(await generateSigningKey('Sensor 7', undefined, 'correct horse'));
    const signer = must(await unlockSigner(key.privateArmored, 'correct horse', key.fingerprint));
    must(await FeedGenerator.init(dir, { org: ORG }));
    const g = must(await FeedGenerator.open(dir, { signer }));
    must(g.addAttribute('ip-src', '203.0.113.9'));
    must(await g.close());
    const known = must(await readPublicKeys(key.publicArmored, 'test'));
    for (const name of ['manifest.json', 'SHA256SUMS']) {
      const check = await checkDetached(readFileSync(join(dir, `${name}.asc`), 'utf8'), readFileSync(join(dir, name)), known);
      expect(check).toMatchObject({ status: 'good' });
    }
  });

  it('lets one generator at a time write a feed', async () => {
    const dir = join(tempDir(), 'feed');
    const { g } = await generator(dir);
    const second = await FeedGenerator.open(dir);
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    must(await g.close());
    must(await (must(await FeedGenerator.open(dir))).close());
  });
});

describe('ferry generate: the command line', () => {
  it('init, add-attribute, add-object, status, and ingest of NDJSON that reports rejected lines by number', () => {
    if (!hasShared) return;
    const dir = join(tempDir(), 'feed');
    expect(ferry(['generate', 'init', dir, '--org', ORG.name, '--info', 'Cowrie {date}', '--tag', 'tlp:white', '--templates', sharedPath('reference-data', 'misp-objects')]).code).toBe(0);
    expect(ferry(['generate', 'add-attribute', dir, 'ip-src', '203.0.113.9', '--comment', 'scanner']).code).toBe(0);
    const bad = ferry(['generate', 'add-object', dir, 'cowrie', 'username=root']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('session');
    expect(ferry(['generate', 'add-object', dir, 'cowrie', 'session=1', 'username=root', 'password=1234', 'password=admin']).code).toBe(0);
    const input = [
      '{"type": "ip-src", "value": "198.51.100.1", "comment": "from a file"}',
      '{"type": "ip-src", "value": "not an address"}',
      'not json',
      '',
      '{"object": "cowrie", "fields": {"session": "2", "username": "admin"}}',
      '{"sighting": "198.51.100.1"}',
      '{"colour": "blue"}',
    ].join('\n');
    const ingest = ferry(['generate', 'ingest', dir, '--json'], {}, input);
    expect(ingest.code).toBe(1);
    expect(ingest.json()).toMatchObject({ lines: 7, accepted: 3, rejected: 3, skipped: 0 });
    expect(ingest.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^line 2: ip-src "not an address"/),
      expect.stringMatching(/^line 3: not JSON/),
      expect.stringMatching(/^line 7: neither an attribute/),
    ]);
    const status = ferry(['generate', 'status', dir, '--json']).json<{ today: { attributes: number }; events: number }>();
    expect(status).toMatchObject({ events: 1, today: { attributes: 1 + 4 + 1 + 2 } });
    expect(ferry(['verify', dir]).code).toBe(0);
  });

  it('turns a cowrie JSON log into cowrie objects through a mapping, skipping the lines it does not map', () => {
    if (!hasShared) return;
    const dir = join(tempDir(), 'feed');
    expect(ferry(['generate', 'init', dir, '--org', ORG.name, '--templates', sharedPath('reference-data', 'misp-objects')]).code).toBe(0);
    const map = join(tempDir(), 'cowrie-map.json');
    writeFileSync(map, readFileSync(join(PROJECT_ROOT, 'examples', 'cowrie-login-map.json')));
    const log = [
      { eventid: 'cowrie.session.connect', src_ip: '203.0.113.5', session: 'a1', timestamp: '2026-12-03T09:00:00.123456Z' },
      { eventid: 'cowrie.login.failed', username: 'root', password: '123456', src_ip: '203.0.113.5', session: 'a1', protocol: 'ssh', timestamp: '2026-12-03T09:00:01.000000Z' },
      { eventid: 'cowrie.login.success', username: 'pi', password: 'raspberry', src_ip: '203.0.113.6', session: 'b2', protocol: 'telnet', timestamp: '2026-12-03T09:05:00.000000Z' },
    ].map((l) => JSON.stringify(l)).join('\n');
    const r = ferry(['generate', 'ingest', dir, '--map', map, '--json'], {}, log);
    expect(r.stderr).toBe('');
    expect(r.json()).toMatchObject({ accepted: 2, rejected: 0, skipped: 1 });
    const uuid = Object.keys(manifestOf(dir))[0]!;
    const event = readEvent(readFileSync(join(dir, `${uuid}.json`), 'utf8')).value!;
    expect(event.objects.map((o) => [o.name, o.firstSeen, o.attributes.find((a) => a.objectRelation === 'username')?.value])).toEqual([
      ['cowrie', '2026-12-03T09:00:01+00:00', 'root'],
      ['cowrie', '2026-12-03T09:05:00+00:00', 'pi'],
    ]);
  });
});

describe('generator: crash safety', () => {
  /** A child `ferry generate ingest` fed attribute lines as fast as it takes them. */
  function ingesting(dir: string, flushEvery: number, start: number) {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'ferry.cjs'), 'generate', 'ingest', dir, '--flush-every', String(flushEvery)], { stdio: ['pipe', 'ignore', 'ignore'] });
    let n = start;
    const feed = () => {
      while (child.stdin.writable) {
        const line = `{"type": "ip-src", "value": "10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}"}\n`;
        n++;
        if (!child.stdin.write(line)) return void child.stdin.once('drain', feed);
      }
    };
    child.stdin.on('error', () => {});
    feed();
    return child;
  }

  it('killed at 20 random points, leaves a folder that ferry verify accepts every time', async () => {
    const dir = join(tempDir(), 'feed');
    expect(ferry(['generate', 'init', dir, '--org', ORG.name]).code).toBe(0);
    let start = 0;
    for (let i = 0; i < 20; i++) {
      const child = watch(ingesting(dir, 0.05, start));
      start += 1_000_000;
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 700));
      await child.kill();
      if (!existsSync(dir)) {
        // Killed between the two renames: the last complete feed waits beside, and the next run puts it back.
        expect(readdirSync(join(dir, '..')).some((n) => n.startsWith('.feed.ferry-old-'))).toBe(true);
        expect(ferry(['generate', 'status', dir]).code).toBe(0);
      }
      expect(verify(dir), `after kill ${i + 1}`).toBe('verified');
    }
    const status = ferry(['generate', 'status', dir, '--json']).json<{ today: { attributes: number } }>();
    expect(status.today.attributes).toBeGreaterThan(0);
  }, 240_000);

  it('with the journal on, recovers on restart the items accepted before a kill', async () => {
    const dir = join(tempDir(), 'feed');
    expect(ferry(['generate', 'init', dir, '--org', ORG.name, '--journal']).code).toBe(0);
    // No flush before the kill: everything is in the journal only.
    const spawned = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'ferry.cjs'), 'generate', 'ingest', dir, '--flush-every', '3600'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const child = watch(spawned);
    const lines = Array.from({ length: 50 }, (_, i) => `{"type": "ip-src", "value": "192.0.2.${i + 1}"}\n`).join('');
    spawned.stdin.write(lines);
    const journal = join(dir, '..', '.feed.ferry-generator', 'journal.ndjson');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (!existsSync(journal) || readFileSync(journal, 'utf8').split('\n').length <= 50)) await new Promise((r) => setTimeout(r, 50));
    // Asked while the ingest runs: the status reads the folder without taking the feed from its writer.
    const watching = ferry(['generate', 'status', dir, '--json']).json<{ writer: number | null; today: { pending: boolean } }>();
    expect(watching).toMatchObject({ writer: spawned.pid, today: { pending: true } });
    await child.kill();
    expect(manifestOf(dir)).toEqual({});
    const flush = ferry(['generate', 'flush', dir, '--json']);
    expect(flush.code).toBe(0);
    const uuid = Object.keys(manifestOf(dir))[0]!;
    expect(readEvent(readFileSync(join(dir, `${uuid}.json`), 'utf8')).value!.attributes).toHaveLength(50);
    // Replayed once only: a second restart finds nothing left to add.
    expect(ferry(['generate', 'flush', dir, '--json']).json()).toBeNull();
    expect(readFileSync(journal, 'utf8')).toBe('');
  }, 120_000);
});

describe('object templates for the generator', () => {
  it(`come from the misp-objects folder given at init${needsShared}`, async () => {
    if (!hasShared) return;
    const loaded = await loadObjectTemplates(sharedPath('reference-data', 'misp-objects'));
    expect(loaded.ok && loaded.templates.has('cowrie')).toBe(true);
  });
});
