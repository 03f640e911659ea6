/**
 * The `datetime` attribute type. MISP parses the value with PHP's DateTime (default zone GMT) and stores it
 * as `Y-m-d\TH:i:s.uO`, e.g. `2024-03-01T10:00:00.000000+0000`. PHP's parser understands almost anything
 * strtotime does, including relative phrases ("next monday") whose meaning depends on the day of import;
 * we cover the absolute forms real feeds carry and refuse the rest rather than guess:
 *
 * - ISO 8601 style dates with optional time, fraction and zone: `2024-03-01`, `2024-03-01T10:00`,
 *   `2024-03-01 10:00:00.5+02:00`, also with `/` between the date parts;
 * - Unix timestamps in PHP's `@1709287200` form;
 * - textual dates such as `Fri, 01 Mar 2024 10:00:00 +0000` (RFC 2822), `1 March 2024`, `March 1, 2024`.
 *
 * A given offset is kept (PHP does not convert to GMT when the text names a zone); only `Z`, `UTC`, `GMT`
 * and numeric offsets are understood as zones.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Parsed, not yet range-checked fields of a date and time. */
interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Microseconds, 0-999999. */
  micros: number;
  /** Offset east of UTC in minutes. */
  offsetMinutes: number;
}

/** A successfully normalised datetime value. */
export interface NormalisedDateTime {
  /** `YYYY-MM-DDTHH:MM:SS.uuuuuu±HHMM`, the spelling MISP stores. */
  readonly value: string;
  readonly warnings: string[];
}

// Pieces of the patterns below. Whitespace is ASCII only, as in PHP's parser.
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?`;
const ZONE = String.raw`(z|utc|gmt|[+-]\d{1,2}(?::?\d{2})?)`;
const TAIL = String.raw`(?:[t ]+${TIME})?[ ]*${ZONE}?`;
const MONTH_NAME = String.raw`(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?`;
const WEEKDAY = String.raw`(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?[ ]+)?`;

const NUMERIC_DATE = new RegExp(String.raw`^(\d{4})([-/])(\d{1,2})\2(\d{1,2})${TAIL}$`, 'i');
const DAY_MONTH_YEAR = new RegExp(String.raw`^${WEEKDAY}(\d{1,2})[ -]+${MONTH_NAME}[ -]+(\d{4})${TAIL}$`, 'i');
const MONTH_DAY_YEAR = new RegExp(String.raw`^${WEEKDAY}${MONTH_NAME}[ ]+(\d{1,2})(?:st|nd|rd|th)?,?[ ]+(\d{4})${TAIL}$`, 'i');
const UNIX_TIMESTAMP = /^@(-?\d{1,15})(?:\.(\d+))?$/;

/**
 * Normalise a datetime value to MISP's stored form, or return null when it is not a form we understand (or
 * not a date at all). Day-of-month overflow (`2023-02-30`) is accepted and rolled over as PHP does, with a
 * warning, because MISP accepts it too.
 */
export function normaliseDateTime(text: string): NormalisedDateTime | null {
  const fields = parseFields(text.trim());
  if (fields === null) return null;
  const { year, month, day, hour, minute, second, micros, offsetMinutes } = fields;
  if (month < 1 || month > 12 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  if (Math.abs(offsetMinutes) > 24 * 60) return null;

  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (Number.isNaN(date.getTime())) return null;

  const warnings: string[] = [];
  const rolled =
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second;
  if (rolled) warnings.push('the date or time is out of range and was rolled over the way PHP does');
  return { value: formatMisp(date, micros, offsetMinutes), warnings };
}

function parseFields(text: string): DateTimeFields | null {
  const unix = UNIX_TIMESTAMP.exec(text);
  if (unix) return fromUnix(unix[1] ?? '0', unix[2] ?? '');

  let date: { year: string; month: number; day: string; rest: (string | undefined)[] } | null = null;
  let m = NUMERIC_DATE.exec(text);
  if (m) date = { year: m[1] ?? '', month: Number(m[3]), day: m[4] ?? '', rest: m.slice(5) };
  else if ((m = DAY_MONTH_YEAR.exec(text))) {
    date = { year: m[3] ?? '', month: monthNumber(m[2]), day: m[1] ?? '', rest: m.slice(4) };
  } else if ((m = MONTH_DAY_YEAR.exec(text))) {
    date = { year: m[3] ?? '', month: monthNumber(m[1]), day: m[2] ?? '', rest: m.slice(4) };
  }
  if (date === null) return null;
  const [hour, minute, second, fraction, zone] = date.rest;
  const offsetMinutes = parseZone(zone);
  if (offsetMinutes === null) return null;
  return {
    year: Number(date.year),
    month: date.month,
    day: Number(date.day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    micros: fractionToMicros(fraction ?? ''),
    offsetMinutes,
  };
}

function monthNumber(name: string | undefined): number {
  return MONTHS.indexOf((name ?? '').toLowerCase()) + 1;
}

/** `@seconds[.fraction]`: PHP places these in UTC whatever the default zone. */
function fromUnix(seconds: string, fraction: string): DateTimeFields | null {
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return null;
  let micros = fractionToMicros(fraction);
  if (seconds.startsWith('-') && micros > 0) {
    // -1.25 means 1.25 s before the epoch: one second further back, then 0.75 s forward.
    date.setTime(date.getTime() - 1000);
    micros = 1_000_000 - micros;
  }
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    micros,
    offsetMinutes: 0,
  };
}

/** Digits after the decimal point as microseconds; digits beyond the sixth are dropped. */
function fractionToMicros(digits: string): number {
  return digits === '' ? 0 : Number(digits.slice(0, 6).padEnd(6, '0'));
}

/** Offset in minutes for a zone text; no zone means MISP's default, GMT. Null for a malformed offset. */
function parseZone(zone: string | undefined): number | null {
  if (zone === undefined || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (!m) return null;
  const minutes = Number(m[3] ?? 0);
  if (minutes > 59) return null;
  const total = Number(m[2]) * 60 + minutes;
  return m[1] === '-' ? -total : total;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function formatMisp(date: Date, micros: number, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(offsetMinutes);
  const year = date.getUTCFullYear();
  const yearText = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return (
    `${yearText}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}` +
    `.${pad(micros, 6)}${sign}${pad(Math.floor(offset / 60), 2)}${pad(offset % 60, 2)}`
  );
}
