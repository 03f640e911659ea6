/**
 * What an earlier export left in a folder, for an incremental export to build on: its manifest entries, its
 * SHA256SUMS and its hashes.csv lines by event. And the tombstone of an event deleted here since: MISP never
 * removes an event pulled from a feed, so a deletion travels as the same event with every item `deleted: true`
 * under a newer timestamp (what MISP's own sync sends for a deleted attribute).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readEvent } from '../../../shared/feed/event-reader';
import { parseManifest, type ManifestEntry } from '../../../shared/feed/manifest';
import type { Event } from '../../../shared/model/event';
import { failure, success, type Result } from '../result';
import { CHECKSUMS_FILE, parseChecksums } from './checksums';

export interface PreviousFeed {
  readonly dir: string;
  readonly entries: ReadonlyMap<string, ManifestEntry>;
  /** SHA256SUMS of the earlier export, by file name (empty when it had none). */
  readonly sums: ReadonlyMap<string, string>;
  /** Each event's hashes.csv lines, verbatim with their newlines. */
  readonly hashLines: ReadonlyMap<string, string>;
}

async function readIfThere(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Null when the folder holds no feed yet (it does not exist, or is empty). */
export async function readPreviousFeed(dir: string): Promise<Result<PreviousFeed | null>> {
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) return success(null);
  let manifestText: string | null;
  let sumsText: string | null;
  let hashesText: string | null;
  try {
    manifestText = await readIfThere(join(dir, 'manifest.json'));
    if (manifestText === null) return success(null);
    sumsText = await readIfThere(join(dir, CHECKSUMS_FILE));
    hashesText = await readIfThere(join(dir, 'hashes.csv'));
  } catch (e) {
    return failure('unavailable', `${dir}: the earlier export cannot be read: ${(e as Error).message}`);
  }
  const manifest = parseManifest(manifestText, join(dir, 'manifest.json'));
  if (manifest.issues.some((i) => i.severity === 'error') && manifest.value.entries.length === 0) {
    return failure('bad-target', `${dir}: its manifest.json cannot be read (${manifest.issues[0]?.message ?? 'not a manifest'}); export without incremental to replace it`);
  }
  const hashLines = hashesText ? linesByEvent(hashesText) : new Map<string, string>();
  return success({
    dir,
    entries: new Map(manifest.value.entries.map((e) => [e.uuid, e])),
    sums: sumsText ? parseChecksums(sumsText).sums : new Map(),
    hashLines,
  });
}

/**
 * hashes.csv lines grouped by event uuid. An export writes each event's lines together, so they are taken as runs
 * (one slice of the text per event, no copy); lines of one event scattered through someone else's file are
 * gathered all the same.
 */
function linesByEvent(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let runStart = 0;
  let runUuid: string | null = null;
  const close = (end: number) => {
    if (runUuid === null || end <= runStart) return;
    const run = text.slice(runStart, end);
    const before = out.get(runUuid);
    out.set(runUuid, before === undefined ? run : before + run);
  };
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const comma = text.indexOf(',', start);
    if (comma > start && comma < end) {
      // The same uuid as the line before: still the same run. (Comparing a slice, which V8 makes without copying,
      // is several times faster here than startsWith at an offset.)
      const sameRun = runUuid !== null && end - comma - 1 === runUuid.length && text.slice(comma + 1, end) === runUuid;
      if (!sameRun) {
        close(start);
        runStart = start;
        runUuid = text.slice(comma + 1, end).trim().toLowerCase();
      }
    }
    start = end + 1;
  }
  close(Math.min(start, text.length));
  // A last line without its newline gets one, as every kept line is written back whole.
  for (const [uuid, lines] of out) if (!lines.endsWith('\n')) out.set(uuid, `${lines}\n`);
  return out;
}

/** Every attribute, object, reference and report of the event already deleted: a tombstone written earlier. */
function isTombstone(event: Event): boolean {
  return (
    event.attributes.every((a) => a.deleted === true) &&
    event.objects.every((o) => o.deleted === true && o.attributes.every((a) => a.deleted === true)) &&
    event.reports.every((r) => r.deleted === true)
  );
}

export type Tombstone = { readonly kind: 'new'; readonly event: Event } | { readonly kind: 'kept' } | { readonly kind: 'unreadable'; readonly message: string };

/** The deleted event's tombstone, from its earlier file: made now, or kept as it is when it already is one. */
export async function tombstoneOf(previous: PreviousFeed, uuid: string, now: number): Promise<Tombstone> {
  const file = join(previous.dir, `${uuid}.json`);
  const text = await readIfThere(file).catch(() => null);
  if (text === null) return { kind: 'unreadable', message: `${file} is missing` };
  const read = readEvent(text, { file, keepRawValues: true });
  const event = read.value;
  if (!event) return { kind: 'unreadable', message: `${file}: ${read.issues[0]?.message ?? 'not an event'}` };
  if (isTombstone(event)) return { kind: 'kept' };
  const gone = <T extends { readonly timestamp: number }>(item: T): T => ({ ...item, deleted: true, timestamp: Math.max(now, item.timestamp + 1) });
  return {
    kind: 'new',
    event: {
      ...event,
      // Strictly newer than what consumers hold, or MISP skips the update.
      timestamp: Math.max(now, event.timestamp + 1),
      attributes: event.attributes.map(gone),
      objects: event.objects.map((o) => ({ ...gone(o), attributes: o.attributes.map(gone), references: o.references.map(gone) })),
      reports: event.reports.map(gone),
    },
  };
}
