/**
 * Export: stored events out as a MISP feed, folder or zip. The events are chosen (db/queries/export-selection.ts)
 * and read on one snapshot of the library; each goes through the format core's strict writer (the file PyMISP's
 * to_feed would write, or nothing when MISP would refuse the event), and the feed is completed with manifest.json
 * (with the RFC's `integrity:sha256` per event), hashes.csv, SHA256SUMS and, when asked, detached OpenPGP
 * signatures, before it is put in place whole (atomic-target.ts).
 *
 * Incremental (into a folder holding an earlier export): an event whose timestamp has not moved since keeps its
 * earlier file byte for byte, provided the earlier export was made here with the same writing options and the
 * file still matches its checksum; an event deleted here since is carried as a tombstone (previous-feed.ts).
 *
 * The library is only read, on a snapshot of its own, so an export runs beside imports and edits; the one write is
 * the history row at the end, through the writer.
 */
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { manifestText } from '../../../shared/feed/feed-json';
import { issue, type Issue } from '../../../shared/feed/issues';
import type { ManifestEntry } from '../../../shared/feed/manifest';
import type { exportCountRequestSchema, exportCountSchema, exportReportSchema, exportRequestSchema } from '../../../shared/ipc/export-schemas';
import type { Distribution } from '../../../shared/model/levels';
import { readEventRows } from '../db/queries/event-load';
import { selectEvents, type SelectedEvent } from '../db/queries/export-selection';
import { lastExportTo, listExports, recordExport, storedEventUuids } from '../db/queries/export-runs';
import type { ReadHandle } from '../db/handles';
import { nowSeconds } from '../db/queries/feed-store';
import { findKey } from '../db/queries/key-store';
import { Snapshot } from '../db/snapshot';
import type { Writer } from '../db/writer';
import type { HandlerContext } from '../dispatch';
import { unlockSigner, type Signer } from '../keys/openpgp-keys';
import { failure, success, type Result } from '../result';
import { ENGINE_VERSION } from '../version';
import { openTarget, targetFormatOf, type FeedTarget } from './atomic-target';
import { CHECKSUMS_FILE, formatChecksums, sha256Hex } from './checksums';
import { readPreviousFeed, tombstoneOf, type PreviousFeed } from './previous-feed';
import { eventFiles, eventFilesFromRows, type EventFiles, type FileOptions } from './event-files';
import { startWriterPool, type WriterPool } from './writer-pool';

export type ExportRequest = z.output<typeof exportRequestSchema>;
export type ExportReport = z.output<typeof exportReportSchema>;
export type ExportCountRequest = z.output<typeof exportCountRequestSchema>;
export type ExportCount = z.output<typeof exportCountSchema>;
type ExportOptions = ExportRequest['options'];
type Change = ExportReport['changeList'][number]['change'];

export interface ExportEnvironment {
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
  readonly writer: Writer;
}

/** Warnings kept in the report; the count of the rest is given in a last line. */
const MAX_ISSUES = 200;
/** Events listed by what happened to them (unchanged ones are only counted). */
const MAX_CHANGES_LISTED = 1000;
/** Progress is pushed at most this often. */
const PROGRESS_MS = 100;

/** Rows sent to a worker in one batch: enough to make a message worth it, few enough to keep memory flat. */
const BATCH_EVENTS = 16;
const BATCH_CHARS = 4 * 1024 * 1024;
/** Earlier files checked by a worker in one go. */
const KEPT_GROUP = 64;

/**
 * Raised whenever the writer starts giving other bytes for the same stored event, so that an incremental export
 * made by an earlier build rewrites every file once. 2: analyst data and cryptographic keys are written back.
 */
const WRITER_REVISION = 2;

/**
 * What decides the bytes of an event file besides the event: the writing options and the writer. Two exports with
 * the same settings write the same file for the same event, so an incremental export may keep it.
 */
function settingsOf(options: ExportOptions): string {
  const canonical = {
    writer: `${ENGINE_VERSION}/${WRITER_REVISION}`,
    distributions: [...(options.distributions ?? [0, 1, 2, 3, 4, 5])].sort(),
    excludeTypes: [...(options.excludeTypes ?? [])].sort(),
    keepLocalTags: options.keepLocalTags,
    hashes: options.hashes,
  };
  return sha256Hex(JSON.stringify(canonical)).slice(0, 32);
}

function openSnapshot(env: ExportEnvironment): Result<Snapshot> {
  try {
    return success(new Snapshot(env.dbPath, env.sqliteBinding));
  } catch (e) {
    return failure('unavailable', `cannot read library ${env.dbPath}: ${(e as Error).message}`);
  }
}

/** How many events and attributes a filter selects: the live count an export screen shows before writing. */
export function countExport(env: ExportEnvironment, request: ExportCountRequest): Result<ExportCount> {
  const snapshot = openSnapshot(env);
  if (!snapshot.ok) return snapshot;
  try {
    const selected = selectEvents(snapshot.value.handle, request.filter);
    if (!selected.ok) return selected;
    return success({ events: selected.value.length, attributes: selected.value.reduce((n, e) => n + e.attributeCount, 0) });
  } finally {
    snapshot.value.close();
  }
}

/** The history as the export screen lists it: each run's counts, digests and signer from its kept report. */
export function exportHistory(db: ReadHandle, limit: number) {
  return listExports(db, limit).map((run) => {
    const report = JSON.parse(run.report) as ExportReport;
    return {
      id: run.id, profile: run.profile, target: run.target, format: run.format, startedAt: run.startedAt, finishedAt: run.finishedAt,
      events: report.events, attributes: report.attributes, changes: report.changes, digests: report.digests, signedBy: report.signedBy,
    };
  });
}

/** Everything the export accumulates for manifest.json, hashes.csv, SHA256SUMS and the report. */
class FeedParts {
  events = 0;
  attributes = 0;
  hashes = 0;
  skipped = 0;
  readonly invalid: ExportReport['invalid'] = [];
  /** By the event's place in the export, so the manifest lists events in the same order however they were written. */
  private readonly manifest: (ManifestEntry | undefined)[] = [];
  readonly sums = new Map<string, string>();
  readonly changes = { added: 0, changed: 0, unchanged: 0, deleted: 0, dropped: 0 };
  readonly changeList: ExportReport['changeList'] = [];
  private readonly issues: Issue[] = [];
  private droppedIssues = 0;

  warn(issues: readonly Issue[]): void {
    for (const i of issues) {
      if (this.issues.length < MAX_ISSUES) this.issues.push(i);
      else this.droppedIssues++;
    }
  }

  change(uuid: string, info: string, change: Change): void {
    this.changes[change]++;
    if (change !== 'unchanged' && this.changeList.length < MAX_CHANGES_LISTED) this.changeList.push({ uuid, info, change });
  }

  /** One event in the feed, at its place: its entry and its file's checksum (its hashes.csv lines go to the target). */
  add(place: number, fileName: string, entry: ManifestEntry, hashCount: number, sha256: string, attributes: number): void {
    this.manifest[place] = { ...entry, sha256 };
    this.sums.set(fileName, sha256);
    this.events++;
    this.hashes += hashCount;
    this.attributes += attributes;
  }

  manifestEntries(): ManifestEntry[] {
    return this.manifest.filter((e): e is ManifestEntry => e !== undefined);
  }

  finishIssues(): Issue[] {
    if (this.droppedIssues === 0) return this.issues;
    return [...this.issues, issue('info', 'export.issues-capped', '', `${this.droppedIssues} more warnings not listed`)];
  }
}

/** The earlier export an incremental one builds on, and whether its files may be kept (same settings, made here). */
interface Base {
  readonly previous: PreviousFeed;
  readonly reusable: boolean;
}

export async function exportFeed(env: ExportEnvironment, request: ExportRequest, ctx: HandlerContext): Promise<Result<ExportReport>> {
  const started = performance.now();
  const startedAt = nowSeconds();
  const target = resolve(request.target);
  const format = targetFormatOf(target);
  const settings = settingsOf(request.options);
  if (request.incremental && format === 'zip') {
    return failure('invalid-input', `${request.target}: an incremental export writes into a folder; a zip is always written whole`);
  }
  const snapshot = openSnapshot(env);
  if (!snapshot.ok) return snapshot;
  let out: FeedTarget | null = null;
  // Started first: the workers boot while the selection and the earlier export are read.
  const pool = startWriterPool();
  try {
    const db = snapshot.value.handle;
    const selected = selectEvents(db, request.filter);
    if (!selected.ok) return selected;
    let signer: Signer | null = null;
    if (request.sign) {
      // The passphrase is tried first: a wrong one must not cost a whole export.
      const key = findKey(db, request.sign.key, 'own');
      if (!key.ok) return key;
      const unlocked = await unlockSigner(key.value.privateArmored!, request.sign.passphrase, key.value.fingerprint);
      if (!unlocked.ok) return unlocked;
      signer = unlocked.value;
    }
    let base: Base | null = null;
    if (request.incremental) {
      const previous = await readPreviousFeed(target);
      if (!previous.ok) return previous;
      if (previous.value) {
        const last = lastExportTo(db, target);
        const lastSettings = last ? (JSON.parse(last.report) as { settings?: string }).settings : undefined;
        base = { previous: previous.value, reusable: lastSettings === settings };
      }
    }
    if (!request.dryRun) {
      const opened = await openTarget(target);
      if (!opened.ok) return opened;
      out = opened.value;
    }
    const parts = new FeedParts();
    const written = await writeEvents(snapshot.value, selected.value, request.options, base, out, parts, ctx, pool);
    if (!written.ok) {
      await out?.discard();
      return written;
    }
    if (base) {
      const carried = await carryDeletions(db, base.previous, new Set(selected.value.map((e) => e.uuid)), request.options, out, parts);
      if (!carried.ok) {
        await out?.discard();
        return carried;
      }
    }
    let digests: ExportReport['digests'] = null;
    if (out) {
      const finished = await finishFeed(out, parts, signer, ctx, request.target);
      if (!finished.ok) return finished;
      digests = finished.value;
    }
    const report: ExportReport = {
      target: request.target,
      format,
      dryRun: request.dryRun,
      incremental: base !== null,
      settings,
      selected: selected.value.length,
      events: parts.events,
      attributes: parts.attributes,
      hashes: parts.hashes,
      skipped: parts.skipped,
      changes: parts.changes,
      changeList: parts.changeList,
      invalid: parts.invalid,
      issues: parts.finishIssues(),
      bytes: out?.bytes ?? 0,
      digests,
      signedBy: signer && out ? { fingerprint: signer.fingerprint, userIds: [...signer.userIds] } : null,
      durationMs: Math.round(performance.now() - started),
    };
    if (out) {
      // History is kept after the feed is in place: a failed write of it loses a line of history, never the feed.
      await env.writer.write('export.record', (step) => {
        recordExport(step.db, { profile: request.profile ?? null, target, format, startedAt, finishedAt: nowSeconds(), report: JSON.stringify(report) });
        step.changed({ exports: true });
        return success(undefined);
      });
    }
    return success(report);
  } catch (e) {
    await out?.discard();
    return failure('unavailable', `export to ${request.target} failed: ${(e as Error).message}`);
  } finally {
    snapshot.value.close();
    await pool.close();
  }
}

/** manifest.json, hashes.csv, SHA256SUMS and the signatures, then the feed is put in place. */
async function finishFeed(out: FeedTarget, parts: FeedParts, signer: Signer | null, ctx: HandlerContext, shownAs: string): Promise<Result<NonNullable<ExportReport['digests']>>> {
  const manifestBytes = Buffer.from(manifestText(parts.manifestEntries()), 'utf8');
  // hashes.csv was appended event by event; this makes sure it exists when no event has a value.
  await out.append('hashes.csv', '');
  parts.sums.set('manifest.json', sha256Hex(manifestBytes));
  parts.sums.set('hashes.csv', await out.appendedSha256('hashes.csv'));
  const checksums = formatChecksums(parts.sums);
  await out.put('manifest.json', manifestBytes);
  await out.put(CHECKSUMS_FILE, checksums);
  if (signer) {
    // Both: the MISP core format asks for the manifest's, and sha256sum users check SHA256SUMS.
    for (const [name, bytes] of [['manifest.json.asc', manifestBytes], [`${CHECKSUMS_FILE}.asc`, Buffer.from(checksums, 'utf8')]] as const) {
      const signature = await signer.sign(bytes);
      if (!signature.ok) {
        await out.discard();
        return signature;
      }
      await out.put(name, signature.value);
    }
  }
  if (ctx.signal.aborted) {
    await out.discard();
    return failure('cancelled', `export to ${shownAs} cancelled; nothing was written there`);
  }
  const committed = await out.commit();
  if (!committed.ok) return committed;
  return success({ manifest: parts.sums.get('manifest.json')!, checksums: sha256Hex(checksums) });
}

function fileOptionsOf(options: ExportOptions): FileOptions {
  return {
    keepLocalTags: options.keepLocalTags,
    hashMode: options.hashes,
    excludeTypes: options.excludeTypes ?? [],
    ...(options.distributions ? { validDistributions: options.distributions as Distribution[] } : {}),
  };
}

/** Takes one event's files into the feed at its place; false when it was left out (distribution) or refused. */
async function accept(place: number, files: EventFiles, out: FeedTarget | null, parts: FeedParts): Promise<boolean> {
  switch (files.status) {
    case 'skipped':
      parts.skipped++;
      return false;
    case 'invalid':
      parts.invalid.push({ uuid: files.uuid, info: files.info, issues: [...files.issues] });
      return false;
    case 'written':
      parts.add(place, files.fileName, files.manifestEntry, files.hashCount, files.sha256, files.attributes);
      parts.warn(files.issues);
      if (out) {
        await out.put(files.fileName, files.bytes);
        await out.append('hashes.csv', files.hashLines);
      }
      return true;
    default: {
      const exhaustive: never = files;
      return exhaustive;
    }
  }
}

/** The checksum an earlier export gave an event's file: its SHA256SUMS line, else its manifest integrity field. */
function earlierSha256(base: Base, uuid: string): string | undefined {
  return base.previous.sums.get(`${uuid}.json`) ?? base.previous.entries.get(uuid)?.sha256;
}

/**
 * Takes an earlier export's event into the feed as it is: its manifest entry, its hashes.csv lines, its checksum.
 * The file itself is already in the target (adopted after a worker checked it, or kept by keepEarlier).
 */
async function takeEarlier(base: Base, place: number, uuid: string, attributes: number, out: FeedTarget | null, parts: FeedParts): Promise<boolean> {
  const entry = base.previous.entries.get(uuid);
  const sha256 = earlierSha256(base, uuid);
  if (!entry || sha256 === undefined) return false;
  const lines = base.previous.hashLines.get(uuid) ?? '';
  parts.add(place, `${uuid}.json`, entry, lines === '' ? 0 : lines.split('\n').length - 1, sha256, attributes);
  if (out) await out.append('hashes.csv', lines);
  return true;
}

/** Keeps an earlier export's file when it is still the one its SHA256SUMS names; false when it must be rewritten. */
async function keepEarlier(base: Base, place: number, uuid: string, out: FeedTarget | null, parts: FeedParts, attributes: number): Promise<boolean> {
  const fileName = `${uuid}.json`;
  const sha256 = earlierSha256(base, uuid);
  if (!base.previous.entries.has(uuid) || sha256 === undefined) return false;
  if (out && !(await out.keep(fileName, join(base.previous.dir, fileName), sha256))) return false;
  return takeEarlier(base, place, uuid, attributes, out, parts);
}

async function writeEvents(
  snapshot: Snapshot,
  events: readonly SelectedEvent[],
  options: ExportOptions,
  base: Base | null,
  out: FeedTarget | null,
  parts: FeedParts,
  ctx: HandlerContext,
  pool: WriterPool,
): Promise<Result<void>> {
  const fileOptions = fileOptionsOf(options);
  // Work in flight, oldest first: batches of events on the workers, and groups of earlier files being checked
  // there. They are taken in order, so the manifest and hashes.csv list events in the export's order, and
  // hashes.csv is written as it goes.
  type Pending = { place: number; selected: SelectedEvent };
  const inFlight: ({ kind: 'batch'; batch: Pending[]; files: Promise<EventFiles[]> } | { kind: 'kept'; batch: Pending[]; checks: Promise<boolean[]> })[] = [];
  let batch: Pending[] = [];
  let rows: NonNullable<ReturnType<typeof readEventRows>>[] = [];
  let chars = 0;
  let kept: Pending[] = [];
  const send = () => {
    if (batch.length > 0) {
      inFlight.push({ kind: 'batch', batch, files: pool.write({ rows, options: fileOptions }) });
      batch = [];
      rows = [];
      chars = 0;
    }
    if (kept.length > 0 && base) {
      const dir = base.previous.dir;
      const sums = base.previous.sums;
      const files = kept.map(({ selected }) => ({ path: join(dir, `${selected.uuid}.json`), sha256: sums.get(`${selected.uuid}.json`) ?? '' }));
      // A dry run writes nothing, so there is nothing to check.
      inFlight.push({ kind: 'kept', batch: kept, checks: out ? pool.check(files) : Promise.resolve(files.map(() => true)) });
      kept = [];
    }
  };
  const written = async ({ place, selected }: Pending, f: EventFiles) => {
    if (!(await accept(place, f, out, parts))) return;
    const earlier = base?.previous.entries.get(selected.uuid);
    const before = base?.previous.sums.get(`${selected.uuid}.json`) ?? earlier?.sha256;
    parts.change(selected.uuid, selected.info, !earlier ? 'added' : f.status === 'written' && before === f.sha256 ? 'unchanged' : 'changed');
  };
  const takeOldest = async () => {
    const oldest = inFlight.shift()!;
    if (oldest.kind === 'kept') {
      const checks = await oldest.checks;
      // The files of a group are linked all at once; their entries then go in, in order.
      if (out && base) {
        const dir = base.previous.dir;
        await Promise.all(oldest.batch.map(({ selected }, k) => (checks[k] ? out.adopt(`${selected.uuid}.json`, join(dir, `${selected.uuid}.json`)) : undefined)));
      }
      for (const [k, pending] of oldest.batch.entries()) {
        if (checks[k] && base && (await takeEarlier(base, pending.place, pending.selected.uuid, pending.selected.attributeCount, out, parts))) {
          parts.change(pending.selected.uuid, pending.selected.info, 'unchanged');
          continue;
        }
        // The earlier file no longer matches its checksum: written anew from the library, here.
        const read = readEventRows(snapshot.handle, pending.selected.uuid);
        if (read) await written(pending, eventFilesFromRows(read, fileOptions));
      }
      return;
    }
    const files = await oldest.files;
    for (const [k, pending] of oldest.batch.entries()) await written(pending, files[k]!);
  };
  try {
    let lastProgress = 0;
    for (const [place, selected] of events.entries()) {
      if (ctx.signal.aborted) return failure('cancelled', 'export cancelled; nothing was written');
      const now = performance.now();
      if (now - lastProgress >= PROGRESS_MS) {
        lastProgress = now;
        ctx.progress({ phase: 'export', done: place, total: events.length });
      }
      const earlier = base?.previous.entries.get(selected.uuid);
      const keepable = base?.reusable === true && earlier?.timestamp === selected.timestamp && base.previous.sums.has(`${selected.uuid}.json`);
      // One kind at a time in a group, so that the order of the groups is the order of the events.
      if ((keepable && batch.length > 0) || (!keepable && kept.length > 0)) send();
      if (keepable) {
        kept.push({ place, selected });
        if (kept.length >= KEPT_GROUP) send();
      } else {
        const read = readEventRows(snapshot.handle, selected.uuid);
        // Gone cannot happen on a snapshot; skip rather than trust that blindly.
        if (!read) continue;
        batch.push({ place, selected });
        rows.push(read);
        chars += read.attributesJson.length;
        if (batch.length >= BATCH_EVENTS || chars >= BATCH_CHARS) send();
      }
      // Two groups per worker keep them busy; more would only hold files in memory.
      while (inFlight.length >= 4) await takeOldest();
    }
    send();
    while (inFlight.length > 0) await takeOldest();
  } finally {
    // Answers still on their way are dropped (a cancel or a failed write); nothing waits for them.
    for (const f of inFlight) (f.kind === 'batch' ? f.files : f.checks).catch(() => undefined);
  }
  ctx.progress({ phase: 'export', done: events.length, total: events.length });
  return success(undefined);
}

/**
 * Events of the earlier export that this one does not write: deleted here since (carried as tombstones, or kept
 * when they already are one), or still stored but no longer selected (left out, and listed as dropped).
 */
async function carryDeletions(
  db: Snapshot['handle'],
  previous: PreviousFeed,
  selected: ReadonlySet<string>,
  options: ExportOptions,
  out: FeedTarget | null,
  parts: FeedParts,
): Promise<Result<void>> {
  const missing = [...previous.entries.keys()].filter((u) => !selected.has(u));
  const stored = storedEventUuids(db, missing);
  const now = nowSeconds();
  for (const [k, uuid] of missing.entries()) {
    // After every selected event.
    const place = selected.size + k;
    const info = previous.entries.get(uuid)?.info ?? '';
    if (stored.has(uuid)) {
      parts.change(uuid, info, 'dropped');
      continue;
    }
    const tombstone = await tombstoneOf(previous, uuid, now);
    switch (tombstone.kind) {
      case 'kept':
        if (!(await keepEarlier({ previous, reusable: true }, place, uuid, out, parts, 0))) {
          parts.warn([issue('warning', 'export.tombstone-altered', `${uuid}.json`, 'the deleted event\'s earlier file no longer matches SHA256SUMS; not carried')]);
        }
        break;
      case 'new': {
        // Written whatever the distribution rule: a deletion must reach everyone who got the event.
        const { validDistributions: _levels, ...everyone } = fileOptionsOf(options);
        if (await accept(place, eventFiles(tombstone.event, everyone), out, parts)) parts.change(uuid, info, 'deleted');
        break;
      }
      case 'unreadable':
        parts.warn([issue('warning', 'export.tombstone-unreadable', `${uuid}.json`, `deleted here, but cannot be carried as deleted: ${tombstone.message}`)]);
        break;
      default: {
        const exhaustive: never = tombstone;
        return exhaustive;
      }
    }
  }
  return success(undefined);
}
