/**
 * CSV feeds: indicators in chosen columns of a delimited file, as MISP's "Simple CSV Parsed Feed" reads them
 * (ComplexTypeTool::checkCSV), each value typed by the freetext detector or given one fixed type.
 *
 * MISP's rules kept here: `value` is a list of 1-based columns (`"1,3"`; empty means every column); the delimiter
 * defaults to a comma and the two characters `\t` mean a tab; a record whose first cell starts with `#` is a
 * comment; empty cells and cells equal to "0" (PHP's empty()) are skipped; cells are trimmed of spaces, quotes
 * and apostrophes; `excluderegex` drops matching values.
 *
 * Differences, on purpose: quoting follows RFC 4180 (`""` inside quotes is one quote; PHP's backslash escape is
 * not special); a multi-character delimiter works (MISP documents it, but PHP's fgetcsv refuses it); header
 * rows can be skipped; values are de-duplicated as MISP does when it saves them; every value that is dropped for
 * a reason other than being empty, excluded or a duplicate is reported with its line.
 */
import { typeInfo } from '../misp/types';
import { createTypeDetector, suggestAttribute, trimCharacters, type SuggestedAttribute, type TypeDetector } from './freetext';
import { issue, type Issue, type Parsed } from './issues';

/** How cell values get their MISP type. */
export type CsvTyping =
  /** Detect each value's type as MISP's freetext parser does. */
  | { readonly kind: 'detect'; readonly detector?: TypeDetector }
  /** Every value has this type; category and IDS flag default to the type's MISP defaults. */
  | { readonly kind: 'fixed'; readonly type: string; readonly category?: string; readonly toIds?: boolean };

export interface CsvFeedOptions {
  /** 1-based columns holding indicators; empty or absent means every column. */
  readonly valueColumns?: readonly number[];
  /** In MISP's spelling: '' means a comma, the two characters `\t` a tab. @default ',' */
  readonly delimiter?: string;
  /** Records to skip at the top (MISP has no header handling: it relies on detection failing on them). @default 0 */
  readonly headerRows?: number;
  /** Values matching it are dropped (MISP's `excluderegex`). */
  readonly excludeRegex?: RegExp | null;
  /** @default { kind: 'detect' } */
  readonly typing?: CsvTyping;
  /**
   * Optional check of a typed value, e.g. shared/misp's validation; return a message to reject the value.
   * Without it values are proposed as detected, as MISP's parser does (MISP validates only when saving).
   */
  readonly validate?: (type: string, value: string) => string | null;
  /** @default true */
  readonly dedupe?: boolean;
  /** Propose every attribute with to_ids false (the feed's `override_ids`). @default false */
  readonly overrideIds?: boolean;
  /** File name used in issue paths. @default 'feed.csv' */
  readonly source?: string;
  /** Stop listing issues after this many (a summary issue follows). @default 1000 */
  readonly maxIssues?: number;
}

export interface CsvFeedStats {
  records: number;
  headerRecords: number;
  blankRecords: number;
  commentRecords: number;
  /** Non-empty cells in the selected columns. */
  values: number;
  recognised: number;
  duplicates: number;
  excluded: number;
  /** Values that could not be typed or failed validation. */
  rejected: number;
}

export interface CsvFeedResult {
  readonly attributes: readonly SuggestedAttribute[];
  readonly stats: CsvFeedStats;
}

/** One record and the line it starts on (a quoted field may span lines). */
export interface CsvRecord {
  readonly line: number;
  readonly cells: readonly string[];
}

//#region Settings in MISP's spelling

/** The delimiter a MISP `csv.delimiter` setting stands for. */
export function resolveCsvDelimiter(setting: string): string {
  if (setting === '') return ',';
  if (setting === '\\t') return '\t';
  return setting;
}

/** Read MISP's `csv.value` setting (`"3"`, `"1,3"`, `""`). MISP turns a bad entry into column 0, which matches nothing. */
export function parseValueColumns(setting: string, path = 'settings/csv/value'): Parsed<number[]> {
  const issues: Issue[] = [];
  const columns: number[] = [];
  for (const piece of setting.split(',')) {
    const text = piece.trim();
    if (text === '') continue;
    if (!/^\d+$/.test(text) || Number(text) < 1) {
      issues.push(issue('error', 'csv.bad-column', path, `"${text.slice(0, 20)}" is not a column number (columns start at 1)`));
      continue;
    }
    if (!columns.includes(Number(text))) columns.push(Number(text));
  }
  return { value: columns, issues };
}

/** Write columns back as MISP stores them. */
export function formatValueColumns(columns: readonly number[]): string {
  return columns.join(',');
}

//#endregion
//#region Records

/**
 * Split CSV text into records. Lines without a quote take a fast path (a plain split), because feed files are
 * large and rarely quoted. An unterminated quote is reported and the rest of the text becomes that field.
 */
export function* csvRecords(text: string, delimiter: string, issues: Issue[], source = 'feed.csv'): Generator<CsvRecord> {
  const length = text.length;
  let pos = 0;
  let line = 1;
  while (pos < length) {
    const start = line;
    const eol = lineBreakAt(text, pos);
    const physical = text.slice(pos, eol);
    if (!physical.includes('"')) {
      yield { line: start, cells: physical.split(delimiter) };
      pos = afterLineBreak(text, eol);
      line++;
      continue;
    }
    const cells: string[] = [];
    let field = '';
    let fieldStart = true;
    let inQuotes = false;
    let i = pos;
    while (i < length) {
      const ch = text[i] ?? '';
      if (inQuotes) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            inQuotes = false;
            i++;
          }
          continue;
        }
        if (ch === '\r' || ch === '\n') {
          // A line break inside quotes belongs to the field; count it once even when it is \r\n.
          const next = afterLineBreak(text, i);
          field += text.slice(i, next);
          i = next;
          line++;
          continue;
        }
        field += ch;
        i++;
        continue;
      }
      if (text.startsWith(delimiter, i)) {
        cells.push(field);
        field = '';
        fieldStart = true;
        i += delimiter.length;
        continue;
      }
      if (ch === '\r' || ch === '\n') break;
      if (ch === '"' && fieldStart && field.trim() === '') {
        // Spaces before an opening quote are dropped, as PHP's fgetcsv does.
        field = '';
        inQuotes = true;
      } else {
        field += ch;
        if (ch !== ' ' && ch !== '\t') fieldStart = false;
      }
      i++;
    }
    if (inQuotes) {
      issues.push(issue('error', 'csv.unterminated-quote', `${source}:${start}`, 'a quoted field is never closed; the rest of the file was read into it'));
    }
    cells.push(field);
    yield { line: start, cells };
    pos = afterLineBreak(text, i);
    line++;
  }
}

function lineBreakAt(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

function afterLineBreak(text: string, at: number): number {
  if (at >= text.length) return text.length;
  return text[at] === '\r' && text[at + 1] === '\n' ? at + 2 : at + 1;
}

//#endregion
//#region Feed parsing

// MISP trims cells of white space, NUL, vertical tab, double quotes and apostrophes.
const CELL_TRIM = ` \t\n\r\0\x0B"'`;

/** Read a CSV feed into proposed attributes. */
export function parseCsvFeed(text: string, options: CsvFeedOptions = {}): Parsed<CsvFeedResult> {
  const source = options.source ?? 'feed.csv';
  const maxIssues = options.maxIssues ?? 1000;
  const issues: Issue[] = [];
  let suppressed = 0;
  const report = (item: Issue): void => {
    if (issues.length < maxIssues) issues.push(item);
    else suppressed++;
  };
  const stats: CsvFeedStats = {
    records: 0, headerRecords: 0, blankRecords: 0, commentRecords: 0, values: 0, recognised: 0, duplicates: 0, excluded: 0, rejected: 0,
  };
  const attributes: SuggestedAttribute[] = [];
  const finish = (): Parsed<CsvFeedResult> => ({
    value: { attributes, stats },
    issues: suppressed === 0 ? issues : [...issues, issue('info', 'csv.issues-truncated', source, `${suppressed} more issues not listed`)],
  });

  const delimiter = resolveCsvDelimiter(options.delimiter ?? ',');
  if (/["\r\n]/.test(delimiter)) {
    issues.push(issue('error', 'csv.bad-delimiter', source, 'the delimiter may not contain a quote or a line break'));
    return finish();
  }
  const typeValue = makeTyper(options.typing ?? { kind: 'detect' }, options.overrideIds ?? false);
  if (typeof typeValue === 'string') {
    issues.push(issue('error', 'csv.unknown-type', source, typeValue));
    return finish();
  }

  const columns = new Set(options.valueColumns ?? []);
  const widest = columns.size === 0 ? 0 : Math.max(...columns);
  const headerRows = options.headerRows ?? 0;
  const exclude = options.excludeRegex ?? null;
  const dedupe = options.dedupe ?? true;
  const seen = new Set<string>();

  for (const record of csvRecords(text, delimiter, issues, source)) {
    stats.records++;
    if (stats.records <= headerRows) {
      stats.headerRecords++;
      continue;
    }
    const { cells, line } = record;
    if (cells.every((c) => c.trim() === '')) {
      stats.blankRecords++;
      continue;
    }
    if ((cells[0] ?? '').trimStart().startsWith('#')) {
      stats.commentRecords++;
      continue;
    }
    if (cells.length < widest) {
      report(issue('warning', 'csv.missing-column', `${source}:${line}`, `only ${cells.length} columns, column ${widest} expected`));
    }
    cells.forEach((cell, index) => {
      const column = index + 1;
      if (columns.size > 0 && !columns.has(column)) return;
      const value = trimCharacters(cell, CELL_TRIM);
      // PHP's empty() treats "0" as empty, so MISP never proposes it.
      if (value === '' || value === '0') return;
      stats.values++;
      if (exclude !== null && exclude.test(value)) {
        stats.excluded++;
        return;
      }
      const typed = typeValue(value, line);
      if (typeof typed === 'string') {
        stats.rejected++;
        report(issue('warning', 'csv.rejected', `${source}:${line}`, `column ${column}: ${typed}`));
        return;
      }
      const problem = options.validate?.(typed.type, typed.value) ?? null;
      if (problem !== null) {
        stats.rejected++;
        report(issue('warning', 'csv.invalid-value', `${source}:${line}`, `column ${column}: ${typed.type} "${clip(typed.value)}": ${problem}`));
        return;
      }
      stats.recognised++;
      if (dedupe) {
        if (seen.has(typed.value)) {
          stats.duplicates++;
          return;
        }
        seen.add(typed.value);
      }
      attributes.push(typed);
    });
  }
  return finish();
}

/** Returns a function typing one value (an attribute, or why not), or a message when the typing is unusable. */
function makeTyper(typing: CsvTyping, overrideIds: boolean): ((value: string, line: number) => SuggestedAttribute | string) | string {
  switch (typing.kind) {
    case 'detect': {
      const detect = typing.detector ?? createTypeDetector();
      return (value, line) => {
        const found = detect(value);
        return found === null ? `no indicator type fits "${clip(value)}"` : suggestAttribute(found, value, { line }, overrideIds);
      };
    }
    case 'fixed': {
      const info = typeInfo(typing.type);
      const category = typing.category ?? info?.defaultCategory;
      const toIds = typing.toIds ?? info?.defaultToIds;
      if (category === undefined || toIds === undefined) {
        return `"${typing.type}" is not a MISP attribute type; give its category and to_ids explicitly`;
      }
      return (value, line) => ({
        type: typing.type,
        value,
        category,
        to_ids: overrideIds ? false : toIds,
        alternativeTypes: [],
        original: value,
        line,
      });
    }
    default:
      return unreachable(typing);
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

//#endregion
