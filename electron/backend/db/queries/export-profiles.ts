/** Export profiles: an export's settings under a name, to run again in one click or one command. */
import type { ReadHandle, WriteHandle } from '../handles';
import { failure, success, type Result } from '../../result';

export interface StoredProfile {
  readonly name: string;
  /** The profile's settings as JSON (see exportProfileSchema); checked again when read. */
  readonly settings: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface Row { name: string; settings: string; created_at: number; updated_at: number }
const profileOf = (r: Row): StoredProfile => ({ name: r.name, settings: r.settings, createdAt: r.created_at, updatedAt: r.updated_at });

export function listProfiles(db: ReadHandle): StoredProfile[] {
  return db.prepare<[], Row>('SELECT * FROM export_profile ORDER BY name COLLATE NOCASE').all().map(profileOf);
}

export function getProfile(db: ReadHandle, name: string): Result<StoredProfile> {
  const row = db.prepare<[string], Row>('SELECT * FROM export_profile WHERE name = ?').get(name);
  return row ? success(profileOf(row)) : failure('not-found', `no export profile named "${name.slice(0, 100)}"`);
}

/** Adds the profile, or replaces the settings of the one with that name (names compare without case). */
export function saveProfile(db: WriteHandle, name: string, settings: string, now: number): StoredProfile {
  db.prepare(
    `INSERT INTO export_profile (name, settings, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
  ).run(name, settings, now, now);
  return profileOf(db.prepare<[string], Row>('SELECT * FROM export_profile WHERE name = ?').get(name)!);
}

export function removeProfile(db: WriteHandle, name: string): Result<{ name: string }> {
  const row = db.prepare<[string], Row>('SELECT * FROM export_profile WHERE name = ?').get(name);
  if (!row) return failure('not-found', `no export profile named "${name.slice(0, 100)}"`);
  db.prepare('DELETE FROM export_profile WHERE name = ?').run(row.name);
  return success({ name: row.name });
}
