/**
 * Cache: index a feed's values for correlation without importing its events (MISP's feed cache). From hashes.csv
 * when it is there and usable (streamed: a 13-million-line file never sits in memory), otherwise from the events,
 * as MISP's slow path does. The feed's previous cache is replaced atomically: the work happens in one transaction
 * on a connection of its own, so the rest of the app keeps reading the old cache until the new one is complete,
 * and a failure or cancel leaves the old one in place.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { readEvent } from '../../../shared/feed/event-reader';
import { eventHashes } from '../../../shared/feed/event-hashes';
import { applyFeedSettings } from '../../../shared/feed/feed-import';
import { createHashesReader } from '../../../shared/feed/hashes-csv';
import { hasErrors, issue, type Issue } from '../../../shared/feed/issues';
import { subjectFromManifestEntry } from '../../../shared/feed/filters';
import type { FeedSettings } from '../../../shared/model/feed-settings';
import type { HandlerContext } from '../dispatch';
import type { OpenedFeed } from '../source/open-feed';
import { readText } from '../source/open-feed';
import type { SourceLimits } from '../source/limits';
import { compileFeedRules } from './prepare-event';
import { throttledProgress } from './progress-throttle';
import { readAhead } from './read-ahead';

export interface CacheContext {
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
  readonly feedId: number;
  readonly feed: FeedSettings;
  readonly limits: SourceLimits;
  readonly handler: HandlerContext;
}

export interface CacheOutcome {
  readonly status: 'done' | 'cancelled';
  readonly values: number;
  readonly from: 'hashes.csv' | 'events' | 'values';
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export class CacheWriter {
  private readonly insert;
  private readonly insertEvent;
  private readonly eventRefs = new Map<string, number>();
  private readonly md5 = Buffer.alloc(16);
  values = 0;

  constructor(private readonly db: Database.Database, private readonly feedId: number) {
    this.insert = db.prepare<[Buffer, number, number | null]>('INSERT INTO feed_cache (md5, feed_id, event_ref) VALUES (?, ?, ?)');
    this.insertEvent = db.prepare<[number, string]>('INSERT INTO feed_cache_event (feed_id, uuid) VALUES (?, ?)');
  }

  /** Empties the feed's cache inside the open transaction; the index is rebuilt once at the end (faster than per row). */
  clear(): void {
    this.db.exec('DROP INDEX IF EXISTS feed_cache_md5');
    this.db.prepare('DELETE FROM feed_cache WHERE feed_id = ?').run(this.feedId);
    this.db.prepare('DELETE FROM feed_cache_event WHERE feed_id = ?').run(this.feedId);
    this.eventRefs.clear();
    this.values = 0;
  }

  /** `eventUuid` null: a freetext or CSV feed value, which belongs to no feed event. */
  add(md5Hex: string, eventUuid: string | null): void {
    let ref = eventUuid === null ? null : this.eventRefs.get(eventUuid);
    if (ref === undefined && eventUuid !== null) {
      ref = Number(this.insertEvent.run(this.feedId, eventUuid).lastInsertRowid);
      // A copy, not the slice: a sliced string keeps the whole megabyte chunk it came from alive.
      this.eventRefs.set(Buffer.from(eventUuid, 'latin1').toString('latin1'), ref);
    }
    // One scratch buffer for every row: better-sqlite3 copies a bound blob, so there is no need to allocate one each.
    this.md5.write(md5Hex, 'hex');
    this.insert.run(this.md5, this.feedId, ref ?? null);
    this.values++;
  }

  finish(): void {
    this.db.exec('CREATE INDEX feed_cache_md5 ON feed_cache (md5)');
  }
}

async function fromHashesCsv(opened: OpenedFeed, name: string, writer: CacheWriter, ctx: CacheContext, issues: Issue[]): Promise<'done' | 'cancelled' | 'unusable'> {
  const stream = await opened.source.stream(name);
  if (!stream.ok) {
    issues.push(issue('warning', 'hashes.unreadable', name, `${stream.error.message}; caching from the events instead`));
    return 'unusable';
  }
  const progress = throttledProgress(ctx.handler, 250);
  const total = opened.source.entries.get(name)?.size ?? null;
  let bytes = 0;
  const reader = createHashesReader({ file: name, onEntry: (e) => writer.add(e.md5, e.eventUuid) });
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream.value) {
      if (ctx.handler.signal.aborted) {
        stream.value.destroy();
        return 'cancelled';
      }
      bytes += (chunk as Buffer).length;
      reader.chunk(decoder.decode(chunk as Buffer, { stream: true }));
      progress({ phase: 'caching hashes.csv', done: bytes, total, message: `${writer.values} values` });
    }
    reader.chunk(decoder.decode());
  } catch (e) {
    issues.push(issue('warning', 'hashes.unreadable', name, `${(e as Error).message}; caching from the events instead`));
    return 'unusable';
  }
  const summary = reader.end();
  issues.push(...summary.issues);
  if (summary.entries === 0 || summary.invalid > summary.entries) {
    issues.push(issue('warning', 'hashes.unusable', name, `${summary.entries} usable lines of ${summary.lines}; caching from the events instead`));
    return 'unusable';
  }
  return 'done';
}

async function fromEvents(opened: OpenedFeed, writer: CacheWriter, ctx: CacheContext, issues: Issue[]): Promise<'done' | 'cancelled'> {
  const rules = compileFeedRules(ctx.feed, issues);
  const entries = opened.entries.filter((e) => rules.isEmpty || rules.evaluate(subjectFromManifestEntry(e)) !== 'reject');
  const progress = throttledProgress(ctx.handler);
  const read = (uuid: string) => {
    const name = opened.layout.eventFiles.get(uuid);
    return name ? readText(opened.source, name, ctx.limits.maxJsonBytes).then((r) => ({ name, r })) : Promise.resolve(null);
  };
  let done = 0;
  for await (const [, file] of readAhead(entries.map((e) => e.uuid), read, 4)) {
    if (ctx.handler.signal.aborted) return 'cancelled';
    done++;
    progress({ phase: 'caching events', done, total: entries.length });
    if (!file) continue; // already reported by openFeed
    if (!file.r.ok) {
      issues.push(issue('error', 'feed.event-file-unreadable', file.name, file.r.error.message));
      continue;
    }
    const parsed = readEvent(file.r.value, { file: file.name });
    if (!parsed.value || hasErrors(parsed.issues)) {
      issues.push(...parsed.issues.filter((i) => i.severity === 'error'));
      continue;
    }
    const event = applyFeedSettings(parsed.value, ctx.feed);
    for (const h of eventHashes(event, md5)) writer.add(h.md5, h.eventUuid);
  }
  return 'done';
}

/**
 * Replace a feed's cache with what `fill` writes, atomically: one transaction on a connection of its own; a cancel
 * or failure rolls back to the previous cache.
 */
export async function replaceFeedCache(
  ctx: Pick<CacheContext, 'dbPath' | 'sqliteBinding' | 'feedId' | 'handler'>,
  fill: (writer: CacheWriter) => Promise<'done' | 'cancelled'>,
): Promise<{ status: 'done' | 'cancelled'; values: number }> {
  const db = new Database(ctx.dbPath, ctx.sqliteBinding ? { nativeBinding: ctx.sqliteBinding } : {});
  db.pragma('busy_timeout = 10000');
  // Every row written here points at rows written in the same transaction (the feed, its cache events): checking
  // two parents for each of millions of rows proves nothing and cost a third of the run.
  db.pragma('foreign_keys = OFF');
  // The md5 index is built once at the end by sorting millions of keys. Two sorter threads with small in-memory
  // runs (they spill to temporary files and merge) beat one thread with a large one, in time and in peak memory
  // (13.5 million lines: 44 s / 290 MB against 53 s / 425 MB with one thread and 128 MB).
  db.pragma('cache_size = -32768');
  db.pragma('threads = 2');
  const writer = new CacheWriter(db, ctx.feedId);
  try {
    db.exec('BEGIN IMMEDIATE');
    writer.clear();
    const status = await fill(writer);
    if (status === 'cancelled') {
      db.exec('ROLLBACK');
      return { status, values: 0 };
    }
    ctx.handler.progress({ phase: 'indexing', done: 0, total: null, message: `${writer.values} values` });
    writer.finish();
    db.exec('COMMIT');
    return { status: 'done', values: writer.values };
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  } finally {
    db.close();
  }
}

export async function cacheFeed(opened: OpenedFeed, ctx: CacheContext, issues: Issue[]): Promise<CacheOutcome> {
  let from: CacheOutcome['from'] = 'hashes.csv';
  const result = await replaceFeedCache(ctx, async (writer) => {
    let status: 'done' | 'cancelled' | 'unusable' = 'unusable';
    if (opened.layout.hashes) status = await fromHashesCsv(opened, opened.layout.hashes, writer, ctx, issues);
    else issues.push(issue('info', 'hashes.missing', `${opened.layout.root}hashes.csv`, 'no hashes.csv; caching from the events'));
    if (status !== 'unusable') return status;
    writer.clear();
    from = 'events';
    return fromEvents(opened, writer, ctx, issues);
  });
  return { ...result, from };
}
