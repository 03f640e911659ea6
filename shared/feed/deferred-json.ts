/**
 * JSON.parse for very large event files that leaves the item lists unparsed: the elements of every `Attribute`,
 * `Object` and `EventReport` list near the top of the document come back as DeferredItem, each parsed only when the
 * reader reaches it. A 100 MB event then costs its text plus one item at a time, instead of its text plus a parse
 * tree several times its size.
 *
 * The document is scanned once for structure (strings are skipped with indexOf, so the scan is quick); the rest of
 * it — everything outside those lists — is parsed by JSON.parse as usual. Every character is checked by one of the
 * two: the scan checks the separators between elements, JSON.parse the skeleton and each element. The only
 * difference from JSON.parse is when a broken element is found: when it is read, not up front.
 */

/** List keys whose elements are deferred: an event's items. */
const DEFERRED_KEYS = new Set(['Attribute', 'Object', 'EventReport']);
/** Lists deeper than this are not deferred (the deepest event is in {"response": [{"Event": {...}}]}). */
const MAX_DEPTH = 4;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** One element of a deferred list: its place in the text, parsed on demand. */
export class DeferredItem {
  private text: string | null;

  constructor(
    text: string,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.text = text;
  }

  /** Parses the element (once: the text is let go); throws SyntaxError as JSON.parse does. */
  parse(): unknown {
    const text = this.text;
    if (text === null) throw new Error('a deferred JSON item can be parsed only once');
    this.text = null;
    try {
      return JSON.parse(text.slice(this.start, this.end));
    } catch (e) {
      throw new SyntaxError(`${(e as Error).message} (in the element at position ${this.start})`, { cause: e });
    }
  }
}

export interface DeferredDocument {
  readonly data: unknown;
  /** Every list whose elements were deferred, as found in `data`. */
  readonly lists: readonly DeferredItem[][];
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index of the quote closing the string that opens at `at`. */
function stringEnd(text: string, at: number): number {
  let from = at + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) throw new SyntaxError(`Unterminated string in JSON at position ${at}`);
    let backslashes = 0;
    for (let b = q - 1; text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
    if (backslashes % 2 === 0) return q;
    from = q + 1;
  }
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** Index just past the value that starts at `at` (a scalar ends at the next ',' or closing bracket). */
function valueEnd(text: string, at: number): number {
  let depth = 0;
  let i = at;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i) + 1;
      if (depth === 0) return i;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (c === COMMA && depth === 0) return i;
    i++;
  }
  throw new SyntaxError('Unexpected end of JSON input');
}

/**
 * Parses `text` as JSON, deferring the elements of item lists (see above). Throws SyntaxError when the text is not
 * JSON, except inside a deferred element, whose error comes when it is parsed.
 */
export function parseDeferringItems(text: string): DeferredDocument {
  const lists: DeferredItem[][] = [];
  const pieces: string[] = [];
  // Marker objects stand for the deferred lists in the skeleton; the nonce keeps a document's own keys from posing as one.
  const markerKey = `\u0000ferry-deferred-${Math.random().toString(36).slice(2)}`;
  let copied = 0;
  const containers: number[] = [];
  let key: string | null = null;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const next = skipSpace(text, end + 1);
      if (text.charCodeAt(next) === COLON && containers.at(-1) === OPEN_BRACE) {
        key = end - i - 1 <= 11 ? text.slice(i + 1, end) : '';
        i = next + 1;
      } else {
        key = null;
        i = end + 1;
      }
      continue;
    }
    if (c === OPEN_BRACKET && key !== null && DEFERRED_KEYS.has(key) && containers.length <= MAX_DEPTH) {
      const items: DeferredItem[] = [];
      let j = skipSpace(text, i + 1);
      if (text.charCodeAt(j) !== CLOSE_BRACKET) {
        for (;;) {
          const end = valueEnd(text, j);
          if (end === j) throw new SyntaxError(`Unexpected token in JSON at position ${j}`);
          items.push(new DeferredItem(text, j, end));
          j = skipSpace(text, end);
          const sep = text.charCodeAt(j);
          if (sep === CLOSE_BRACKET) break;
          if (sep !== COMMA) throw new SyntaxError(`Expected ',' or ']' after array element in JSON at position ${j}`);
          j = skipSpace(text, j + 1);
        }
      }
      pieces.push(text.slice(copied, i), JSON.stringify({ [markerKey]: lists.length }));
      lists.push(items);
      copied = j + 1;
      i = j + 1;
      key = null;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) containers.push(c);
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) containers.pop();
    if (!isSpace(c)) key = null;
    i++;
  }
  if (lists.length === 0) return { data: JSON.parse(text), lists };
  pieces.push(text.slice(copied));
  const data: unknown = JSON.parse(pieces.join(''), (_k, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const index = (value as Record<string, unknown>)[markerKey];
      if (typeof index === 'number' && Object.keys(value).length === 1) return lists[index];
    }
    return value;
  });
  return { data, lists };
}
