import type { Event } from './event';

/**
 * MISP takes an update only when the incoming timestamp is strictly greater than the stored one, so an edit
 * must move it forward even when the clock has not (two edits in the same second, or a clock behind the data).
 */
export function nextTimestamp(previous: number, now: number): number {
  return Math.max(Math.floor(now), previous + 1);
}

/** The event with its timestamp moved forward; call after any change so feed consumers pick it up. */
export function touchEvent(event: Event, now: number): Event {
  return { ...event, timestamp: nextTimestamp(event.timestamp, now) };
}

/** `YYYY-MM-DD` of a Unix time in UTC, or undefined outside the range dates can express. */
export function utcDate(unixSeconds: number): string | undefined {
  if (!Number.isFinite(unixSeconds)) return undefined;
  const d = new Date(unixSeconds * 1000);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().slice(0, 10);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (the Cake `date` rule MISP applies). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
