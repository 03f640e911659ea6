/**
 * Staging for a bulk load (see bulk-load.ts): new events are read, validated and written into a scratch SQLite file
 * that nobody else reads, created with the library's own migrations so that EventStore writes into it (in its
 * 'staged' mode: an attribute's own-value key rides in its row). The indexes whose keys arrive in random order
 * (attribute uuids, correlation key hashes) are dropped there: the merge into the library never looks rows up by them. Everything else (ids in arrival order, the per-event indexes)
 * is what the merge reads, in order.
 *
 * Each event is staged in its own transaction, so a staged event is whole; the scratch file is written without
 * fsync (a crash only loses a file the next run deletes).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import type { CompiledEventFilter } from '../../../shared/feed/filters';
import { hasErrors, issue, type Issue } from '../../../shared/feed/issues';
import type { Attribute } from '../../../shared/model/attribute';
import type { Event, EventReport } from '../../../shared/model/event';
import type { MispObject } from '../../../shared/model/object';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import { asWriteHandle } from '../db/handles';
import { createStagingFile, openStagingWriter } from '../db/scratch';
import { EventStore, type Provenance } from '../db/queries/event-store';
import { prepareEventStream, type EntryRef, type ImportItem, type PreparedStream } from './prepare-event';
import { isProcessAlive } from '../process-alive';

/** The library's random-order indexes, not kept in the scratch file. */
export interface StagedEvent {
  readonly staged: true;
  /** The event's id in the scratch file; events are staged with increasing ids. */
  readonly sid: number;
  /** The id of its last part (see Stager): the event spans sid..lastSid. */
  readonly lastSid: number;
  readonly uuid: string;
  readonly info: string;
  readonly fileName: string;
  /** Attributes staged (before the merge drops those whose uuid is taken). */
  readonly attributes: number;
  /** Issues found while reading and staging (items dropped because an earlier event of this import holds their uuid). */
  readonly issues: readonly Issue[];
}

export type StageOutcome = StagedEvent | { readonly staged: false; readonly item: ImportItem };

export function uuidTakenIssues(uuids: readonly string[], fileName: string): Issue[] {
  // The same wording as the step path's (fetch-feed.ts droppedIssues), so a report reads the same either way.
  return uuids.map((u) => issue('warning', 'import.uuid-taken', `${fileName}#${u}`, `uuid ${u} already belongs to another event; item dropped (as MISP does)`));
}

/** Scratch files are named after the library and the process that made them, so a later run can tell stale ones. */
const SCRATCH_MARK = '.bulk-';

export function scratchPathFor(libraryPath: string): string {
  return `${libraryPath}${SCRATCH_MARK}${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.sqlite`;
}


/** Remove scratch files (and their -wal / -shm / -journal) left by a process that no longer runs. */
export function removeStaleScratch(libraryPath: string): void {
  const dir = dirname(libraryPath);
  const prefix = `${basename(libraryPath)}${SCRATCH_MARK}`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    // Ours, or another running process's (the app and the CLI may import into the same library): not stale.
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isProcessAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

export function removeScratch(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) if (existsSync(path + suffix)) rmSync(path + suffix, { force: true });
}

/** Create the scratch file (see db/scratch.ts); removed again if that fails. */
export function createScratch(path: string, nativeBinding?: string): Database.Database {
  removeScratch(path);
  try {
    return createStagingFile(path, nativeBinding);
  } catch (e) {
    removeScratch(path);
    throw e;
  }
}

/** Items per staged part of an event: a large event is written in parts so that its model is never built whole. */
const PART_ITEMS = 4096;

/**
 * Stages events into a scratch file, one transaction each. The connection is its own; the caller creates the file
 * with createScratch first (and removes it at the end).
 *
 * A large event is staged in parts of PART_ITEMS items, each written by EventStore.insert as an event of its own
 * (uuid `<uuid>:<n>`, no tags) marked `part_of` its first part: the items go from the parsed JSON to the scratch
 * file as they are validated, and the merge puts every part back under the one event, in order.
 */
export class Stager {
  private readonly db: Database.Database;
  private readonly store: EventStore;
  private readonly eventId;
  private readonly markPart;

  constructor(
    path: string,
    nativeBinding: string | undefined,
    private readonly feed: FeedSettings,
    private readonly rules: CompiledEventFilter,
    private readonly provenance: Provenance,
  ) {
    const writer = openStagingWriter(path, nativeBinding);
    this.db = writer.db;
    this.eventId = writer.eventId;
    this.markPart = writer.markPart;
    // Keys as they come (there is no key index to keep sorted here), self keys in the attribute rows.
    this.store = new EventStore(asWriteHandle(this.db), 'staged');
  }

  /**
   * Read, check and stage one event file. `text` gives the event's text; it is called once, and nothing here keeps
   * the text once it is parsed.
   */
  stage(entry: EntryRef, fileName: string, text: () => string): StageOutcome {
    const base = { uuid: entry.uuid, info: entry.info, attributes: 0 };
    const prepared = prepareEventStream(entry, fileName, text, this.feed, this.rules);
    if (!('readItems' in prepared)) return { staged: false, item: prepared };
    try {
      return this.db.transaction(() => this.write(prepared))();
    } catch (e) {
      this.store.resetCaches();
      if (e instanceof ReadFailed) return { staged: false, item: { ...base, outcome: 'rejected', issues: e.issues } };
      return { staged: false, item: { ...base, outcome: 'rejected', issues: [issue('error', 'import.write-failed', fileName, `not stored: ${(e as Error).message}`)] } };
    }
  }

  private write(p: PreparedStream): StagedEvent {
    let chunk = { attributes: [] as Attribute[], objects: [] as MispObject[], reports: [] as EventReport[] };
    let size = 0;
    let part = 0;
    let sid = 0;
    let lastSid = 0;
    let attributes = 0;
    const dropped: string[] = [];
    const { analystData: _records, cryptographicKeys: _keys, ...partHeader } = p.header;
    const flush = () => {
      // Later parts carry only items: the event's own tags and records are stored with the first.
      const event: Event = part === 0 ? { ...p.header, ...chunk } : { ...partHeader, uuid: `${p.header.uuid}:${part}`, tags: [], ...chunk };
      const written = this.store.insert(event, this.provenance);
      const id = this.eventId.get(event.uuid)!;
      if (part === 0) sid = id;
      else this.markPart.run(sid, id);
      lastSid = id;
      attributes += written.attributes;
      dropped.push(...written.droppedUuids);
      part++;
      chunk = { attributes: [], objects: [], reports: [] };
      size = 0;
    };
    const grow = (n: number) => {
      size += n;
      if (size >= PART_ITEMS) flush();
    };
    const issues = p.readItems({
      attribute: (a) => {
        chunk.attributes.push(a);
        grow(1);
      },
      object: (o) => {
        chunk.objects.push(o);
        grow(1 + o.attributes.length + o.references.length);
      },
      report: (r) => {
        chunk.reports.push(r);
        grow(1);
      },
    });
    if (hasErrors(issues)) throw new ReadFailed(issues);
    if (part === 0 || size > 0) flush();
    return { staged: true, sid, lastSid, uuid: p.base.uuid, info: p.base.info, fileName: p.fileName, attributes, issues: [...issues, ...uuidTakenIssues(dropped, p.fileName)] };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The reader failed part-way through the items (a bug, reported as an error issue): the event is rolled back. */
class ReadFailed extends Error {
  constructor(readonly issues: Issue[]) {
    super('the event could not be read');
  }
}
