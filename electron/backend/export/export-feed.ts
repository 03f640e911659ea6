/**
 * Export: stored events out as a MISP feed, folder or zip. The events are chosen (db/queries/export-selection.ts) and read on one
 * snapshot of the library, each goes through the format core's strict writer (the file PyMISP's to_feed would
 * write, or nothing when MISP would refuse the event), and the feed is completed with manifest.json (with the RFC's
 * `integrity:sha256` per event), hashes.csv and SHA256SUMS before it is put in place (atomic-target.ts).
 *
 * Nothing here writes to the library, so an export runs beside imports and edits and never waits for the writer.
 */
import { hash } from 'node:crypto';
import type { z } from 'zod';
import { writeFeedEvent } from '../../../shared/feed/event-writer';
import { manifestText } from '../../../shared/feed/feed-json';
import { formatHashLine } from '../../../shared/feed/hashes-csv';
import { issue, type Issue } from '../../../shared/feed/issues';
import type { ManifestEntry } from '../../../shared/feed/manifest';
import type { exportCountRequestSchema, exportCountSchema, exportReportSchema, exportRequestSchema } from '../../../shared/ipc/export-schemas';
import type { Event } from '../../../shared/model/event';
import type { Distribution } from '../../../shared/model/levels';
import { loadEvent } from '../db/queries/event-load';
import { Snapshot } from '../db/snapshot';
import type { HandlerContext } from '../dispatch';
import { failure, success, type Result } from '../result';
import { openTarget, targetFormatOf, type FeedTarget } from './atomic-target';
import { CHECKSUMS_FILE, formatChecksums, sha256Hex } from './checksums';
import { selectEvents } from '../db/queries/export-selection';
import { findKey } from '../db/queries/key-store';
import { unlockSigner, type Signer } from '../keys/openpgp-keys';

export type ExportRequest = z.output<typeof exportRequestSchema>;
export type ExportReport = z.output<typeof exportReportSchema>;
export type ExportCountRequest = z.output<typeof exportCountRequestSchema>;
export type ExportCount = z.output<typeof exportCountSchema>;
type ExportOptions = ExportRequest['options'];

export interface ExportEnvironment {
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
}

/** Warnings kept in the report; the count of the rest is given in a last line. */
const MAX_ISSUES = 200;
/** Progress is pushed at most this often. */
const PROGRESS_MS = 100;

// One-shot hashing: a Hash object per value costs more than the digest itself, and hashes.csv has one per value.
const md5 = (text: string) => hash('md5', text, 'hex');

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

/** The event without the excluded attribute types; an object left with no attribute goes too (MISP refuses it). */
function withoutTypes(event: Event, types: ReadonlySet<string>): Event {
  if (types.size === 0) return event;
  const keep = (a: { readonly type: string }) => !types.has(a.type);
  return {
    ...event,
    attributes: event.attributes.filter(keep),
    objects: event.objects.flatMap((o) => {
      const attributes = o.attributes.filter(keep);
      return attributes.length === 0 && o.attributes.length > 0 ? [] : [{ ...o, attributes }];
    }),
  };
}

class Tally {
  events = 0;
  attributes = 0;
  hashes = 0;
  skipped = 0;
  readonly invalid: ExportReport['invalid'] = [];
  readonly issues: Issue[] = [];
  private dropped = 0;

  warn(issues: readonly Issue[]): void {
    for (const i of issues) {
      if (this.issues.length < MAX_ISSUES) this.issues.push(i);
      else this.dropped++;
    }
  }

  finishIssues(): Issue[] {
    if (this.dropped === 0) return this.issues;
    return [...this.issues, issue('info', 'export.issues-capped', '', `${this.dropped} more warnings not listed`)];
  }
}

export async function exportFeed(env: ExportEnvironment, request: ExportRequest, ctx: HandlerContext): Promise<Result<ExportReport>> {
  const started = performance.now();
  const snapshot = openSnapshot(env);
  if (!snapshot.ok) return snapshot;
  let target: FeedTarget | null = null;
  try {
    const selected = selectEvents(snapshot.value.handle, request.filter);
    if (!selected.ok) return selected;
    let signer: Signer | null = null;
    if (request.sign) {
      // The passphrase is tried first: a wrong one must not cost a whole export.
      const key = findKey(snapshot.value.handle, request.sign.key, 'own');
      if (!key.ok) return key;
      const unlocked = await unlockSigner(key.value.privateArmored!, request.sign.passphrase, key.value.fingerprint);
      if (!unlocked.ok) return unlocked;
      signer = unlocked.value;
    }
    if (!request.dryRun) {
      const opened = await openTarget(request.target);
      if (!opened.ok) return opened;
      target = opened.value;
    }
    const written = await writeEvents(snapshot.value, selected.value, request.options, target, ctx);
    if (!written.ok) {
      await target?.discard();
      return written;
    }
    const { tally, manifest, hashLines, sums } = written.value;
    let digests: ExportReport['digests'] = null;
    if (target) {
      const manifestBytes = Buffer.from(manifestText(manifest), 'utf8');
      const hashesBytes = Buffer.from(hashLines.join(''), 'utf8');
      sums.set('manifest.json', sha256Hex(manifestBytes));
      sums.set('hashes.csv', sha256Hex(hashesBytes));
      const checksums = formatChecksums(sums);
      await target.put('manifest.json', manifestBytes);
      await target.put('hashes.csv', hashesBytes);
      await target.put(CHECKSUMS_FILE, checksums);
      if (signer) {
        // Both, as the MISP core format asks for the manifest and sha256sum users expect for SHA256SUMS.
        for (const [name, bytes] of [['manifest.json.asc', manifestBytes], [`${CHECKSUMS_FILE}.asc`, Buffer.from(checksums, 'utf8')]] as const) {
          const signature = await signer.sign(bytes);
          if (!signature.ok) {
            await target.discard();
            return signature;
          }
          await target.put(name, signature.value);
        }
      }
      if (ctx.signal.aborted) {
        await target.discard();
        return failure('cancelled', `export to ${request.target} cancelled; nothing was written there`);
      }
      const committed = await target.commit();
      if (!committed.ok) return committed;
      digests = { manifest: sums.get('manifest.json')!, checksums: sha256Hex(checksums) };
    }
    return success({
      target: request.target,
      format: targetFormatOf(request.target),
      dryRun: request.dryRun,
      selected: selected.value.length,
      events: tally.events,
      attributes: tally.attributes,
      hashes: tally.hashes,
      skipped: tally.skipped,
      invalid: tally.invalid,
      issues: tally.finishIssues(),
      bytes: target?.bytes ?? 0,
      digests,
      signedBy: signer && !request.dryRun ? { fingerprint: signer.fingerprint, userIds: [...signer.userIds] } : null,
      durationMs: Math.round(performance.now() - started),
    });
  } catch (e) {
    await target?.discard();
    return failure('unavailable', `export to ${request.target} failed: ${(e as Error).message}`);
  } finally {
    snapshot.value.close();
  }
}

interface Written {
  readonly tally: Tally;
  readonly manifest: ManifestEntry[];
  readonly hashLines: string[];
  readonly sums: Map<string, string>;
}

async function writeEvents(
  snapshot: Snapshot,
  events: readonly { readonly uuid: string }[],
  options: ExportOptions,
  target: FeedTarget | null,
  ctx: HandlerContext,
): Promise<Result<Written>> {
  const tally = new Tally();
  const manifest: ManifestEntry[] = [];
  const hashLines: string[] = [];
  const sums = new Map<string, string>();
  const excluded = new Set(options.excludeTypes ?? []);
  const writeOptions = {
    md5,
    keepLocalTags: options.keepLocalTags,
    ...(options.distributions ? { validDistributions: options.distributions as Distribution[] } : {}),
  };
  let lastProgress = 0;
  for (const [i, selected] of events.entries()) {
    if (ctx.signal.aborted) return failure('cancelled', 'export cancelled; nothing was written');
    const now = performance.now();
    if (now - lastProgress >= PROGRESS_MS) {
      lastProgress = now;
      ctx.progress({ phase: 'export', done: i, total: events.length });
    }
    const loaded = loadEvent(snapshot.handle, selected.uuid);
    // Gone cannot happen on a snapshot; skip rather than trust that blindly.
    if (!loaded) continue;
    const result = writeFeedEvent(withoutTypes(loaded.event, excluded), writeOptions);
    switch (result.status) {
      case 'skipped':
        tally.skipped++;
        break;
      case 'invalid':
        tally.invalid.push({ uuid: loaded.event.uuid, info: loaded.event.info, issues: [...result.issues] });
        break;
      case 'written': {
        const files = result.value;
        const bytes = Buffer.from(files.text, 'utf8');
        const sha256 = sha256Hex(bytes);
        sums.set(files.fileName, sha256);
        manifest.push({ ...files.manifestEntry, sha256 });
        let lines = '';
        for (const h of files.hashes) lines += formatHashLine(h);
        hashLines.push(lines);
        tally.events++;
        tally.attributes += files.event.attributes.length + files.event.objects.reduce((n, o) => n + o.attributes.length, 0);
        tally.hashes += files.hashes.length;
        tally.warn(result.issues);
        if (target) await target.put(files.fileName, bytes);
        break;
      }
      default: {
        const exhaustive: never = result;
        return exhaustive;
      }
    }
    // A dry run has no file writes to wait for: let other requests in between events all the same.
    if (!target) await new Promise<void>((r) => setImmediate(r));
  }
  ctx.progress({ phase: 'export', done: events.length, total: events.length });
  return success({ tally, manifest, hashLines, sums });
}
