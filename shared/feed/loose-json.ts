/**
 * Lenient readers for single JSON fields. MISP is PHP and compares loosely, so real feeds spell integers as
 * numbers or numeric strings and booleans as `true`, `1`, `"1"` or `"true"`; these helpers accept all of them and
 * return undefined for anything else, leaving the caller to decide whether that is worth an issue.
 */
export type JsonObject = Record<string, unknown>;

/** Lets a reader fill a readonly model value field by field before handing it out. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An integer from a JSON number or a string of digits; undefined when absent, fractional or unsafe. */
export function looseInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  if (!/^-?\d{1,16}$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A boolean from true/false, 1/0, "1"/"0", "true"/"false"; undefined otherwise (including null). */
export function looseBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return undefined;
}

/** A string, or a number written as PHP would print it; undefined for everything else. */
export function looseString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Shortened, printable rendering of a bad value for issue messages (never the whole of a huge string). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
