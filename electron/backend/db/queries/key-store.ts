/** The library's OpenPGP keys: own signing keys (with their encrypted private part) and trusted public keys. */
import type { KeyInfo } from '../../keys/openpgp-keys';
import type { ReadHandle, WriteHandle } from '../handles';
import { failure, success, type Result } from '../../result';

export type KeyKind = 'own' | 'trusted';

export interface StoredKey extends KeyInfo {
  readonly kind: KeyKind;
  readonly addedAt: number;
}

interface Row {
  fingerprint: string; kind: KeyKind; user_ids: string; algorithm: string; created_at: number; added_at: number;
  public_armored: string; private_armored: string | null;
}

const keyOf = (r: Row): StoredKey => ({
  fingerprint: r.fingerprint, kind: r.kind, userIds: JSON.parse(r.user_ids) as string[], algorithm: r.algorithm,
  createdAt: r.created_at, addedAt: r.added_at, publicArmored: r.public_armored,
});

export function listKeys(db: ReadHandle): StoredKey[] {
  return db.prepare<[], Row>('SELECT * FROM pgp_key ORDER BY kind, added_at, fingerprint').all().map(keyOf);
}

/**
 * A key named by a user: its full fingerprint, the last 16 or more hex digits of it, or a part of a user id
 * (case-insensitive). More than one match is refused, listing them, rather than guessed.
 */
export function findKey(db: ReadHandle, query: string, kind?: KeyKind): Result<StoredKey & { readonly privateArmored: string | null }> {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  const rows = db.prepare<[], Row>('SELECT * FROM pgp_key').all().filter((r) => kind === undefined || r.kind === kind);
  const hex = /^(0x)?[0-9a-f]{16,}$/.test(q) ? q.replace(/^0x/, '') : null;
  const matches = rows.filter((r) =>
    hex !== null ? r.fingerprint.endsWith(hex) : (JSON.parse(r.user_ids) as string[]).some((u) => u.toLowerCase().includes(query.trim().toLowerCase())),
  );
  const what = kind === 'own' ? 'signing key' : 'key';
  if (matches.length === 0) return failure('not-found', `no ${what} matches "${query.slice(0, 80)}"`);
  if (matches.length > 1) {
    return failure('invalid-input', `"${query.slice(0, 80)}" matches ${matches.length} keys (${matches.map((m) => m.fingerprint.slice(-16)).join(', ')}); give a fingerprint`);
  }
  const row = matches[0]!;
  return success({ ...keyOf(row), privateArmored: row.private_armored });
}

/** Adds a key, or refreshes a trusted one; an own key is never replaced by a public one of the same fingerprint. */
export function saveKey(db: WriteHandle, key: KeyInfo, kind: KeyKind, addedAt: number, privateArmored: string | null): Result<StoredKey> {
  const existing = db.prepare<[string], Row>('SELECT * FROM pgp_key WHERE fingerprint = ?').get(key.fingerprint);
  if (existing?.kind === 'own' && kind === 'trusted') return success(keyOf(existing));
  db.prepare(
    `INSERT INTO pgp_key (fingerprint, kind, user_ids, algorithm, created_at, added_at, public_armored, private_armored)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (fingerprint) DO UPDATE SET kind = excluded.kind, user_ids = excluded.user_ids,
       public_armored = excluded.public_armored, private_armored = excluded.private_armored`,
  ).run(key.fingerprint, kind, JSON.stringify(key.userIds), key.algorithm, key.createdAt, existing?.added_at ?? addedAt, key.publicArmored, privateArmored);
  return success(keyOf(db.prepare<[string], Row>('SELECT * FROM pgp_key WHERE fingerprint = ?').get(key.fingerprint)!));
}

export function removeKey(db: WriteHandle, fingerprint: string): Result<{ removed: number }> {
  const r = db.prepare('DELETE FROM pgp_key WHERE fingerprint = ?').run(fingerprint);
  if (r.changes === 0) return failure('not-found', `no key ${fingerprint}`);
  return success({ removed: r.changes });
}
