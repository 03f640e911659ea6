/**
 * The floor an importer is compared with: the same files read and the same rows written with nothing but
 * JSON.parse and one prepared statement, no validation, no model, no indexes. The database is opened with the
 * library's own journal settings (WAL, synchronous=NORMAL) so the difference is Ferry's work, not SQLite's.
 */
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LIBRARY_PAGE_SIZE } from '../../electron/backend/db/open-library';

interface FeedAttribute {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids?: boolean;
  comment?: string;
  timestamp: string;
}
interface FeedEvent {
  Event: { uuid: string; Attribute?: FeedAttribute[]; Object?: { Attribute?: FeedAttribute[] }[] };
}

function openScratch(dbPath: string): Database.Database {
  const db = new Database(dbPath);
  // The library's page size: the baseline writes the way the import does, minus the work that is Ferry's.
  db.pragma(`page_size = ${LIBRARY_PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** Parses every event file of a feed folder and inserts its attribute rows; returns the number of rows. */
export function baselineFetch(feedDir: string, dbPath: string): number {
  const db = openScratch(dbPath);
  try {
    db.exec('CREATE TABLE attribute (uuid TEXT, event TEXT, type TEXT, category TEXT, value TEXT, to_ids INTEGER, comment TEXT, timestamp INTEGER)');
    const insert = db.prepare('INSERT INTO attribute VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const files = readdirSync(feedDir).filter((n) => n.endsWith('.json') && n !== 'manifest.json');
    let rows = 0;
    // One file at a time inside the one transaction: holding every parsed event at once would measure the heap.
    db.transaction(() => {
      for (const file of files) {
        const { Event: event } = JSON.parse(readFileSync(join(feedDir, file), 'utf8')) as FeedEvent;
        const add = (a: FeedAttribute) => {
          insert.run(a.uuid, event.uuid, a.type, a.category, a.value, a.to_ids ? 1 : 0, a.comment ?? '', Number(a.timestamp));
          rows++;
        };
        for (const a of event.Attribute ?? []) add(a);
        for (const o of event.Object ?? []) for (const a of o.Attribute ?? []) add(a);
      }
    })();
    return rows;
  } finally {
    db.close();
  }
}

/** Streams hashes.csv and inserts (md5 as 16 bytes, event number) rows; returns the number of rows. */
export async function baselineCache(hashesCsv: string, dbPath: string): Promise<number> {
  const db = openScratch(dbPath);
  try {
    db.exec('CREATE TABLE feed_cache (md5 BLOB, event_ref INTEGER)');
    const insert = db.prepare('INSERT INTO feed_cache VALUES (?, ?)');
    const events = new Map<string, number>();
    // One reused 16-byte buffer (better-sqlite3 copies on bind): a Buffer per line would measure the GC instead.
    const md5 = Buffer.alloc(16);
    let rows = 0;
    let rest = '';
    const addLine = (line: string) => {
      const comma = line.indexOf(',');
      if (comma < 0) return;
      const uuid = line.slice(comma + 1);
      let ref = events.get(uuid);
      // A copy as the key: the sliced string would keep its whole 1 MB chunk alive for as long as the map lives.
      if (ref === undefined) events.set(Buffer.from(uuid).toString(), (ref = events.size + 1));
      md5.write(line.slice(0, comma), 'hex');
      insert.run(md5, ref);
      rows++;
    };
    db.exec('BEGIN');
    for await (const chunk of createReadStream(hashesCsv, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const lines = (rest + (chunk as string)).split('\n');
      rest = lines.pop()!;
      for (const line of lines) addLine(line);
    }
    addLine(rest);
    db.exec('COMMIT');
    return rows;
  } finally {
    db.close();
  }
}
