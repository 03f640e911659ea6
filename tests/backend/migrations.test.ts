import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../electron/backend/db/migrate';
import { MIGRATIONS } from '../../electron/backend/db/migrations';
import { openLibrary } from '../../electron/backend/db/open-library';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();

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
});
