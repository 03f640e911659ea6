/**
 * Export figures: the L library (2,000 events, 1M attributes) written out as a feed folder and as a zip, beside a
 * baseline of JSON.parse + JSON.stringify(indent 2) + writeFile of the same event files, no checks, no manifest,
 * no fsync. The library is built once (an import of feed-L) and kept under the bench data folder beside a stamp,
 * so the export scenarios measure only the export, each in a process of its own. The full exports run the ferry
 * command itself (see ferryExport); the incremental one runs in this process, after its untimed first export.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { openEngine } from '../../electron/backend/engine';
import type { ExportReport } from '../../electron/backend/export/export-feed';
import { BENCH_ROOT, DATA_DIR, feedPaths } from './generate-feed';
import { PROJECT_ROOT } from '../support/cli';
import { timedFerry } from './ferry-run';
import { PYTHON, pymispUnavailable } from '../support/pymisp-check';
import { sharedPath } from '../support/shared-data';

export const EXPORT_LIBRARY = join(DATA_DIR, 'library-L.sqlite');
const STAMP = `${EXPORT_LIBRARY}.stamp.json`;

/** The feed-L stamp the library was imported from: a regenerated feed means a new library. */
function feedStamp(): string {
  return readFileSync(feedPaths('feed-L').stamp, 'utf8');
}

export function exportLibraryReady(): boolean {
  return existsSync(EXPORT_LIBRARY) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === feedStamp();
}

/** Imports feed-L into the kept library (a scenario of its own, run once). */
export async function prepareExportLibrary(): Promise<number> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(EXPORT_LIBRARY + suffix, { force: true });
  rmSync(STAMP, { force: true });
  const opened = openEngine({ dbPath: EXPORT_LIBRARY });
  if (!opened.ok) throw new Error(opened.error.message);
  const engine = opened.value;
  try {
    const ctx = { signal: new AbortController().signal, progress: () => {} };
    const r = await engine.dispatcher.call('feeds.import', { source: feedPaths('feed-L').dir }, ctx);
    if (!r.ok) throw new Error(r.error.message);
  } finally {
    engine.close();
  }
  writeFileSync(STAMP, feedStamp());
  return 0;
}

function outPath(kind: 'folder' | 'zip'): string {
  const dir = join(BENCH_ROOT, 'runs', `export-out-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return join(dir, kind === 'zip' ? 'feed.zip' : 'feed');
}

/**
 * One export of the whole kept library by the `ferry` command, as users run it (the prebuilt bundle and its
 * bundled export workers; from sources each worker would first compile TypeScript), timed by timedFerry.
 */
export async function ferryExport(kind: 'folder' | 'zip'): Promise<{ ms: number; items: number; figures: Record<string, number>; peakRssMB: number }> {
  const target = outPath(kind);
  try {
    const { ms, peakKB, out } = await timedFerry(['export', target, '--json', '--db', EXPORT_LIBRARY]);
    const report = JSON.parse(out) as ExportReport;
    if (report.invalid.length > 0) throw new Error(`${report.invalid.length} events not written`);
    return { ms, items: report.attributes, figures: { events: report.events, 'MB written': Math.round(report.bytes / 1024 ** 2) }, peakRssMB: peakKB / 1024 };
  } finally {
    rmSync(join(target, '..'), { recursive: true, force: true });
  }
}

/**
 * The incremental case: a full export into a folder (not timed), ten events edited in the library (a comment
 * changed, the event's timestamp bumped, as an edit here does), then the timed incremental export into it.
 */
export async function ferryIncrementalExport(): Promise<{ ms: number; items: number; figures: Record<string, number> }> {
  const opened = openEngine({ dbPath: EXPORT_LIBRARY });
  if (!opened.ok) throw new Error(opened.error.message);
  const engine = opened.value;
  const target = outPath('folder');
  const ctx = { signal: new AbortController().signal, progress: () => {} };
  try {
    const first = await engine.dispatcher.call('export.run', { target, incremental: true }, ctx);
    if (!first.ok) throw new Error(first.error.message);
    const edited = await engine.writer.write('bench: edit ten events', (step) => {
      const ids = step.db.prepare('SELECT id FROM event ORDER BY id LIMIT 10 OFFSET 500').pluck().all() as number[];
      for (const id of ids) {
        step.db.prepare('UPDATE event SET timestamp = timestamp + 1 WHERE id = ?').run(id);
        step.db.prepare(`UPDATE attribute SET comment = 'edited ' || timestamp, timestamp = timestamp + 1 WHERE id = (SELECT min(id) FROM attribute WHERE event_id = ?)`).run(id);
      }
      return { ok: true as const, value: ids.length };
    });
    if (!edited.ok) throw new Error(edited.error.message);
    const started = performance.now();
    const r = await engine.dispatcher.call('export.run', { target, incremental: true }, ctx);
    const ms = performance.now() - started;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    const report = r.value as ExportReport;
    return { ms, items: report.attributes, figures: { changed: report.changes.changed, unchanged: report.changes.unchanged } };
  } finally {
    engine.close();
    rmSync(join(target, '..'), { recursive: true, force: true });
  }
}

/** The floor: the same event files parsed, pretty-printed and written, nothing else. */
export function baselineExport(): number {
  const dir = feedPaths('feed-L').dir;
  const out = outPath('folder');
  mkdirSync(out, { recursive: true });
  let attributes = 0;
  try {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json') || name === 'manifest.json') continue;
      const event = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { Event: { Attribute?: unknown[]; Object?: { Attribute?: unknown[] }[] } };
      attributes += (event.Event.Attribute?.length ?? 0) + (event.Event.Object ?? []).reduce((n, o) => n + (o.Attribute?.length ?? 0), 0);
      writeFileSync(join(out, name), JSON.stringify(event, null, 2));
    }
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
  return attributes;
}

export interface PymispFigures {
  readonly events: number;
  readonly attributes: number;
  /** to_feed and writing, the generator's own work. */
  readonly seconds: number;
  /** MISPEvent.load_file of the same files, which a generator fed by a MISP server does not do. */
  readonly loadSeconds: number;
}

/**
 * PyMISP's to_feed over the events of feed-L (tests/bench/pymisp_to_feed.py), for the ratio the export issue asks
 * for; undefined, with the reason, when PyMISP cannot run here.
 */
export function pymispToFeed(): { figures: PymispFigures } | { unavailable: string } {
  if (pymispUnavailable) return { unavailable: pymispUnavailable };
  const out = outPath('folder');
  try {
    const r = spawnSync(PYTHON, [join(PROJECT_ROOT, 'tests', 'bench', 'pymisp_to_feed.py'), feedPaths('feed-L').dir, out, sharedPath('tools', 'pymisp-check')], {
      encoding: 'utf8',
      timeout: 1_200_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (r.status !== 0) return { unavailable: `pymisp_to_feed.py exited ${String(r.status)}: ${(r.stderr || r.stdout).slice(-300)}` };
    const j = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { events: number; attributes: number; seconds: number; load_seconds: number };
    return { figures: { events: j.events, attributes: j.attributes, seconds: j.seconds, loadSeconds: j.load_seconds } };
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}
