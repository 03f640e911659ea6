/**
 * How correlation_key is indexed (db/migrations/006-key-index-by-hash.ts): by a 47-bit hash of the key, not by the
 * key's text. Keys are values (domains, urls, hashes of 32–128 characters), so an index of their text is large,
 * and a large import grows it at random on every merge step; an index of 6-byte integers has a third of the pages
 * to touch and to write. A lookup must go through `keyMatch`: the hash finds the rows through the index, the key
 * itself then sorts out the rare collision.
 */

/**
 * A stable 47-bit hash of a key's UTF-16 code units. Stored in the library: changing it means a migration that
 * recomputes every row. 47 bits so that SQLite stores it in 6 bytes; two multiplicative lanes, each finalised so
 * that short keys (IPv4 addresses, ports) spread over the whole range.
 */
export function keyHash(key: string): number {
  let a = 0x811c9dc5 | 0;
  let b = 0x27d4eb2f | 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= key.length;
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 16), 0x7feb352d);
  b = Math.imul(b ^ (b >>> 15), 0x846ca68b);
  b ^= b >>> 16;
  return (a >>> 0) * 0x8000 + (b >>> 17);
}

/** The SQL function name under which migrations and maintenance reach keyHash. */
export const KEY_HASH_FUNCTION = 'ferry_key_hash';

/**
 * A condition on correlation_key rows (as `alias`) whose key is one of `keys`, and its parameters: by hash first,
 * so SQLite uses the index, then by key.
 */
export function keyMatch(alias: string, keys: readonly string[]): { sql: string; params: (string | number)[] } {
  const marks = keys.map(() => '?').join(', ');
  return { sql: `${alias}.hash IN (${marks}) AND ${alias}.key IN (${marks})`, params: [...keys.map(keyHash), ...keys] };
}
