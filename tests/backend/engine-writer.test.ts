/**
 * The one writer with real SQLite files and real processes: a write issued while an import runs lands in its own
 * transaction and survives whatever the import does; readers see committed snapshots only; another process can
 * write the same file at the same time; and every client hears about every change, its own or another process's.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { quietContext, type HandlerContext } from '../../electron/backend/dispatch';
import { startWebHost } from '../../electron/webhost/server';
import type { ChannelOutput } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import type { LibraryChangedEvent, ServerMessage } from '../../shared/ipc/wire';
import { testEngine } from '../support/engine';
import { testUuid, writeFeedFolder, type TestEvent } from '../support/feed-builder';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();
const ROOT = resolve(__dirname, '..', '..');

/** `events` events of `attributes` attributes each, uuids offset by `base` so two feeds never share one. */
function feedEvents(base: number, events: number, attributes: number): TestEvent[] {
  return Array.from({ length: events }, (_, n) => ({
    uuid: testUuid(base + n),
    timestamp: 1_700_000_000,
    attributes: Array.from({ length: attributes }, (_, i) => ({
      uuid: testUuid(base * 1000 + n * attributes + i + 1_000_000_000),
      value: `10.${(base + n) % 250}.${Math.floor(i / 250)}.${i % 250}`,
    })),
  }));
}

/** A context whose progress callback runs `onProgress` (to act while an import is under way). */
function watching(onProgress: (phase: string, done: number) => void): HandlerContext {
  return { signal: quietContext.signal, progress: (p) => onProgress(p.phase, p.done) };
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ferry.cjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('one writer', () => {
  it('a write issued during a fetch commits on its own, visible to another connection before the import ends', async () => {
    const dir = tempDir();
    const feed = writeFeedFolder(join(dir, 'feed'), feedEvents(1, 600, 60));
    const engine = testEngine(dir, { bulkLoad: 'never' });
    let importDone = false;
    let added: Promise<unknown> | null = null;
    let seenBeforeEnd: number | null = null;
    const other = new Database(join(dir, 'library.sqlite'), { readonly: true });
    const ctx = watching((phase, done) => {
      if (phase !== 'importing' || done < 250 || added) return;
      added = engine.dispatcher.call('feeds.add', { name: 'added meanwhile', provider: 'me', url: '/tmp/x' }, quietContext).then((r) => {
        // Seen by a separate connection at once: the write committed in its own transaction.
        seenBeforeEnd = importDone ? null : (other.prepare("SELECT count(*) FROM feed WHERE name = 'added meanwhile'").pluck().get() as number);
        return r;
      });
    });
    const report = (await engine.dispatcher.call('feeds.import', { source: feed }, ctx).then((r) => {
      importDone = true;
      return r;
    })) as Envelope<ChannelOutput<'feeds.import'>>;
    expect(report.ok && report.value.counts.added).toBe(600);
    expect(added).not.toBeNull();
    expect(((await added) as unknown as { ok: boolean }).ok).toBe(true);
    expect(seenBeforeEnd).toBe(1);
    other.close();
    engine.close();
  });

  it('a forced failure in the import\'s current step undoes that step only: the other write survives, every event is whole', async () => {
    const dir = tempDir();
    const feed = writeFeedFolder(join(dir, 'feed'), feedEvents(1, 500, 50));
    const engine = testEngine(dir, { bulkLoad: 'never', faults: { failStep: 2 } });
    let added: Promise<unknown> | null = null;
    const ctx = watching((phase, done) => {
      if (phase === 'importing' && done >= 200 && !added) added = engine.call('feeds.add', { name: 'survivor', provider: 'me', url: '/tmp/y' });
    });
    const report = (await engine.dispatcher.call('feeds.import', { source: feed }, ctx)) as Envelope<ChannelOutput<'feeds.import'>>;
    await added;
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    // The failed step's events were written again one step each: nothing is lost, nothing is counted twice.
    expect(report.value.counts.added).toBe(500);
    expect(report.value.counts.rejected).toBe(0);
    const names = (await engine.call('feeds.list', {})).map((f) => f.settings.name);
    expect(names).toContain('survivor');
    const { events, attributes, whole } = engine.read((db) => ({
      events: db.prepare('SELECT count(*) FROM event').pluck().get() as number,
      attributes: db.prepare('SELECT count(*) FROM attribute').pluck().get() as number,
      whole: db.prepare('SELECT count(*) FROM event e WHERE attribute_count <> (SELECT count(*) FROM attribute a WHERE a.event_id = e.id)').pluck().get() as number,
    }));
    expect([events, attributes, whole]).toEqual([500, 25_000, 0]);
    expect(engine.read((db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
    engine.close();
  });

  it('reads during a fetch see committed events only, each one whole', async () => {
    const dir = tempDir();
    const feed = writeFeedFolder(join(dir, 'feed'), feedEvents(1, 600, 40));
    const engine = testEngine(dir, { bulkLoad: 'never' });
    const seen: number[] = [];
    const partial: number[] = [];
    const ctx = watching((phase) => {
      if (phase !== 'importing') return;
      const r = engine.read((db) => ({
        events: db.prepare('SELECT count(*) FROM event').pluck().get() as number,
        partial: db.prepare('SELECT count(*) FROM event e WHERE attribute_count <> 40 OR (SELECT count(*) FROM attribute a WHERE a.event_id = e.id) <> 40').pluck().get() as number,
      }));
      seen.push(r.events);
      partial.push(r.partial);
    });
    await engine.dispatcher.call('feeds.import', { source: feed }, ctx);
    expect(Math.max(...partial)).toBe(0);
    // Counts only grow, and some reads happened while the import was half done.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.some((n) => n > 0 && n < 600)).toBe(true);
    engine.close();
  });

  it('a read handle cannot write: SQLite refuses it too', () => {
    const dir = tempDir();
    const engine = testEngine(dir);
    expect(() => engine.read((db) => db.prepare("INSERT INTO tag (name) VALUES ('x')").run())).toThrow(/readonly/i);
    engine.close();
  });
});

describe('several processes on one library', () => {
  it('the CLI imports while the engine writes: both complete, nothing lost, integrity ok', async () => {
    const dir = tempDir();
    const cliFeed = writeFeedFolder(join(dir, 'cli-feed'), feedEvents(10_000, 300, 40));
    const appFeed = writeFeedFolder(join(dir, 'app-feed'), feedEvents(20_000, 300, 40));
    const engine = testEngine(dir, { bulkLoad: 'never' });
    const db = join(dir, 'library.sqlite');
    const child = cli(['import', cliFeed, '--feed', 'from the cli', '--db', db, '--json']);
    const adds = Array.from({ length: 20 }, (_, i) => engine.call('feeds.add', { name: `feed ${i}`, provider: 'me', url: `/tmp/f${i}` }));
    const ours = engine.call('feeds.import', { source: appFeed, feedName: 'from the app' });
    const [theirs] = await Promise.all([child, ours, ...adds]);
    expect(theirs.code, theirs.stderr).toBe(0);
    expect((JSON.parse(theirs.stdout) as { counts: { added: number } }).counts.added).toBe(300);
    const counts = engine.read((r) => ({
      events: r.prepare('SELECT count(*) FROM event').pluck().get(),
      attributes: r.prepare('SELECT count(*) FROM attribute').pluck().get(),
      feeds: r.prepare('SELECT count(*) FROM feed').pluck().get(),
      integrity: r.pragma('integrity_check', { simple: true }),
    }));
    expect(counts).toEqual({ events: 600, attributes: 24_000, feeds: 22, integrity: 'ok' });
    engine.close();
  }, 60_000);

  it('library.changed reaches a browser-mode client for a write made by a separate CLI process', async () => {
    const dir = tempDir();
    const staticDir = join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Ferry</title>');
    const engine = testEngine(dir, { watchMs: 100 });
    const host = await startWebHost({ dispatcher: engine.dispatcher, staticDir, port: 0 });
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { headers: { origin: `http://127.0.0.1:${host.port}` } });
    await new Promise((ok, ko) => {
      ws.on('open', ok);
      ws.on('error', ko);
    });
    const changes: LibraryChangedEvent[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as ServerMessage;
      if (m.kind === 'event' && m.event.type === 'library.changed') changes.push(m.event);
    });
    const r = await cli(['feeds', 'add', '--name', 'made elsewhere', '--provider', 'cli', '--url', '/tmp/z', '--db', join(dir, 'library.sqlite')]);
    expect(r.code, r.stderr).toBe(0);
    const deadline = Date.now() + 5000;
    while (!changes.some((c) => c.external && c.feeds) && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
    expect(changes.find((c) => c.external)).toMatchObject({ external: true, feeds: true, events: 'all' });
    // And this engine's own writes are announced with what they touched.
    changes.length = 0;
    await engine.call('feeds.add', { name: 'made here', provider: 'me', url: '/tmp/h' });
    while (!changes.some((c) => c.feeds) && Date.now() < deadline + 2000) await new Promise((ok) => setTimeout(ok, 20));
    expect(changes[0]).toMatchObject({ external: false, feeds: true, events: [] });
    ws.close();
    await host.close();
    engine.close();
  }, 30_000);
});
