/**
 * hashes.csv: one `md5,event_uuid` line per attribute value, used by MISP to fill its correlation cache without
 * downloading every event. MISP reads column 1 as the hash and column 2 as the uuid, with no validation, so a
 * file with swapped columns "works" but caches uuids as hashes: we read such lines the right way round and say so.
 *
 * Real files reach hundreds of megabytes, so the reader works line by line (`parseHashesLine`) or chunk by chunk
 * (`createHashesReader`), hands entries to a callback instead of collecting them, and reports repeated problems
 * once with a count rather than once per line. Nothing here throws on bad input.
 */
import { normaliseUuid } from '../model/uuid';
import { issue, type Issue, type Parsed } from './issues';

export interface HashEntry {
  /** Lower-case hex MD5 of one attribute value (or one half of a composite value). */
  readonly md5: string;
  readonly eventUuid: string;
}

/** Something unusual about a line that was still read. */
export type HashLineQuirk = 'swapped' | 'upper-case' | 'extra-columns' | 'quoted' | 'padded';

export type HashLine =
  | { readonly kind: 'entry'; readonly entry: HashEntry; readonly quirks: readonly HashLineQuirk[] }
  | { readonly kind: 'blank' }
  | { readonly kind: 'header' }
  | { readonly kind: 'invalid'; readonly code: string; readonly message: string };

const MD5 = /^[0-9a-f]{32}$/i;
const HEADER_WORDS = /^(md5|hash|value|uuid|event_?uuid|event)$/i;
/** Longest line worth looking at: 32 + 1 + 36 plus room for quoting, padding and a few extra columns. */
const MAX_LINE = 1024;

function unquote(cell: string): { text: string; quoted: boolean } {
  const t = cell.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return { text: t.slice(1, -1).replace(/""/g, '"'), quoted: true };
  return { text: t, quoted: false };
}

function preview(text: string): string {
  const cut = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return JSON.stringify(cut);
}

const NO_QUIRKS: readonly HashLineQuirk[] = [];

function isLowerHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102);
}

/**
 * Is this the line exactly as PyMISP writes it (`md5,uuid` in lower case, optional `\r`)? Checked first, by
 * character codes rather than a regular expression, because files of millions of lines are nearly all like it.
 */
function isCanonicalLine(line: string): boolean {
  const n = line.length;
  if (n !== 69 && !(n === 70 && line.charCodeAt(69) === 13)) return false;
  if (line.charCodeAt(32) !== 44) return false;
  for (let i = 0; i < 69; i++) {
    if (i === 32) continue;
    const c = line.charCodeAt(i);
    const dash = i === 41 || i === 46 || i === 51 || i === 56;
    if (dash ? c !== 45 : !isLowerHex(c)) return false;
  }
  return true;
}

/** Reads one line (without its newline; a trailing `\r` is tolerated). Pure and stateless. */
export function parseHashesLine(rawLine: string): HashLine {
  if (isCanonicalLine(rawLine)) {
    return { kind: 'entry', entry: { md5: rawLine.slice(0, 32), eventUuid: rawLine.slice(33, 69) }, quirks: NO_QUIRKS };
  }
  const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
  if (line.trim() === '') return { kind: 'blank' };
  if (line.length > MAX_LINE) {
    return { kind: 'invalid', code: 'hashes.line-too-long', message: `line of ${line.length} characters is not md5,event_uuid` };
  }
  const raw = line.split(',');
  const cells = raw.map(unquote);
  const first = cells[0]?.text ?? '';
  const second = cells[1]?.text ?? '';
  if (cells.length < 2) {
    return { kind: 'invalid', code: 'hashes.one-column', message: `expected md5,event_uuid but found one column ${preview(line)}` };
  }
  const quirks: HashLineQuirk[] = [];
  if (cells.some((c) => c.quoted)) quirks.push('quoted');
  if (raw.some((c, i) => i < 2 && c !== c.trim())) quirks.push('padded');
  if (cells.length > 2) quirks.push('extra-columns');
  let md5: string;
  let uuid: string | undefined;
  if (MD5.test(first) && (uuid = normaliseUuid(second)) !== undefined) {
    md5 = first;
  } else if (MD5.test(second) && (uuid = normaliseUuid(first)) !== undefined) {
    md5 = second;
    quirks.push('swapped');
  } else if (HEADER_WORDS.test(first) && HEADER_WORDS.test(second)) {
    return { kind: 'header' };
  } else {
    return { kind: 'invalid', code: 'hashes.bad-line', message: `expected md5,event_uuid but found ${preview(line)}` };
  }
  if (md5 !== md5.toLowerCase()) quirks.push('upper-case');
  return { kind: 'entry', entry: { md5: md5.toLowerCase(), eventUuid: uuid }, quirks };
}

export interface HashesReaderOptions {
  /** Name used in issue paths (`hashes.csv:12`). */
  readonly file?: string;
  /** Receives each entry as soon as its line is complete. */
  readonly onEntry: (entry: HashEntry, lineNumber: number) => void;
  /** How many bad lines of one kind are reported one by one before the rest are only counted. Default 10. */
  readonly maxIssuesPerCode?: number;
}

export interface HashesSummary {
  readonly lines: number;
  readonly entries: number;
  readonly invalid: number;
  readonly swapped: number;
  readonly issues: readonly Issue[];
}

export interface HashesReader {
  /** Feed one complete line (without its newline). */
  line(text: string): void;
  /** Feed arbitrary text; lines may be split across chunks. */
  chunk(text: string): void;
  /** Counts so far, e.g. to give up early on a file whose first lines are all invalid. */
  progress(): { readonly lines: number; readonly entries: number; readonly invalid: number };
  /** Flush the last line and get the summary. */
  end(): HashesSummary;
}

const QUIRK_ISSUES: Readonly<Record<HashLineQuirk, { code: string; severity: 'warning' | 'info'; what: string }>> = {
  swapped: {
    code: 'hashes.columns-swapped',
    severity: 'warning',
    what: 'have their columns swapped (event_uuid,md5); read as md5,event_uuid, but MISP would cache the uuids as hashes',
  },
  'upper-case': {
    code: 'hashes.md5-upper-case',
    severity: 'warning',
    what: 'carry an upper-case md5; MISP compares lower-case hex, so these never match there (read in lower case)',
  },
  'extra-columns': { code: 'hashes.extra-columns', severity: 'info', what: 'have more than two columns; the rest is ignored, as MISP does' },
  quoted: { code: 'hashes.quoted', severity: 'info', what: 'have quoted cells' },
  padded: { code: 'hashes.padded', severity: 'info', what: 'have spaces around cells; MISP would keep them in the hash' },
};

export function createHashesReader(options: HashesReaderOptions): HashesReader {
  const file = options.file ?? 'hashes.csv';
  const limit = options.maxIssuesPerCode ?? 10;
  const issues: Issue[] = [];
  const perCode = new Map<string, number>();
  const quirkCount = new Map<HashLineQuirk, { count: number; firstLine: number }>();
  let lines = 0;
  let entries = 0;
  let invalid = 0;
  let headers = 0;
  let pending = '';
  let started = false;

  function consume(text: string): void {
    lines++;
    const parsed = parseHashesLine(text);
    switch (parsed.kind) {
      case 'blank':
        return;
      case 'header':
        headers++;
        issues.push(issue('warning', 'hashes.header', `${file}:${lines}`, 'header line skipped; MISP expects none and would cache it as a hash'));
        return;
      case 'invalid': {
        invalid++;
        const seen = (perCode.get(parsed.code) ?? 0) + 1;
        perCode.set(parsed.code, seen);
        if (seen <= limit) issues.push(issue('warning', parsed.code, `${file}:${lines}`, parsed.message));
        return;
      }
      case 'entry':
        entries++;
        for (const q of parsed.quirks) {
          const c = quirkCount.get(q);
          if (c) c.count++;
          else quirkCount.set(q, { count: 1, firstLine: lines });
        }
        options.onEntry(parsed.entry, lines);
    }
  }

  function line(text: string): void {
    // A byte order mark is only meaningful at the very start of the file.
    if (!started) {
      started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    consume(text);
  }

  return {
    line,
    chunk(text: string): void {
      const parts = (pending + text).split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) line(part);
    },
    progress: () => ({ lines, entries, invalid }),
    end(): HashesSummary {
      if (pending !== '') {
        line(pending);
        pending = '';
      }
      for (const [code, count] of perCode) {
        if (count > limit) {
          issues.push(issue('warning', code, file, `${count - limit} more lines like this were not listed one by one`));
        }
      }
      for (const [quirk, { count, firstLine }] of quirkCount) {
        const q = QUIRK_ISSUES[quirk];
        issues.push(issue(q.severity, q.code, `${file}:${firstLine}`, `${count} of ${entries} entries ${q.what}`));
      }
      if (entries === 0 && invalid > 0) {
        issues.push(issue('error', 'hashes.not-misp', file, `no md5,event_uuid line among ${lines} lines: this is not a MISP hashes.csv`));
      } else if (entries === 0 && headers === 0) {
        issues.push(issue('warning', 'hashes.empty', file, 'hashes.csv is empty; MISP falls back to downloading every event to cache the feed'));
      } else if (invalid > entries) {
        issues.push(issue('warning', 'hashes.mostly-invalid', file, `${invalid} of ${lines} lines are not md5,event_uuid`));
      }
      const swapped = quirkCount.get('swapped')?.count ?? 0;
      return { lines, entries, invalid, swapped, issues };
    },
  };
}

/** Whole-file convenience for small files and tests; large files should go through createHashesReader. */
export function parseHashesCsv(text: string, file = 'hashes.csv'): Parsed<HashEntry[]> {
  const entries: HashEntry[] = [];
  const reader = createHashesReader({ file, onEntry: (e) => entries.push(e) });
  reader.chunk(typeof text === 'string' ? text : '');
  return { value: entries, issues: reader.end().issues };
}

/** One line as PyMISP and MISP expect it: `md5,uuid` and a newline, no quoting. */
export function formatHashLine(entry: HashEntry): string {
  return `${entry.md5},${entry.eventUuid}\n`;
}

export function formatHashes(entries: Iterable<HashEntry>): string {
  let out = '';
  for (const e of entries) out += formatHashLine(e);
  return out;
}

/**
 * Compares the events hashes.csv mentions with the events the manifest lists. Events without hashes are still
 * fetched by MISP but never hit by its quick cache; hashes for unknown events point at files that do not exist.
 */
export function checkHashesCoverage(
  hashedEvents: ReadonlySet<string>,
  manifestEvents: Iterable<string>,
  file = 'hashes.csv',
): Issue[] {
  const listed = new Set<string>();
  for (const u of manifestEvents) listed.add(u.toLowerCase());
  const issues: Issue[] = [];
  let uncovered = 0;
  for (const u of listed) if (!hashedEvents.has(u)) uncovered++;
  if (uncovered > 0 && hashedEvents.size > 0) {
    issues.push(
      issue('info', 'hashes.partial-coverage', file, `hashes.csv covers ${listed.size - uncovered} of ${listed.size} manifest events; MISP's cache will not see the other ${uncovered}`),
    );
  }
  let unknown = 0;
  for (const u of hashedEvents) if (!listed.has(u)) unknown++;
  if (unknown > 0) {
    issues.push(issue('warning', 'hashes.unknown-events', file, `${unknown} event uuid(s) in hashes.csv are not in the manifest`));
  }
  return issues;
}
