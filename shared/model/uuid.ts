/**
 * UUIDs are the identity of every MISP item (events, attributes, objects, references, reports, orgs).
 * MISP lower-cases them and checks them with a plain 8-4-4-4-12 hex pattern, so that is what we accept;
 * the version and variant nibbles are not checked because real feeds carry v1, v4 and v5 uuids.
 */
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}

/** The canonical spelling MISP stores: lower case, no surrounding spaces. Returns undefined for non-uuids. */
export function normaliseUuid(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return UUID_PATTERN.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

/**
 * Source of random bytes. shared/ has no crypto, so callers pass one in
 * (`(n) => crypto.getRandomValues(new Uint8Array(n))` in Node or a browser).
 */
export type RandomBytes = (count: number) => Uint8Array;

/** A random (version 4, RFC 9562 variant) uuid built from the given random source. */
export function newUuidV4(randomBytes: RandomBytes): string {
  const source = randomBytes(16);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = source[i] ?? 0;
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
