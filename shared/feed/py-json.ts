/**
 * JSON text laid out exactly as Python's `json.dumps` writes it with its defaults (ensure_ascii on), because
 * PyMISP writes feeds that way and we want our files byte-comparable with its output:
 *
 * - compact form separates with `", "` and `": "`; indented form puts `","` at line ends and `": "` after keys;
 * - every character outside printable ASCII (space to `~`) is escaped as `\uXXXX` in lower-case hex, including
 *   DEL and each half of a surrogate pair; `\b \f \n \r \t \" \\` use their short escapes; `/` is left alone;
 * - empty arrays and objects stay `[]` and `{}` even when indenting.
 *
 * Numbers are expected to be integers (MISP feeds carry no floats); keys come out in insertion order.
 */
export type PyJson = string | number | boolean | null | readonly PyJson[] | { readonly [key: string]: PyJson };

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

// Everything that is not printable ASCII, plus the two printable characters that need a backslash.
const NEEDS_ESCAPE = /[^ -~]|["\\]/g;

export function pyJsonString(text: string): string {
  const body = text.replace(NEEDS_ESCAPE, (ch) => {
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) return short;
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${body}"`;
}

function scalar(value: string | number | boolean | null): string {
  if (typeof value === 'string') return pyJsonString(value);
  if (typeof value === 'number') {
    // Python would print NaN/Infinity, which is not JSON; nothing we write carries them, so fail loudly in tests.
    if (!Number.isFinite(value)) throw new RangeError(`cannot write ${String(value)} as JSON`);
    return String(value);
  }
  if (value === null) return 'null';
  return value ? 'true' : 'false';
}

function isArray(value: PyJson): value is readonly PyJson[] {
  return Array.isArray(value);
}

function write(value: PyJson, indent: number | undefined, depth: number, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    out.push(scalar(value));
    return;
  }
  const items: Array<[string | undefined, PyJson]> = isArray(value)
    ? value.map((v) => [undefined, v])
    : Object.entries(value).map(([k, v]) => [k, v]);
  const [open, close] = isArray(value) ? ['[', ']'] : ['{', '}'];
  if (items.length === 0) {
    out.push(open + close);
    return;
  }
  const inner = indent === undefined ? '' : '\n' + ' '.repeat(indent * (depth + 1));
  const outer = indent === undefined ? '' : '\n' + ' '.repeat(indent * depth);
  const separator = indent === undefined ? ', ' : ',';
  out.push(open);
  items.forEach(([key, item], i) => {
    if (i > 0) out.push(separator);
    out.push(inner);
    if (key !== undefined) out.push(pyJsonString(key), ': ');
    write(item, indent, depth + 1, out);
  });
  out.push(outer, close);
}

// What JSON.stringify leaves as it is but Python escapes: DEL and everything beyond ASCII, one UTF-16 unit at a time.
const BEYOND_ASCII = /[\u007f-\uffff]/g;

// JSON.stringify writes a non-finite number as `null`; Python would write NaN (not JSON). Where the text has a
// null that could be one, the walk below, which refuses them, decides (a false alarm only costs time).
const MAYBE_NULL_TOKEN = /[[:,]\s*null\s*[\],}\n]|^null$/;

/**
 * The indented form through JSON.stringify, which lays out indent >= 1 exactly as Python does (`","` at line ends,
 * `": "`, `[]` and `{}`, the same short escapes and lower-case `\u00XX` for control characters, lone surrogates
 * escaped); only the characters beyond ASCII remain to escape. Native, so an event of a million attributes is
 * written in a fraction of the time the walk below takes.
 */
function indented(value: PyJson, indent: number): string | null {
  const text = JSON.stringify(value, null, indent);
  if (text.includes('null') && MAYBE_NULL_TOKEN.test(text)) return null;
  return text.replace(BEYOND_ASCII, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `json.dumps(value)` (compact) or `json.dumps(value, indent=n)`. */
export function pyJsonDumps(value: PyJson, indent?: number): string {
  // JSON.stringify has no compact form with Python's `", "` separators, and indent 0 means "no newlines" to it.
  if (indent !== undefined && indent >= 1 && indent <= 10) {
    const fast = indented(value, indent);
    if (fast !== null) return fast;
  }
  const out: string[] = [];
  write(value, indent, 0, out);
  return out.join('');
}
