/**
 * Writes model events into the library. One instance per import (statements prepared once). Callers wrap each event
 * in a transaction; nothing here commits.
 *
 * MISP's rules, kept here:
 * - uuids are global: an attribute, object or reference whose uuid already belongs to another event is dropped and
 *   reported (MISP logs and drops it too);
 * - an update is additive: items missing from the new version stay; an item present in both is replaced only when
 *   its own timestamp is strictly newer.
 */
import { correlationKeys } from '../../../../shared/misp/correlation';
import type { AnalystDataHolder, WithAnalystData } from '../../../../shared/model/analyst-data';
import type { Attribute } from '../../../../shared/model/attribute';
import type { Event, EventReport } from '../../../../shared/model/event';
import type { MispObject, ObjectReference } from '../../../../shared/model/object';
import type { Tag } from '../../../../shared/model/tag';
import type Database from 'better-sqlite3';
import type { Library } from '../open-library';
import { bool, opt } from './event-rows';
import { TagIds } from './tag-ids';
import { keyHash } from './correlation-key';

export interface StoredEventState {
  readonly id: number;
  readonly timestamp: number;
  readonly locallyEdited: boolean;
  readonly feedId: number | null;
}

export interface WriteCounts {
  attributes: number;
  objects: number;
  /** Items dropped because their uuid belongs to another event. */
  readonly droppedUuids: string[];
}

export interface Provenance {
  readonly feedId: number | null;
  readonly importId: number | null;
}

function extraOf(event: Event): string {
  const extra: Record<string, unknown> = {};
  if (event.extendsUuid) extra['extendsUuid'] = event.extendsUuid;
  if (event.protected) extra['protected'] = true;
  if (event.disableCorrelation !== undefined) extra['disableCorrelation'] = event.disableCorrelation;
  if (event.org) extra['org'] = event.org;
  if (event.cryptographicKeys && event.cryptographicKeys.length > 0) extra['cryptographicKeys'] = event.cryptographicKeys;
  return JSON.stringify(extra);
}

/** Whether anything in `event` carries analyst data; most events have none, and then nothing more is looked at. */
function hasAnalystData(event: Event): boolean {
  return (
    event.analystData !== undefined ||
    event.attributes.some((a) => a.analystData !== undefined) ||
    event.objects.some((o) => o.analystData !== undefined || o.attributes.some((a) => a.analystData !== undefined)) ||
    event.reports.some((r) => r.analystData !== undefined)
  );
}

const NO_KEYS = { selfKeyed: false, keys: [] } as const;

export class EventStore {
  private readonly tags: TagIds;
  private readonly s;
  private pendingKeys: { key: string; hash: number; attributeId: number; eventId: number }[] = [];

  /**
   * `keys`: how correlation keys are written. 'sorted' (the library): collected and inserted sorted at flushKeys().
   * 'staged' (a bulk load's staging file, new events only): as they come, except an attribute's own value — the
   * only key of most attributes — which is not written as a row at all: its hash goes in the staging file's
   * `attribute.key_hash`, and the merge takes the key from the attribute row (db/queries/bulk-merge.ts).
   */
  constructor(
    private readonly db: Library,
    private readonly keys: 'sorted' | 'staged' = 'sorted',
  ) {
    this.tags = new TagIds(db);
    this.s = {
      state: db.prepare<[string], { id: number; timestamp: number; locally_edited: number; feed_id: number | null }>(
        'SELECT id, timestamp, locally_edited, feed_id FROM event WHERE uuid = ?',
      ),
      insertEvent: db.prepare(
        `INSERT INTO event (uuid, feed_id, import_id, info, date, timestamp, publish_timestamp, published, analysis,
           threat_level_id, distribution, sharing_group_id, orgc_name, orgc_uuid, extra)
         VALUES (@uuid, @feedId, @importId, @info, @date, @timestamp, @publishTimestamp, @published, @analysis,
           @threatLevelId, @distribution, @sharingGroupId, @orgcName, @orgcUuid, @extra)`,
      ),
      updateEvent: db.prepare(
        `UPDATE event SET feed_id = @feedId, import_id = @importId, info = @info, date = @date, timestamp = @timestamp,
           publish_timestamp = @publishTimestamp, published = @published, analysis = @analysis,
           threat_level_id = @threatLevelId, distribution = @distribution, sharing_group_id = @sharingGroupId,
           orgc_name = @orgcName, orgc_uuid = @orgcUuid, extra = @extra
         WHERE id = @id`,
      ),
      counts: db.prepare(
        `UPDATE event SET attribute_count = (SELECT count(*) FROM attribute WHERE event_id = @id AND deleted = 0),
           object_count = (SELECT count(*) FROM object WHERE event_id = @id AND deleted = 0) WHERE id = @id`,
      ),
      eventTag: db.prepare('INSERT OR IGNORE INTO event_tag (event_id, tag_id, local, relationship_type, position) VALUES (?, ?, ?, ?, ?)'),
      attributeTag: db.prepare('INSERT OR IGNORE INTO attribute_tag (attribute_id, tag_id, local, relationship_type, position) VALUES (?, ?, ?, ?, ?)'),
      insertAttribute: db.prepare(
        `INSERT OR IGNORE INTO attribute (event_id, object_id, uuid, type, category, value, to_ids, comment, timestamp,
           distribution, sharing_group_id, object_relation, first_seen, last_seen, deleted, disable_correlation, data, correlates)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateAttribute: db.prepare(
        `UPDATE attribute SET type = ?, category = ?, value = ?, to_ids = ?, comment = ?, timestamp = ?, distribution = ?,
           sharing_group_id = ?, object_relation = ?, first_seen = ?, last_seen = ?, deleted = ?, disable_correlation = ?,
           data = ?, correlates = ? WHERE id = ?`,
      ),
      existingAttributes: db.prepare<[number], { id: number; uuid: string; timestamp: number }>(
        'SELECT id, uuid, timestamp FROM attribute WHERE event_id = ?',
      ),
      insertKey: db.prepare('INSERT INTO correlation_key (key, hash, attribute_id, event_id) VALUES (?, ?, ?, ?)'),
      deleteKeys: db.prepare('DELETE FROM correlation_key WHERE attribute_id = ?'),
      insertObject: db.prepare(
        `INSERT OR IGNORE INTO object (event_id, uuid, name, meta_category, description, template_uuid, template_version,
           comment, timestamp, distribution, sharing_group_id, first_seen, last_seen, deleted)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateObject: db.prepare(
        `UPDATE object SET name = ?, meta_category = ?, description = ?, template_uuid = ?, template_version = ?,
           comment = ?, timestamp = ?, distribution = ?, sharing_group_id = ?, first_seen = ?, last_seen = ?, deleted = ?
         WHERE id = ?`,
      ),
      existingObjects: db.prepare<[number], { id: number; uuid: string; timestamp: number }>(
        'SELECT id, uuid, timestamp FROM object WHERE event_id = ?',
      ),
      insertReference: db.prepare(
        `INSERT OR IGNORE INTO object_reference (object_id, uuid, referenced_uuid, relationship_type, comment, timestamp, deleted)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateReference: db.prepare(
        `UPDATE object_reference SET referenced_uuid = ?, relationship_type = ?, comment = ?, timestamp = ?, deleted = ?
         WHERE uuid = ? AND object_id = ? AND timestamp < ?`,
      ),
      referenceExists: db.prepare<[string, number], { id: number }>('SELECT id FROM object_reference WHERE uuid = ? AND object_id = ?'),
      reportExists: db.prepare<[string, number], { id: number }>('SELECT id FROM event_report WHERE uuid = ? AND event_id = ?'),
      insertReport: db.prepare(
        `INSERT OR IGNORE INTO event_report (event_id, uuid, name, content, timestamp, distribution, sharing_group_id, deleted)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // A record already stored for this event is replaced (records change without their holder's timestamp
      // moving); one whose uuid belongs to another event is left alone and reported, like any taken uuid.
      analystData: db.prepare(
        `INSERT INTO analyst_data (event_id, uuid, kind, holder_type, holder_uuid, position, body) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (uuid) DO UPDATE SET kind = excluded.kind, holder_type = excluded.holder_type,
           holder_uuid = excluded.holder_uuid, position = excluded.position, body = excluded.body
         WHERE analyst_data.event_id = excluded.event_id`,
      ),
      updateReport: db.prepare(
        `UPDATE event_report SET name = ?, content = ?, timestamp = ?, distribution = ?, sharing_group_id = ?, deleted = ?
         WHERE uuid = ? AND event_id = ? AND timestamp < ?`,
      ),
    };
  }

  state(uuid: string): StoredEventState | undefined {
    const row = this.s.state.get(uuid);
    return row && { id: row.id, timestamp: row.timestamp, locallyEdited: row.locally_edited === 1, feedId: row.feed_id };
  }

  private eventParams(event: Event, provenance: Provenance) {
    return {
      uuid: event.uuid,
      feedId: provenance.feedId,
      importId: provenance.importId,
      info: event.info,
      date: event.date,
      timestamp: event.timestamp,
      publishTimestamp: event.publishTimestamp,
      published: bool(event.published),
      analysis: event.analysis,
      threatLevelId: event.threatLevelId,
      distribution: opt(event.distribution),
      sharingGroupId: opt(event.sharingGroupId),
      orgcName: event.orgc?.name ?? null,
      orgcUuid: event.orgc?.uuid ?? null,
      extra: extraOf(event),
    };
  }

  private attachTags(statement: typeof this.s.eventTag, ownerId: number, tags: readonly Tag[]) {
    // In the source's order: an export writes them back the same way.
    tags.forEach((t, position) => statement.run(ownerId, this.tags.idFor(t), bool(t.local), t.relationshipType ?? null, position));
  }

  private storeAnalystData(holder: WithAnalystData & { readonly uuid: string }, type: AnalystDataHolder, eventId: number, counts: WriteCounts) {
    holder.analystData?.forEach((d, position) => {
      const r = this.s.analystData.run(eventId, d.uuid, d.kind, type, holder.uuid, position, JSON.stringify(d.body));
      if (r.changes === 0) counts.droppedUuids.push(d.uuid);
    });
  }

  /** The analyst data of every item of `event` (only those whose item is stored: see insert and update). */
  private storeAllAnalystData(event: Event, eventId: number, counts: WriteCounts, stored: (uuid: string) => boolean) {
    this.storeAnalystData(event, 'Event', eventId, counts);
    for (const a of event.attributes) if (a.analystData && stored(a.uuid)) this.storeAnalystData(a, 'Attribute', eventId, counts);
    for (const o of event.objects) {
      if (o.analystData && stored(o.uuid)) this.storeAnalystData(o, 'Object', eventId, counts);
      for (const a of o.attributes) if (a.analystData && stored(a.uuid)) this.storeAnalystData(a, 'Attribute', eventId, counts);
    }
    for (const r of event.reports) if (r.analystData && stored(r.uuid)) this.storeAnalystData(r, 'EventReport', eventId, counts);
  }

  /**
   * An attribute's correlation keys, each a row of correlation_key: most attributes have one, equal to their
   * (normalised) value (`selfKeyed`, stored as attribute.correlates).
   */
  private keysOf(a: Attribute, eventDisablesCorrelation: boolean): { selfKeyed: boolean; keys: readonly string[] } {
    if (a.deleted || eventDisablesCorrelation) return NO_KEYS;
    // Values arrive normalised (the feed reader stores them as MISP would), so the keys need no second pass.
    const keys = correlationKeys({ type: a.type, value: a.value, disable_correlation: a.disableCorrelation, normalised: true });
    return { selfKeyed: keys.length === 1 && keys[0] === a.value, keys };
  }

  /**
   * Keys are collected and inserted sorted when the caller flushes (before it commits): the key index is ordered by
   * hash (see correlation-key.ts), and inserting a sorted run touches each of its pages once instead of at random.
   */
  private indexKeys(keys: readonly string[], attributeId: number, eventId: number) {
    for (const key of keys) {
      const hash = keyHash(key);
      if (this.keys === 'sorted') this.pendingKeys.push({ key, hash, attributeId, eventId });
      else this.s.insertKey.run(key, hash, attributeId, eventId);
    }
  }

  /** Write the collected correlation keys; call inside the transaction that wrote their attributes. */
  flushKeys(): void {
    if (this.pendingKeys.length === 0) return;
    this.pendingKeys.sort((x, y) => x.hash - y.hash || x.attributeId - y.attributeId);
    for (const k of this.pendingKeys) this.s.insertKey.run(k.key, k.hash, k.attributeId, k.eventId);
    this.pendingKeys = [];
  }

  private insertAttribute(a: Attribute, eventId: number, objectId: number | null, counts: WriteCounts, noCorrelation: boolean) {
    const correlation = this.keysOf(a, noCorrelation);
    const params = [
      eventId, objectId, a.uuid, a.type, a.category, a.value, bool(a.toIds), a.comment, a.timestamp, opt(a.distribution),
      opt(a.sharingGroupId), opt(a.objectRelation), opt(a.firstSeen), opt(a.lastSeen), bool(a.deleted),
      bool(a.disableCorrelation), opt(a.data), bool(correlation.selfKeyed),
    ] as const;
    const staged = this.keys === 'staged';
    const r = staged
      ? this.stagedAttribute().run(...params, correlation.selfKeyed ? keyHash(a.value) : null)
      : this.s.insertAttribute.run(...params);
    if (r.changes === 0) {
      counts.droppedUuids.push(a.uuid);
      return;
    }
    const id = Number(r.lastInsertRowid);
    counts.attributes++;
    if (a.tags.length > 0) this.attachTags(this.s.attributeTag, id, a.tags);
    if (!(staged && correlation.selfKeyed)) this.indexKeys(correlation.keys, id, eventId);
  }

  private staged: Database.Statement<unknown[]> | null = null;
  /** The staging file's attribute insert: the library's, plus key_hash (prepared on first use: only staging files have the column). */
  private stagedAttribute(): Database.Statement<unknown[]> {
    this.staged ??= this.db.prepare<unknown[]>(
      `INSERT OR IGNORE INTO attribute (event_id, object_id, uuid, type, category, value, to_ids, comment, timestamp,
         distribution, sharing_group_id, object_relation, first_seen, last_seen, deleted, disable_correlation, data, correlates, key_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return this.staged;
  }

  private insertObject(o: MispObject, eventId: number, counts: WriteCounts, noCorrelation: boolean) {
    const r = this.s.insertObject.run(
      eventId, o.uuid, o.name, o.metaCategory, o.description, o.templateUuid, o.templateVersion, o.comment, o.timestamp,
      opt(o.distribution), opt(o.sharingGroupId), opt(o.firstSeen), opt(o.lastSeen), bool(o.deleted),
    );
    if (r.changes === 0) {
      counts.droppedUuids.push(o.uuid);
      return;
    }
    const objectId = Number(r.lastInsertRowid);
    counts.objects++;
    for (const a of o.attributes) this.insertAttribute(a, eventId, objectId, counts, noCorrelation);
    for (const ref of o.references) this.insertReference(ref, objectId, counts);
  }

  private insertReference(ref: ObjectReference, objectId: number, counts: WriteCounts) {
    const r = this.s.insertReference.run(objectId, ref.uuid, ref.referencedUuid, ref.relationshipType, ref.comment, ref.timestamp, bool(ref.deleted));
    if (r.changes === 0) counts.droppedUuids.push(ref.uuid);
  }

  private insertReport(rep: EventReport, eventId: number, counts: WriteCounts) {
    const r = this.s.insertReport.run(eventId, rep.uuid, rep.name, rep.content, rep.timestamp, opt(rep.distribution), opt(rep.sharingGroupId), bool(rep.deleted));
    if (r.changes === 0) counts.droppedUuids.push(rep.uuid);
  }

  /** Add a new event with everything in it. */
  insert(event: Event, provenance: Provenance): WriteCounts {
    const counts: WriteCounts = { attributes: 0, objects: 0, droppedUuids: [] };
    const eventId = Number(this.s.insertEvent.run(this.eventParams(event, provenance)).lastInsertRowid);
    const noCorrelation = event.disableCorrelation === true;
    this.attachTags(this.s.eventTag, eventId, event.tags);
    for (const a of event.attributes) this.insertAttribute(a, eventId, null, counts, noCorrelation);
    for (const o of event.objects) this.insertObject(o, eventId, counts, noCorrelation);
    for (const rep of event.reports) this.insertReport(rep, eventId, counts);
    if (hasAnalystData(event)) {
      const dropped = new Set(counts.droppedUuids);
      this.storeAllAnalystData(event, eventId, counts, (uuid) => !dropped.has(uuid));
    }
    this.s.counts.run({ id: eventId });
    return counts;
  }

  /** Apply a newer version of a stored event, MISP's way (additive, per-item timestamps). */
  update(stored: StoredEventState, event: Event, provenance: Provenance): WriteCounts {
    // A staging file takes new events only: an update there would write self keys the merge does not expect.
    if (this.keys === 'staged') throw new Error('EventStore: a staging file takes new events only');
    const counts: WriteCounts = { attributes: 0, objects: 0, droppedUuids: [] };
    const eventId = stored.id;
    const noCorrelation = event.disableCorrelation === true;
    this.s.updateEvent.run({ ...this.eventParams(event, provenance), id: eventId });
    this.attachTags(this.s.eventTag, eventId, event.tags);

    const attributes = new Map(this.s.existingAttributes.all(eventId).map((r) => [r.uuid, r]));
    const objects = new Map(this.s.existingObjects.all(eventId).map((r) => [r.uuid, r]));
    const upsertAttribute = (a: Attribute, objectId: number | null) => {
      const old = attributes.get(a.uuid);
      if (!old) return this.insertAttribute(a, eventId, objectId, counts, noCorrelation);
      if (a.timestamp <= old.timestamp) return;
      const correlation = this.keysOf(a, noCorrelation);
      this.s.updateAttribute.run(
        a.type, a.category, a.value, bool(a.toIds), a.comment, a.timestamp, opt(a.distribution), opt(a.sharingGroupId),
        opt(a.objectRelation), opt(a.firstSeen), opt(a.lastSeen), bool(a.deleted), bool(a.disableCorrelation), opt(a.data),
        bool(correlation.selfKeyed), old.id,
      );
      this.s.deleteKeys.run(old.id);
      this.indexKeys(correlation.keys, old.id, eventId);
      if (a.tags.length > 0) this.attachTags(this.s.attributeTag, old.id, a.tags);
      counts.attributes++;
    };
    for (const a of event.attributes) upsertAttribute(a, null);
    for (const o of event.objects) {
      const old = objects.get(o.uuid);
      if (!old) {
        this.insertObject(o, eventId, counts, noCorrelation);
        continue;
      }
      if (o.timestamp > old.timestamp) {
        this.s.updateObject.run(
          o.name, o.metaCategory, o.description, o.templateUuid, o.templateVersion, o.comment, o.timestamp,
          opt(o.distribution), opt(o.sharingGroupId), opt(o.firstSeen), opt(o.lastSeen), bool(o.deleted), old.id,
        );
        counts.objects++;
      }
      for (const a of o.attributes) upsertAttribute(o.deleted ? { ...a, deleted: true } : a, old.id);
      for (const ref of o.references) {
        const r = this.s.updateReference.run(ref.referencedUuid, ref.relationshipType, ref.comment, ref.timestamp, bool(ref.deleted), ref.uuid, old.id, ref.timestamp);
        if (r.changes === 0 && !this.s.referenceExists.get(ref.uuid, old.id)) this.insertReference(ref, old.id, counts);
      }
    }
    for (const rep of event.reports) {
      const r = this.s.updateReport.run(rep.name, rep.content, rep.timestamp, opt(rep.distribution), opt(rep.sharingGroupId), bool(rep.deleted), rep.uuid, eventId, rep.timestamp);
      if (r.changes === 0 && !this.s.reportExists.get(rep.uuid, eventId)) this.insertReport(rep, eventId, counts);
    }
    if (hasAnalystData(event)) {
      const dropped = new Set(counts.droppedUuids);
      this.storeAllAnalystData(event, eventId, counts, (uuid) => !dropped.has(uuid));
    }
    this.s.counts.run({ id: eventId });
    return counts;
  }

  /** After a rollback: forget tag ids and keys that belonged to the undone writes. */
  resetCaches(): void {
    this.tags.reset();
    this.pendingKeys = [];
  }
}
