/**
 * The merge half of a bulk load (see import/bulk-load.ts): staged events are moved from the scratch file into the library
 * in steps, each one transaction on a connection of its own (a worker thread's, normally) with the scratch file
 * attached. Every row is copied by INSERT … SELECT inside SQLite; ids are given out in staging order, so rows come
 * out in the order the step path writes them (a dropped attribute may leave a gap in the ids). Parents are found
 * through small id maps in temp tables, tags joined by name. The library's indexes stay in place throughout:
 * readers on other connections see the previous snapshot until a step commits, then every event of the step whole.
 *
 * MISP's uuid rule, as EventStore applies it: an attribute, object, reference, report or analyst record whose uuid already belongs
 * to the library (an earlier event, an earlier step) or to an earlier event of the same step is dropped, the first
 * one kept; an object's attributes and references go with it. Duplicates between events of the import that were
 * already refused while staging (objects, references, reports: their uuids are unique in the scratch file too) are
 * reported by the stager.
 */
import Database from 'better-sqlite3';
import { failure, success, type Result } from '../../result';
import { attributeUuidKey } from './attribute-uuid';
import { isBusy } from '../busy';
import { checkpointPages } from '../open-library';

export interface MergedEvent {
  /** Staging id of the event (its first part). */
  readonly sid: number;
  readonly uuid: string;
  /** Attributes written (staged minus dropped). */
  readonly attributes: number;
  /** Items dropped because their uuid was taken, in the order EventStore would have met them. */
  readonly dropped: readonly string[];
}

/** An event of the step already in the library (another process stored it meanwhile): it is left as it is. */
export interface SkippedEvent {
  readonly sid: number;
  readonly uuid: string;
  readonly storedTimestamp: number;
  readonly stagedTimestamp: number;
  /** Stored by this very import (a step that committed, but whose answer was lost with a worker). */
  readonly ours: boolean;
  readonly attributes: number;
}

export interface MergeOutcome {
  readonly merged: readonly MergedEvent[];
  readonly skipped: readonly SkippedEvent[];
  readonly ms: number;
}

export interface MergeRequest {
  /** Staging ids of the step: lo..hi, whole events (every part of each). */
  readonly lo: number;
  readonly hi: number;
  /** Tests: throw before committing, to show that only this step is undone. */
  readonly fail?: string;
}

export interface MergerOptions {
  readonly libraryPath: string;
  readonly scratchPath: string;
  readonly nativeBinding?: string | undefined;
  /** The import's own id: an event found stored with it was merged by an earlier attempt of the same step. */
  readonly importId: number;
  /** Page cache of the merging connection, in KiB. */
  readonly cacheKiB: number;
}

const PROFILE = process.env['FERRY_BULK_PROFILE'] === '1';
export const profile = new Map<string, number>();
function profiled<T extends object>(s: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (Array.isArray(v) || typeof v !== 'object' || v === null || !('run' in v)) { out[k] = v; continue; }
    const st = v as { run: (...a: unknown[]) => unknown; all: (...a: unknown[]) => unknown; get: (...a: unknown[]) => unknown };
    const wrap = (f: (...a: unknown[]) => unknown) => (...a: unknown[]) => { const t = performance.now(); try { return f.apply(st, a); } finally { profile.set(k, (profile.get(k) ?? 0) + performance.now() - t); } };
    out[k] = { run: wrap(st.run), all: wrap(st.all), get: wrap(st.get) };
  }
  return out as T;
}

export class Merger {
  private readonly db: Database.Database;
  private readonly s;
  private readonly importId: number;

  constructor(options: MergerOptions) {
    this.db = new Database(options.libraryPath, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    const db = this.db;
    // A taken lock is answered with 'busy' at once; the writer retries from a timer.
    db.pragma('busy_timeout = 0');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // The library's random-order indexes (uuids, key hashes) are probed and grown at random: they must stay cached.
    db.pragma(`cache_size = -${Math.max(2048, Math.round(options.cacheKiB))}`);
    db.pragma('temp_store = MEMORY');
    db.pragma(`wal_autocheckpoint = ${checkpointPages(db)}`);
    db.prepare('ATTACH DATABASE ? AS stage').run(options.scratchPath);
    db.exec(`
      CREATE TEMP TABLE ev (sid INTEGER PRIMARY KEY, lid INTEGER NOT NULL, uuid TEXT NOT NULL);
      CREATE TEMP TABLE evmap (sid INTEGER PRIMARY KEY, lid INTEGER NOT NULL);
      CREATE TEMP TABLE obj (sid INTEGER PRIMARY KEY, lid INTEGER NOT NULL);
      CREATE TEMP TABLE amap (sid INTEGER PRIMARY KEY, lid INTEGER NOT NULL);
      CREATE TEMP TABLE tagmap (sid INTEGER PRIMARY KEY, lid INTEGER NOT NULL);
    `);
    this.s = {
      // Taken first, so that a lock held by another process is found before anything is done.
      lock: db.prepare('DELETE FROM main.setting WHERE 0'),
      clear: ['ev', 'evmap', 'obj', 'amap', 'tagmap'].map((t) => db.prepare(`DELETE FROM temp.${t}`)),
      clearAttributeIds: db.prepare('DELETE FROM temp.amap'),
      maxIds: db.prepare<[], { e: number; o: number; a: number }>(
        'SELECT (SELECT coalesce(max(id), 0) FROM main.event) AS e, (SELECT coalesce(max(id), 0) FROM main.object) AS o, (SELECT coalesce(max(id), 0) FROM main.attribute) AS a',
      ),
      skipped: db.prepare<[number, number], { sid: number; uuid: string; stored: number; staged: number; import_id: number | null; attributes: number }>(
        `SELECT s.id AS sid, s.uuid, e.timestamp AS stored, s.timestamp AS staged, e.import_id, e.attribute_count AS attributes
         FROM stage.event s CROSS JOIN main.event e ON e.uuid = s.uuid WHERE s.id BETWEEN ? AND ? AND s.part_of IS NULL ORDER BY s.id`,
      ),
      events: db.prepare<[number, number, number]>(
        `INSERT INTO temp.ev (sid, lid, uuid)
         SELECT id, ? + row_number() OVER (ORDER BY id), uuid FROM stage.event s
         WHERE s.id BETWEEN ? AND ? AND s.part_of IS NULL AND NOT EXISTS (SELECT 1 FROM main.event e WHERE e.uuid = s.uuid)`,
      ),
      parts: db.prepare<[number, number]>(
        `INSERT INTO temp.evmap (sid, lid) SELECT sid, lid FROM temp.ev
         UNION ALL SELECT s.id, ev.lid FROM stage.event s CROSS JOIN temp.ev ev ON ev.sid = s.part_of WHERE s.id BETWEEN ? AND ?`,
      ),
      droppedObjects: db.prepare<[], { sid: number; event: number; uuid: string }>(
        `SELECT o.id AS sid, o.event_id AS event, o.uuid FROM temp.evmap m CROSS JOIN stage.object o ON o.event_id = m.sid
         WHERE EXISTS (SELECT 1 FROM main.object x WHERE x.uuid = o.uuid)`,
      ),
      objects: db.prepare<[number]>(
        `INSERT INTO temp.obj (sid, lid)
         SELECT o.id, ? + row_number() OVER (ORDER BY o.id) FROM temp.evmap m CROSS JOIN stage.object o ON o.event_id = m.sid
         WHERE NOT EXISTS (SELECT 1 FROM main.object x WHERE x.uuid = o.uuid)`,
      ),
      // The attributes to write — top-level ones, and those of objects that are kept — and the ids they get if
      // none is dropped: the insert below gives ids in this order, so this map is right whenever it inserts them all.
      attributeIds: db.prepare<[number]>(
        `INSERT INTO temp.amap (sid, lid)
         SELECT a.id, ? + row_number() OVER (ORDER BY a.id)
         FROM temp.evmap m CROSS JOIN stage.attribute a ON a.event_id = m.sid LEFT JOIN temp.obj o ON o.sid = a.object_id
         WHERE a.object_id IS NULL OR o.sid IS NOT NULL`,
      ),
      // The common case, every staged attribute of the step written (no event skipped, no object dropped): their
      // staging ids are one dense run, so the ids they get are an offset away — no join, no window to compute.
      attributeRange: db.prepare<[number, number], { first: number | null; last: number | null; n: number }>(
        'SELECT min(id) AS first, max(id) AS last, count(*) AS n FROM stage.attribute WHERE event_id BETWEEN ? AND ?',
      ),
      attributeIdsByOffset: db.prepare<[number, number, number]>('INSERT INTO temp.amap (sid, lid) SELECT id, id + ? FROM stage.attribute WHERE id BETWEEN ? AND ?'),
      // Some were dropped (their uuid was taken): the ids of those written, found by uuid in the library.
      attributeIdsByUuid: db.prepare<[number]>(
        `INSERT INTO temp.amap (sid, lid)
         SELECT a.id, x.id FROM temp.evmap m CROSS JOIN stage.attribute a ON a.event_id = m.sid
         CROSS JOIN main.attribute x ON ${attributeUuidKey('x.uuid')} = ${attributeUuidKey('a.uuid')} WHERE x.id > ? AND x.event_id = m.lid`,
      ),
      droppedAttributes: db.prepare<[], { sid: number; object: number | null; event: number; uuid: string }>(
        `SELECT a.id AS sid, a.object_id AS object, a.event_id AS event, a.uuid
         FROM temp.evmap m CROSS JOIN stage.attribute a ON a.event_id = m.sid LEFT JOIN temp.obj o ON o.sid = a.object_id
         WHERE (a.object_id IS NULL OR o.sid IS NOT NULL) AND a.id NOT IN (SELECT sid FROM temp.amap)`,
      ),
      droppedReferences: db.prepare<[], { sid: number; object: number; uuid: string }>(
        `SELECT r.id AS sid, r.object_id AS object, r.uuid FROM temp.obj o CROSS JOIN stage.object_reference r ON r.object_id = o.sid
         WHERE EXISTS (SELECT 1 FROM main.object_reference x WHERE x.uuid = r.uuid)`,
      ),
      droppedReports: db.prepare<[], { sid: number; event: number; uuid: string }>(
        `SELECT r.id AS sid, r.event_id AS event, r.uuid FROM temp.evmap m CROSS JOIN stage.event_report r ON r.event_id = m.sid
         WHERE EXISTS (SELECT 1 FROM main.event_report x WHERE x.uuid = r.uuid)`,
      ),
      droppedAnalystData: db.prepare<[], { sid: number; event: number; uuid: string }>(
        `SELECT d.id AS sid, d.event_id AS event, d.uuid FROM temp.evmap m CROSS JOIN stage.analyst_data d ON d.event_id = m.sid
         WHERE EXISTS (SELECT 1 FROM main.analyst_data x WHERE x.uuid = d.uuid)`,
      ),
      // Tags the step's rows use and the library does not have yet, in the order the import first met them.
      newTags: db.prepare(
        `INSERT INTO main.tag (name, colour, exportable)
         SELECT t.name, t.colour, t.exportable FROM stage.tag t
         WHERE t.id IN (SELECT x.tag_id FROM temp.ev ev CROSS JOIN stage.event_tag x ON x.event_id = ev.sid
                        UNION SELECT x.tag_id FROM temp.amap m CROSS JOIN stage.attribute_tag x ON x.attribute_id = m.sid)
           AND NOT EXISTS (SELECT 1 FROM main.tag m WHERE m.name = t.name COLLATE NOCASE)
         ORDER BY t.id`,
      ),
      tagMap: db.prepare('INSERT INTO temp.tagmap (sid, lid) SELECT t.id, m.id FROM stage.tag t CROSS JOIN main.tag m ON m.name = t.name COLLATE NOCASE'),
      insertEvents: db.prepare(
        `INSERT INTO main.event (id, uuid, feed_id, import_id, info, date, timestamp, publish_timestamp, published, analysis,
           threat_level_id, distribution, sharing_group_id, orgc_name, orgc_uuid, locally_edited, extra)
         SELECT ev.lid, s.uuid, s.feed_id, s.import_id, s.info, s.date, s.timestamp, s.publish_timestamp, s.published, s.analysis,
           s.threat_level_id, s.distribution, s.sharing_group_id, s.orgc_name, s.orgc_uuid, s.locally_edited, s.extra
         FROM temp.ev ev CROSS JOIN stage.event s ON s.id = ev.sid ORDER BY ev.sid`,
      ),
      insertEventTags: db.prepare(
        `INSERT OR IGNORE INTO main.event_tag (event_id, tag_id, local, relationship_type, position)
         SELECT ev.lid, tm.lid, x.local, x.relationship_type, x.position FROM temp.ev ev CROSS JOIN stage.event_tag x ON x.event_id = ev.sid
         CROSS JOIN temp.tagmap tm ON tm.sid = x.tag_id`,
      ),
      insertObjects: db.prepare(
        `INSERT INTO main.object (id, event_id, uuid, name, meta_category, description, template_uuid, template_version, comment,
           timestamp, distribution, sharing_group_id, first_seen, last_seen, deleted)
         SELECT o.lid, m.lid, s.uuid, s.name, s.meta_category, s.description, s.template_uuid, s.template_version, s.comment,
           s.timestamp, s.distribution, s.sharing_group_id, s.first_seen, s.last_seen, s.deleted
         FROM temp.obj o CROSS JOIN stage.object s ON s.id = o.sid CROSS JOIN temp.evmap m ON m.sid = s.event_id ORDER BY o.sid`,
      ),
      // OR IGNORE: a uuid already in the library, or met earlier in the step, is not written (EventStore's rule);
      // rows are inserted in staging order, so the first one is kept.
      insertAttributes: db.prepare(
        `INSERT OR IGNORE INTO main.attribute (id, event_id, object_id, uuid, type, category, value, to_ids, comment, timestamp,
           distribution, sharing_group_id, object_relation, first_seen, last_seen, deleted, disable_correlation, data, correlates)
         SELECT m.lid, e.lid, o.lid, a.uuid, a.type, a.category, a.value, a.to_ids, a.comment, a.timestamp,
           a.distribution, a.sharing_group_id, a.object_relation, a.first_seen, a.last_seen, a.deleted, a.disable_correlation, a.data, a.correlates
         FROM temp.amap m CROSS JOIN stage.attribute a ON a.id = m.sid CROSS JOIN temp.evmap e ON e.sid = a.event_id
         LEFT JOIN temp.obj o ON o.sid = a.object_id ORDER BY m.sid`,
      ),
      insertAttributeTags: db.prepare(
        `INSERT OR IGNORE INTO main.attribute_tag (attribute_id, tag_id, local, relationship_type, position)
         SELECT m.lid, tm.lid, x.local, x.relationship_type, x.position FROM temp.amap m CROSS JOIN stage.attribute_tag x ON x.attribute_id = m.sid
         CROSS JOIN temp.tagmap tm ON tm.sid = x.tag_id`,
      ),
      // Sorted by hash, as EventStore.flushKeys inserts them: the key index is touched in order. Self keys come from
      // the attribute rows (staged with their hash), the others from the staged key rows.
      insertKeys: db.prepare(
        `INSERT INTO main.correlation_key (key, hash, attribute_id, event_id)
         SELECT key, hash, attribute_id, event_id FROM (
           SELECT a.value AS key, a.key_hash AS hash, m.lid AS attribute_id, e.lid AS event_id
           FROM temp.amap m CROSS JOIN stage.attribute a ON a.id = m.sid CROSS JOIN temp.evmap e ON e.sid = a.event_id
           WHERE a.correlates = 1
           UNION ALL
           SELECT k.key, k.hash, m.lid, e.lid FROM temp.amap m CROSS JOIN stage.correlation_key k ON k.attribute_id = m.sid
           CROSS JOIN temp.evmap e ON e.sid = k.event_id
         ) ORDER BY hash, attribute_id`,
      ),
      insertReferences: db.prepare(
        `INSERT INTO main.object_reference (object_id, uuid, referenced_uuid, relationship_type, comment, timestamp, deleted)
         SELECT o.lid, r.uuid, r.referenced_uuid, r.relationship_type, r.comment, r.timestamp, r.deleted
         FROM temp.obj o CROSS JOIN stage.object_reference r ON r.object_id = o.sid
         WHERE NOT EXISTS (SELECT 1 FROM main.object_reference x WHERE x.uuid = r.uuid) ORDER BY r.id`,
      ),
      insertReports: db.prepare(
        `INSERT INTO main.event_report (event_id, uuid, name, content, timestamp, distribution, sharing_group_id, deleted)
         SELECT m.lid, r.uuid, r.name, r.content, r.timestamp, r.distribution, r.sharing_group_id, r.deleted
         FROM temp.evmap m CROSS JOIN stage.event_report r ON r.event_id = m.sid
         WHERE NOT EXISTS (SELECT 1 FROM main.event_report x WHERE x.uuid = r.uuid) ORDER BY r.id`,
      ),
      insertAnalystData: db.prepare(
        `INSERT INTO main.analyst_data (event_id, uuid, kind, holder_type, holder_uuid, position, body)
         SELECT m.lid, d.uuid, d.kind, d.holder_type, d.holder_uuid, d.position, d.body
         FROM temp.evmap m CROSS JOIN stage.analyst_data d ON d.event_id = m.sid
         WHERE NOT EXISTS (SELECT 1 FROM main.analyst_data x WHERE x.uuid = d.uuid) ORDER BY d.id`,
      ),
      counts: db.prepare(
        `UPDATE main.event SET
           attribute_count = (SELECT count(*) FROM main.attribute a WHERE a.event_id = main.event.id AND a.deleted = 0),
           object_count = (SELECT count(*) FROM main.object o WHERE o.event_id = main.event.id AND o.deleted = 0)
         WHERE id IN (SELECT lid FROM temp.ev)`,
      ),
      written: db.prepare<[], { lid: number; n: number }>('SELECT e.lid, count(*) AS n FROM temp.amap m CROSS JOIN stage.attribute a ON a.id = m.sid CROSS JOIN temp.evmap e ON e.sid = a.event_id GROUP BY e.lid'),
      mergedEvents: db.prepare<[], { sid: number; lid: number; uuid: string }>('SELECT sid, lid, uuid FROM temp.ev ORDER BY sid'),
      parentOf: db.prepare<[], { sid: number; lid: number }>('SELECT sid, lid FROM temp.evmap'),
      eventOfObject: db.prepare<[number], number>('SELECT event_id FROM stage.object WHERE id = ?').pluck(),
    };
    this.importId = options.importId;
  }

  /** One step: merge staged events lo..hi in one transaction. 'busy' when another process holds the write lock. */
  merge(request: MergeRequest): Result<MergeOutcome> | 'busy' {
    const started = performance.now();
    const db = this.db;
    const s = this.s;
    db.exec('BEGIN');
    try {
      try {
        s.lock.run();
      } catch (e) {
        if (isBusy(e)) {
          db.exec('ROLLBACK');
          return 'busy';
        }
        throw e;
      }
      const outcome = this.mergeInTransaction(request.lo, request.hi);
      if (request.fail) throw new Error(request.fail);
      const committing = performance.now();
      db.exec('COMMIT');
      if (PROFILE) profile.set('COMMIT', (profile.get('COMMIT') ?? 0) + performance.now() - committing);
      return success({ ...outcome, ms: performance.now() - started });
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      if (isBusy(e)) return 'busy';
      return failure('internal', (e as Error).message);
    } finally {
      for (const c of s.clear) c.run();
    }
  }

  /** Fills temp.amap with the ids the step's attributes get; returns how many there are. */
  private mapAttributeIds(lo: number, hi: number, lastId: number, allKept: boolean): number {
    const s = PROFILE ? profiled(this.s) : this.s;
    if (allKept) {
      const range = s.attributeRange.get(lo, hi)!;
      if (range.n === 0) return 0;
      if (range.first !== null && range.last !== null && range.last - range.first + 1 === range.n) {
        return s.attributeIdsByOffset.run(lastId + 1 - range.first, range.first, range.last).changes;
      }
    }
    return s.attributeIds.run(lastId).changes;
  }

  private mergeInTransaction(lo: number, hi: number): Omit<MergeOutcome, 'ms'> {
    const s = PROFILE ? profiled(this.s) : this.s;
    for (const c of s.clear) c.run();
    const skipped: SkippedEvent[] = s.skipped.all(lo, hi).map((r) => ({
      sid: r.sid, uuid: r.uuid, storedTimestamp: r.stored, stagedTimestamp: r.staged, ours: r.import_id === this.importId, attributes: r.attributes,
    }));
    const base = s.maxIds.get()!;
    s.events.run(base.e, lo, hi);
    s.parts.run(lo, hi);
    // What is dropped is found before anything is written: afterwards every uuid of the step is in the library.
    const droppedObjects = s.droppedObjects.all();
    s.objects.run(base.o);
    const droppedReferences = s.droppedReferences.all();
    const droppedReports = s.droppedReports.all();
    const droppedAnalystData = s.droppedAnalystData.all();

    s.insertEvents.run();
    s.insertObjects.run();
    const expected = this.mapAttributeIds(lo, hi, base.a, skipped.length === 0 && droppedObjects.length === 0);
    let droppedAttributes: { sid: number; object: number | null; event: number; uuid: string }[] = [];
    if (s.insertAttributes.run().changes < expected) {
      s.clearAttributeIds.run();
      s.attributeIdsByUuid.run(base.a);
      droppedAttributes = s.droppedAttributes.all();
    }
    // Tags after the attributes: only those of rows written are created.
    s.newTags.run();
    s.tagMap.run();
    s.insertEventTags.run();
    s.insertAttributeTags.run();
    s.insertKeys.run();
    s.insertReferences.run();
    s.insertReports.run();
    s.insertAnalystData.run();
    s.counts.run();

    const events = s.mergedEvents.all();
    const written = new Map(s.written.all().map((r) => [r.lid, r.n]));
    // Dropped items in EventStore's order: top-level attributes, then each object (itself, or its attributes then
    // its references), then reports, then analyst data. Staging ids follow that order within an event.
    const parentOf = new Map<number, number>();
    for (const r of s.parentOf.all()) parentOf.set(r.sid, r.lid);
    const objectEvent = new Map<number, number>();
    const byEvent = new Map<number, { key: number[]; uuid: string }[]>();
    const add = (eventSid: number, key: number[], uuid: string) => {
      const lid = parentOf.get(eventSid);
      if (lid === undefined) return;
      let list = byEvent.get(lid);
      if (!list) byEvent.set(lid, (list = []));
      list.push({ key, uuid });
    };
    for (const o of droppedObjects) add(o.event, [1, o.sid, 0, 0], o.uuid);
    for (const a of droppedAttributes) {
      if (a.object !== null) objectEvent.set(a.object, a.event);
      add(a.event, a.object === null ? [0, a.sid] : [1, a.object, 1, a.sid], a.uuid);
    }
    for (const r of droppedReferences) add(objectEvent.get(r.object) ?? s.eventOfObject.get(r.object)!, [1, r.object, 2, r.sid], r.uuid);
    for (const r of droppedReports) add(r.event, [2, r.sid], r.uuid);
    for (const d of droppedAnalystData) add(d.event, [3, d.sid], d.uuid);
    const compare = (x: number[], y: number[]) => {
      for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
      return 0;
    };
    const merged: MergedEvent[] = events.map((e) => ({
      sid: e.sid,
      uuid: e.uuid,
      attributes: written.get(e.lid) ?? 0,
      dropped: (byEvent.get(e.lid) ?? []).sort((x, y) => compare(x.key, y.key)).map((d) => d.uuid),
    }));
    return { merged, skipped };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
