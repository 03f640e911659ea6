import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../electron/backend/db/migrations';
import { openLibrary } from '../../electron/backend/db/open-library';
import { attributeUuidKey } from '../../electron/backend/db/queries/attribute-uuid';
import { keyHash, keyMatch } from '../../electron/backend/db/queries/correlation-key';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();

/** Feed 1 and its event 1: what the migration tests' attribute rows hang from. */
const ONE_FEED_AND_EVENT = `INSERT INTO feed (id, config, created_at, updated_at) VALUES (1, '{"name":"f"}', 0, 0);
  INSERT INTO event (id, uuid, feed_id, info, date, timestamp, published, analysis, threat_level_id, distribution)
    VALUES (1, '5f1c3f0e-0000-4000-8000-000000000001', 1, 'e', '2026-01-01', 1, 0, 0, 4, 0);`;

describe('library migrations', () => {
  it('are numbered 1, 2, 3… with no gap', () => {
    MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
  });

  it('create a new library at the newest schema, in WAL mode', () => {
    const path = join(tempDir(), 'sub', 'library.sqlite');
    const opened = openLibrary(path);
    if (!opened.ok) throw new Error(opened.error.message);
    const db = opened.value;
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('migration 1 creates the settings table with the creation time', () => {
    const db = new Database(join(tempDir(), 'm1.sqlite'));
    const r = migrate(db, MIGRATIONS.slice(0, 1));
    expect(r.ok && r.value).toBe(1);
    const created = db.prepare("SELECT value FROM setting WHERE key = 'created_at'").pluck().get() as string;
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    db.close();
  });

  it('reopening an up-to-date library changes nothing', () => {
    const path = join(tempDir(), 'again.sqlite');
    const first = openLibrary(path);
    if (!first.ok) throw new Error(first.error.message);
    first.value.prepare("INSERT INTO setting (key, value) VALUES ('probe', 'kept')").run();
    first.value.close();
    const second = openLibrary(path);
    if (!second.ok) throw new Error(second.error.message);
    expect(second.value.prepare("SELECT value FROM setting WHERE key = 'probe'").pluck().get()).toBe('kept');
    second.value.close();
  });

  it('refuses a library from a newer Ferry without touching it', () => {
    const path = join(tempDir(), 'future.sqlite');
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    const r = openLibrary(path);
    expect(!r.ok && r.error.message).toMatch(/schema 999, newer than this Ferry knows/);
    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    check.close();
  });

  it('a failing step leaves the library at the last good version', () => {
    const db = new Database(join(tempDir(), 'fail.sqlite'));
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE half (x); SELECT * FROM missing_table') }];
    const r = migrate(db, broken);
    expect(!r.ok && r.error.message).toMatch(/migration \d+ \(broken\) failed/);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });

  it('migration 2 creates the library: feeds keyed by name, cascading events, unique uuids', () => {
    const db = new Database(join(tempDir(), 'm2.sqlite'));
    db.pragma('foreign_keys = ON');
    expect(migrate(db, MIGRATIONS.slice(0, 2)).ok).toBe(true);
    const now = 1_700_000_000;
    db.prepare('INSERT INTO feed (config, created_at, updated_at) VALUES (?, ?, ?)').run(JSON.stringify({ name: 'CIRCL OSINT', sourceFormat: 'misp', enabled: true }), now, now);
    expect(db.prepare('SELECT name, source_format, enabled FROM feed').get()).toEqual({ name: 'CIRCL OSINT', source_format: 'misp', enabled: 1 });
    // Names are unique regardless of case, as MISP users expect.
    expect(() => db.prepare('INSERT INTO feed (config, created_at, updated_at) VALUES (?, ?, ?)').run(JSON.stringify({ name: 'circl osint' }), now, now)).toThrow(/UNIQUE/);

    const ev = db.prepare("INSERT INTO event (uuid, feed_id, info, date, timestamp) VALUES ('e1', 1, 'x', '2024-01-01', 1)").run().lastInsertRowid;
    const attr = db.prepare("INSERT INTO attribute (event_id, uuid, type, category, value, to_ids, timestamp) VALUES (?, 'a1', 'ip-dst', 'Network activity', '192.0.2.1', 1, 1)").run(ev).lastInsertRowid;
    db.prepare("INSERT INTO correlation_key (key, attribute_id, event_id) VALUES ('192.0.2.1', ?, ?)").run(attr, ev);
    expect(() => db.prepare("INSERT INTO attribute (event_id, uuid, type, category, value, to_ids, timestamp) VALUES (?, 'a1', 'ip-dst', 'Network activity', 'x', 1, 1)").run(ev)).toThrow(/UNIQUE/);

    db.prepare('DELETE FROM event WHERE id = ?').run(ev);
    expect(db.prepare('SELECT count(*) FROM attribute').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM correlation_key').pluck().get()).toBe(0);
    // Removing a feed keeps its imported events (they become local) but drops its cache.
    db.prepare("INSERT INTO event (uuid, feed_id, info, date, timestamp) VALUES ('e2', 1, 'x', '2024-01-01', 1)").run();
    const ce = db.prepare("INSERT INTO feed_cache_event (feed_id, uuid) VALUES (1, 'e9')").run().lastInsertRowid;
    db.prepare('INSERT INTO feed_cache (md5, feed_id, event_ref) VALUES (?, 1, ?)').run(Buffer.alloc(16, 1), ce);
    db.prepare('DELETE FROM feed WHERE id = 1').run();
    expect(db.prepare("SELECT feed_id FROM event WHERE uuid = 'e2'").pluck().get()).toBeNull();
    expect(db.prepare('SELECT count(*) FROM feed_cache').pluck().get()).toBe(0);
    db.close();
  });

  it('migration 4 moves the self keys into correlation_key and drops the value index', () => {
    const db = new Database(join(tempDir(), 'm4.sqlite'));
    expect(migrate(db, MIGRATIONS.slice(0, 3)).ok).toBe(true);
    db.exec(`${ONE_FEED_AND_EVENT}
      INSERT INTO attribute (id, event_id, uuid, type, category, value, to_ids, timestamp, correlates) VALUES
        (1, 1, '5f1c3f0e-0000-4000-8000-00000000000a', 'ip-dst', 'Network activity', '198.51.100.7', 1, 1, 1),
        (2, 1, '5f1c3f0e-0000-4000-8000-00000000000b', 'ip-dst|port', 'Network activity', '198.51.100.8|80', 1, 1, 0),
        (3, 1, '5f1c3f0e-0000-4000-8000-00000000000c', 'comment', 'Other', 'no key', 0, 1, 0);
      INSERT INTO correlation_key (key, attribute_id, event_id) VALUES ('198.51.100.8', 2, 1);`);
    expect(migrate(db, MIGRATIONS).ok).toBe(true);
    expect(db.prepare('SELECT key, attribute_id AS a FROM correlation_key ORDER BY attribute_id').all()).toEqual([
      { key: '198.51.100.7', a: 1 },
      { key: '198.51.100.8', a: 2 },
    ]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'attribute_value_key'").pluck().get()).toBe(0);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('migration 5 keys the attribute uuid index by bytes: still unique, and used by lookups through attributeUuidKey', () => {
    const path = join(tempDir(), 'm5.sqlite');
    const opened = openLibrary(path);
    if (!opened.ok) throw new Error(opened.error.message);
    const db = opened.value;
    db.exec(ONE_FEED_AND_EVENT);
    const insert = db.prepare(
      "INSERT OR IGNORE INTO attribute (event_id, uuid, type, category, value, to_ids, timestamp) VALUES (1, ?, 'ip-dst', 'Network activity', ?, 1, 1)",
    );
    expect(insert.run('5f1c3f0e-0000-4000-8000-00000000000a', 'first').changes).toBe(1);
    expect(insert.run('5f1c3f0e-0000-4000-8000-00000000000a', 'second').changes).toBe(0);
    expect(insert.run('not-a-hex-uuid', 'odd').changes).toBe(1);
    expect(insert.run('not-a-hex-uuid', 'odd again').changes).toBe(0);
    const lookup = `SELECT value FROM attribute WHERE ${attributeUuidKey('uuid')} = ${attributeUuidKey('@u')}`;
    expect(db.prepare(lookup).pluck().get({ u: '5f1c3f0e-0000-4000-8000-00000000000a' })).toBe('first');
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${lookup}`).all({ u: 'x' }) as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toContain('USING INDEX attribute_uuid');
    db.close();
  });

  it('migration 6 indexes correlation keys by hash: rows kept, hashes filled, lookups through keyMatch use the index', () => {
    const db = new Database(join(tempDir(), 'm6.sqlite'));
    expect(migrate(db, MIGRATIONS.slice(0, 5)).ok).toBe(true);
    db.exec(`${ONE_FEED_AND_EVENT}
      INSERT INTO attribute (id, event_id, uuid, type, category, value, to_ids, timestamp, correlates) VALUES
        (1, 1, '5f1c3f0e-0000-4000-8000-00000000000a', 'ip-dst', 'Network activity', '198.51.100.7', 1, 1, 1),
        (2, 1, '5f1c3f0e-0000-4000-8000-00000000000b', 'ip-dst|port', 'Network activity', '198.51.100.8|80', 1, 1, 0);
      INSERT INTO correlation_key (key, attribute_id, event_id) VALUES ('198.51.100.7', 1, 1), ('198.51.100.8', 2, 1);`);
    expect(migrate(db, MIGRATIONS).ok).toBe(true);
    const rows = db.prepare('SELECT key, hash, attribute_id AS a FROM correlation_key ORDER BY a').all();
    expect(rows).toEqual([
      { key: '198.51.100.7', hash: keyHash('198.51.100.7'), a: 1 },
      { key: '198.51.100.8', hash: keyHash('198.51.100.8'), a: 2 },
    ]);
    const match = keyMatch('k', ['198.51.100.8', 'absent.example']);
    const lookup = `SELECT k.attribute_id FROM correlation_key k WHERE ${match.sql}`;
    expect(db.prepare(lookup).pluck().all(...match.params)).toEqual([2]);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${lookup}`).all(...match.params) as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toContain('INDEX correlation_key_hash');
    // The keys still go with their attribute, and a row without a hash is refused.
    db.exec('DELETE FROM attribute WHERE id = 1');
    expect(db.prepare('SELECT count(*) FROM correlation_key').pluck().get()).toBe(1);
    expect(() => db.exec("INSERT INTO correlation_key (key, attribute_id, event_id) VALUES ('x', 2, 1)")).toThrow(/NOT NULL/);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('keyHash is stable (stored in libraries), 47 bits, and spreads short keys', () => {
    // Pinned: a change here needs a migration that recomputes every stored hash.
    expect([keyHash(''), keyHash('198.51.100.7'), keyHash('evil.example')]).toEqual([94142428734409, 124853380468449, 11153497042740]);
    const seen = new Set<number>();
    let outOfRange = 0;
    for (let i = 0; i < 200_000; i++) {
      const h = keyHash(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      if (!Number.isSafeInteger(h) || h < 0 || h >= 2 ** 47) outOfRange++;
      seen.add(h);
    }
    expect(outOfRange).toBe(0);
    expect(seen.size).toBe(200_000);
  });

  it('a new library gets 16 KiB pages; an existing one keeps its own, and checkpoints at the same WAL size in bytes', () => {
    const fresh = openLibrary(join(tempDir(), 'new.sqlite'));
    if (!fresh.ok) throw new Error(fresh.error.message);
    expect(fresh.value.pragma('page_size', { simple: true })).toBe(16_384);
    expect(fresh.value.pragma('wal_autocheckpoint', { simple: true })).toBe(2048);
    fresh.value.close();
    const oldPath = join(tempDir(), 'old.sqlite');
    const old = new Database(oldPath);
    old.pragma('page_size = 4096');
    expect(migrate(old, MIGRATIONS).ok).toBe(true);
    old.close();
    const reopened = openLibrary(oldPath);
    if (!reopened.ok) throw new Error(reopened.error.message);
    expect(reopened.value.pragma('page_size', { simple: true })).toBe(4096);
    expect(reopened.value.pragma('wal_autocheckpoint', { simple: true })).toBe(8192);
    expect(reopened.value.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.value.close();
  });
});
