/**
 * Bulk load: for an import that is large next to the library (a first import, a big feed), the two indexes whose
 * keys arrive in random order — attribute uuids, values and correlation keys — are dropped for the duration and rebuilt
 * sorted at the end. A million random B-tree inserts cost several times more than one sort, and committing them in
 * groups rewrote the same index pages into the WAL again and again.
 *
 * The whole load is one transaction, so a crash or a failure leaves the library exactly as before (indexes
 * included: DROP INDEX is transactional), and readers keep seeing the previous state until it commits. Each event
 * is still all-or-nothing inside it, through a savepoint. Without the uuid index, an attribute uuid that already
 * exists is found when the index is rebuilt: the later copy is dropped, as MISP keeps the first one, and reported.
 */
import { issue, type Issue } from '../../../shared/feed/issues';
import type { Library } from '../db/open-library';

const RANDOM_INDEXES = [
  { name: 'attribute_uuid', create: 'CREATE UNIQUE INDEX attribute_uuid ON attribute (uuid)' },
  { name: 'attribute_value_key', create: 'CREATE INDEX attribute_value_key ON attribute (value) WHERE correlates = 1' },
  { name: 'correlation_key_key', create: 'CREATE INDEX correlation_key_key ON correlation_key (key)' },
] as const;

/** Below this many new attributes random inserts are cheap enough; above, a sort wins. */
const BULK_MIN_ATTRIBUTES = 20_000;
/** Rebuilding costs in proportion to the whole table: worth it only when the import is a good part of it. */
const BULK_MIN_SHARE = 0.25;
/** Event JSON as feeds write it runs to about this many bytes per attribute (TweetFeed ~280, PyMISP ~350). */
const BYTES_PER_ATTRIBUTE = 300;

export type BulkLoadPolicy = 'auto' | 'always' | 'never';

export function shouldBulkLoad(db: Library, eventBytes: number, policy: BulkLoadPolicy = 'auto'): boolean {
  if (policy !== 'auto') return policy === 'always';
  const incoming = eventBytes / BYTES_PER_ATTRIBUTE;
  // max(id) is instant where count(*) scans; deletions only make it an overestimate.
  const existing = (db.prepare('SELECT coalesce(max(id), 0) FROM attribute').pluck().get() as number) ?? 0;
  return incoming >= BULK_MIN_ATTRIBUTES && incoming >= BULK_MIN_SHARE * (existing + incoming);
}

export interface DroppedDuplicate {
  readonly eventUuid: string;
  readonly attributeUuid: string;
}

export class BulkLoad {
  private readonly autoCheckpoint: number;

  constructor(private readonly db: Library) {
    this.autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0');
    // The rebuilt indexes are sorted by two threads (see cache-feed.ts for the figures that chose this).
    db.pragma('threads = 2');
    db.exec('BEGIN IMMEDIATE');
    for (const index of RANDOM_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index.name}`);
  }

  /** Drop duplicate uuids (keeping the first), rebuild the indexes and commit. Returns what was dropped. */
  finish(onPhase: (phase: string) => void): DroppedDuplicate[] {
    try {
      onPhase('indexing');
      // Duplicate uuids are rare: try the unique index first, and look for them only when it refuses.
      let dropped: DroppedDuplicate[] = [];
      try {
        this.db.exec('SAVEPOINT unique_uuids');
        for (const index of RANDOM_INDEXES) this.db.exec(index.create);
        this.db.exec('RELEASE unique_uuids');
      } catch (e) {
        if (!String((e as Error).message).includes('UNIQUE')) throw e;
        this.db.exec('ROLLBACK TO unique_uuids');
        this.db.exec('RELEASE unique_uuids');
        onPhase('dropping duplicate uuids');
        dropped = this.dropDuplicateUuids();
        for (const index of RANDOM_INDEXES) this.db.exec(index.create);
      }
      this.db.exec('COMMIT');
      return dropped;
    } catch (e) {
      this.abort();
      throw e;
    } finally {
      this.restoreCheckpointing();
    }
  }

  abort(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.restoreCheckpointing();
  }

  private restoreCheckpointing(): void {
    this.db.pragma('threads = 0');
    this.db.pragma(`wal_autocheckpoint = ${this.autoCheckpoint}`);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private dropDuplicateUuids(): DroppedDuplicate[] {
    const rows = this.db
      .prepare<[], { id: number; uuid: string; event_id: number; event_uuid: string }>(
        `SELECT a.id, a.uuid, a.event_id, e.uuid AS event_uuid FROM attribute a JOIN event e ON e.id = a.event_id
         WHERE a.uuid IN (SELECT uuid FROM attribute GROUP BY uuid HAVING count(*) > 1) ORDER BY a.uuid, a.id`,
      )
      .all();
    const dropped: DroppedDuplicate[] = [];
    const touched = new Set<number>();
    const remove = this.db.prepare<[number]>('DELETE FROM attribute WHERE id = ?');
    let previous = '';
    for (const r of rows) {
      if (r.uuid === previous) {
        remove.run(r.id);
        touched.add(r.event_id);
        dropped.push({ eventUuid: r.event_uuid, attributeUuid: r.uuid });
      }
      previous = r.uuid;
    }
    const recount = this.db.prepare<[{ id: number }]>(
      'UPDATE event SET attribute_count = (SELECT count(*) FROM attribute WHERE event_id = @id AND deleted = 0) WHERE id = @id',
    );
    for (const id of touched) recount.run({ id });
    return dropped;
  }
}

export function duplicateIssues(dropped: readonly DroppedDuplicate[]): Issue[] {
  return dropped.map((d) =>
    issue('warning', 'import.uuid-taken', `${d.eventUuid}.json#${d.attributeUuid}`, `uuid ${d.attributeUuid} already belongs to another attribute; this copy dropped (as MISP does)`),
  );
}
