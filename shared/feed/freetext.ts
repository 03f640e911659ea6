/**
 * Freetext feeds and pasted reports: find indicators in text and suggest MISP attributes for them.
 *
 * Type detection follows MISP's ComplexTypeTool (the code behind "freetext import" and freetext/CSV feeds), in the
 * same order, so that a list MISP reads as `ip-dst` reads as `ip-dst` here too:
 *  1. a clean IP address;
 *  2. `filename|hash` and bare hashes by hex length (32 md5, 40 sha1, 56 sha224, 64 sha256, 96 sha384,
 *     128 sha512), then ssdeep;
 *  3. refanging (`hxxp`, `[.]`, `(dot)`, `[at]`, `[:]`, any single bracketed character);
 *  4. e-mail addresses;
 *  5. a trailing `:port` is noted ("On port N"), then IP, IP:port, `[v6]:port` and CIDR;
 *  6. host and domain names whose last label is a known TLD; URLs (or `link` on security-vendor sites);
 *     file names; Windows paths and registry keys;
 *  7. CVE ids, phone numbers, AS numbers, Bitcoin addresses.
 * Where this deliberately differs from MISP, the code says so next to the difference.
 *
 * Text handling also follows MISP (split on white space, `,`, `;`, `<`, `>`; quoted runs are extra candidates;
 * JSON input is searched leaf by leaf; results are de-duplicated by value), plus what a feed reader needs and MISP
 * lacks: comment lines are skipped (MISP would import the URL in a `# Source: https://…` header), and every line
 * that yields nothing is reported with its number.
 */
import { parseIpv6 } from '../misp/ipAddress';
import { typeInfo } from '../misp/types';
import { isPhpValidUrl } from '../misp/urlFilter';
import { BUILTIN_TLDS, isKnownTld } from './freetext-tlds';
import { issue, type Issue, type Parsed } from './issues';

//#region Types

/** What the detector thinks a token is. */
export interface TypeGuess {
  /** The type MISP would pick. */
  readonly type: string;
  /** Other types that fit the same value, in MISP's order (for a "change type" menu). */
  readonly alternatives: readonly string[];
  /** The value to store: refanged, with a port split off where MISP does so. */
  readonly value: string;
  /** `On port N` when a port was split off the value. */
  readonly comment?: string;
}

/** An attribute proposed from text, with MISP's default category and IDS flag for its type. */
export interface SuggestedAttribute {
  readonly type: string;
  readonly value: string;
  readonly category: string;
  readonly to_ids: boolean;
  readonly comment?: string;
  readonly alternativeTypes: readonly string[];
  /** The token as it appeared in the text, before refanging. */
  readonly original: string;
  /** 1-based line of the first occurrence (line-based input). */
  readonly line?: number;
  /** JSON pointer of the first occurrence (JSON input). */
  readonly pointer?: string;
}

export interface DetectorOptions {
  /**
   * Top-level domains that make `a.b.tld` a domain; defaults to a built-in list (see freetext-tlds.ts). Pass
   * IANA's full list to match a MISP that has its warninglists loaded.
   */
  readonly tlds?: Iterable<string>;
  /** Domains whose `https://` URLs become `link` rather than `url`. @default MISP's fallback, VirusTotal and Hybrid Analysis */
  readonly securityVendorDomains?: readonly string[];
}

export type TypeDetector = (token: string) => TypeGuess | null;

//#endregion
//#region Refanging

// MISP's table, made case-insensitive, plus a few defanging styles common in reports: `(.)`, `{.}`, `(at)`, `[://]`.
const DEFANGED_SCHEME = /^(?:hxxp|hxtp|htxp|meow|h\[tt\]p)(s?)/i;
const REFANG_STEPS: readonly (readonly [RegExp, string])[] = [
  [/\[\.\]|\[dot\]|\(dot\)|\(\.\)|\{\.\}/gi, '.'],
  [/\[hxxp:\/\/\]/gi, 'http://'],
  [/\[:\/\/\]/g, '://'],
  [/\[@\]|\[at\]|\(at\)/gi, '@'],
  [/\[:\]/g, ':'],
];

/** Undo the usual defanging of indicators; trailing dots are dropped, as MISP does. */
export function refang(value: string): string {
  // The defanged scheme comes out lower-case (`HXXPS` → `https`, where MISP leaves `httpS`).
  let out = value.replace(DEFANGED_SCHEME, (_match, secure: string) => `http${secure.toLowerCase()}`);
  for (const [pattern, replacement] of REFANG_STEPS) out = out.replace(pattern, replacement);
  // A loop, not /\.+$/: that pattern is quadratic on a long run of dots that does not end the value.
  let end = out.length;
  while (end > 0 && out.charCodeAt(end - 1) === 46) end--;
  out = out.slice(0, end);
  // Any other single bracketed character stands for itself: `1[.]2`, `evil[-]site`.
  return out.replace(/\[(.)\]/gu, '$1');
}

//#endregion
//#region Value shapes (PHP's filter_var rules, which MISP relies on)

// A regular expression rather than shared/misp's parseIpv4: bare IPv4 lines are the bulk of large block lists,
// and this answers them without allocating. Same rule: four parts of 0-255, no leading zeros.
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Dotted-quad IPv4 without leading zeros, as PHP validates it. */
export function isIPv4(value: string): boolean {
  return IPV4.test(value);
}

/** IPv6 in any notation PHP accepts (embedded IPv4 tail included; no zone index, no brackets). */
export function isIPv6(value: string): boolean {
  return value.includes(':') && parseIpv6(value) !== null;
}

export function isIP(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

const EMAIL_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
const EMAIL_LABEL = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/i;
const EMAIL_TLD = /^(?:[a-z][a-z0-9]*(?:-+[a-z0-9]+)*|xn--[a-z0-9]+(?:-+[a-z0-9]+)*)$/i;

/**
 * An address PHP's FILTER_VALIDATE_EMAIL accepts, minus its rarely seen quoted local parts and IP-literal domains:
 * a dot-atom local part of at most 64 characters and a domain of at least two labels ending in an alphabetic TLD.
 */
export function isEmailAddress(value: string): boolean {
  if (value.length > 320) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  if (local.length > 64 || !EMAIL_LOCAL.test(local) || labels.length < 2) return false;
  const tld = labels.pop() ?? '';
  return EMAIL_TLD.test(tld) && labels.every((l) => l.length < 64 && EMAIL_LABEL.test(l));
}

//#endregion
//#region Detection

// Hash types by hex length, MISP's order: the first is the default, the rest are offered as alternatives.
const HEX_HASH_TYPES: ReadonlyMap<number, { readonly single: readonly string[]; readonly composite: readonly string[] }> =
  new Map([
    [32, { single: ['md5', 'imphash', 'x509-fingerprint-md5', 'ja3-fingerprint-md5'], composite: ['filename|md5', 'filename|imphash'] }],
    [40, { single: ['sha1', 'pehash', 'x509-fingerprint-sha1', 'cdhash'], composite: ['filename|sha1', 'filename|pehash'] }],
    [56, { single: ['sha224', 'sha512/224'], composite: ['filename|sha224', 'filename|sha512/224'] }],
    [
      64,
      {
        single: ['sha256', 'authentihash', 'sha512/256', 'x509-fingerprint-sha256'],
        composite: ['filename|sha256', 'filename|authentihash', 'filename|sha512/256'],
      },
    ],
    [96, { single: ['sha384'], composite: ['filename|sha384'] }],
    [128, { single: ['sha512'], composite: ['filename|sha512'] }],
  ]);

const HEX = /^[0-9a-f]+$/i;
const SSDEEP = /^\d+:[0-9a-zA-Z/+]+:[0-9a-zA-Z/+]+$/;
const CLOCK_TIME = /^\d{1,2}:\d{1,2}:\d{1,2}$/;
const DOMAIN_SHAPE = /^(?:[-\p{L}\p{N}]+\.)+[a-z0-9-]+$/iu;
const CVE = /^cve-\d{4}-\d{4,9}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PHONE = /^\+?(?:\d{1,3}(?:\(0\))?)?[\d/-]{5,}\d$/;
const AS_NUMBER = /^as\d+$/i;
// MISP's pattern lacks parentheses around its alternatives, so it accepts anything that merely starts like a
// legacy address; both forms are anchored here, as intended.
const BTC_LEGACY = /^[13][a-km-zA-HJ-NP-Z1-9]{25,34}$/;
const BTC_BECH32 = /^(?:bc|tb)1[02-9ac-hj-np-z]{11,71}$/i;
const TRAILING_PORT = /:(\d{2,5})$/;

const IP_ALTERNATIVES = ['ip-src'];
const IP_PORT_ALTERNATIVES = ['ip-src|port'];
const EMAIL_ALTERNATIVES = ['email', 'email-dst', 'target-email', 'whois-registrant-email'];

/** MISP's idea of a file name: a `.ext` of letters and digits (not only digits) after a non-empty stem, or a drive path. */
function looksLikeFilename(value: string): boolean {
  const dot = value.indexOf('.');
  if (!(/^.:/s.test(value) || dot > 0)) return false;
  const extension = value.slice(value.lastIndexOf('.') + 1);
  // PHP's is_numeric() also takes exponent forms such as `1e5`.
  return /^[a-z0-9]+$/i.test(extension) && !/^\d+(?:e\d+)?$/i.test(extension);
}

function isBitcoinAddress(value: string): boolean {
  return BTC_LEGACY.test(value) || BTC_BECH32.test(value);
}

function guess(type: string, alternatives: readonly string[], value: string, comment?: string): TypeGuess {
  return comment === undefined ? { type, alternatives, value } : { type, alternatives, value, comment };
}

function hashGuess(raw: string): TypeGuess | null {
  const bar = raw.indexOf('|');
  if (bar !== -1 && raw.indexOf('|', bar + 1) === -1) {
    const [name, hash] = [raw.slice(0, bar), raw.slice(bar + 1)];
    if (looksLikeFilename(name)) {
      const types = HEX.test(hash) ? HEX_HASH_TYPES.get(hash.length) : undefined;
      if (types) return guess(types.composite[0] ?? '', types.composite.slice(1), raw);
      if (SSDEEP.test(hash) && !CLOCK_TIME.test(hash)) return guess('filename|ssdeep', [], raw);
    }
  }
  const types = HEX.test(raw) ? HEX_HASH_TYPES.get(raw.length) : undefined;
  if (types) {
    const alternatives = types.single.slice(1);
    return guess(types.single[0] ?? '', isBitcoinAddress(raw) ? [...alternatives, 'btc'] : alternatives, raw);
  }
  if (SSDEEP.test(raw) && !CLOCK_TIME.test(raw)) return guess('ssdeep', [], raw);
  return null;
}

/** Build a detector; the TLD set and vendor list are prepared once, then the function is called per token. */
export function createTypeDetector(options: DetectorOptions = {}): TypeDetector {
  const tlds = options.tlds === undefined ? BUILTIN_TLDS : new Set([...options.tlds].map((t) => t.toLowerCase()));
  const vendors = (options.securityVendorDomains ?? ['virustotal.com', 'hybrid-analysis.com']).map((d) => d.toLowerCase());

  const isLink = (url: string): boolean => {
    const host = /^https:\/\/([^/]*)/i.exec(url)?.[1]?.toLowerCase();
    return host !== undefined && vendors.some((v) => host === v || host.endsWith(`.${v}`));
  };

  const ipGuess = (refanged: string, noPort: string, port: string | undefined, comment: string | undefined): TypeGuess | null => {
    if (isIP(noPort)) {
      return port === undefined
        ? guess('ip-dst', IP_ALTERNATIVES, noPort)
        : guess('ip-dst|port', IP_PORT_ALTERNATIVES, `${noPort}|${port}`, comment);
    }
    // An IPv6 address whose last group looked like a port.
    if (isIPv6(refanged)) return guess('ip-dst', IP_ALTERNATIVES, refanged);
    if (port !== undefined && noPort.startsWith('[') && noPort.endsWith(']') && isIPv6(noPort.slice(1, -1))) {
      return guess('ip-dst|port', IP_PORT_ALTERNATIVES, `${noPort.slice(1, -1)}|${port}`, comment);
    }
    const slash = noPort.indexOf('/');
    if (slash !== -1 && noPort.indexOf('/', slash + 1) === -1) {
      const [address, prefix] = [noPort.slice(0, slash), noPort.slice(slash + 1)];
      if (isIP(address) && /^\d+$/.test(prefix)) {
        // MISP proposes any numeric prefix and its validation drops the bad ones when saving; refusing here
        // keeps `10.0.0.0/33` from being proposed at all (it is reported as unrecognised instead).
        const max = isIPv4(address) ? 32 : 128;
        return Number(prefix) <= max ? guess('ip-dst', IP_ALTERNATIVES, noPort, comment) : REFUSED;
      }
    }
    return null;
  };

  const nameGuess = (raw: string, refanged: string, noPort: string, comment: string | undefined): TypeGuess | null => {
    if (noPort.includes('.')) {
      const labels = noPort.split('.');
      if (DOMAIN_SHAPE.test(noPort) && isKnownTld(labels[labels.length - 1] ?? '', tlds)) {
        return labels.length > 2
          ? guess('hostname', ['domain', 'url', 'filename'], noPort, comment)
          : guess('domain', ['filename'], noPort, comment);
      }
      // MISP validates and stores the URL with its port removed (moved to the comment), which changes the
      // indicator; a URL keeps its port here.
      if (isPhpValidUrl(refanged) || isPhpValidUrl(`http://${refanged}`)) {
        if (isLink(refanged)) return guess('link', [], refanged);
        if (refanged.includes('/')) return guess('url', [], refanged);
      }
      if (looksLikeFilename(raw)) return guess('filename', [], raw);
    }
    if (raw.includes('\\')) {
      const parts = raw.split('\\');
      const last = parts[parts.length - 1] ?? '';
      if (last.includes('.') || /^.:/s.test(parts[0] ?? '')) {
        if (looksLikeFilename(last)) return guess('filename', [], raw);
      } else if (parts[0] !== '') {
        return guess('regkey', [], raw);
      }
    }
    return null;
  };

  const patternGuess = (raw: string): TypeGuess | null => {
    if (CVE.test(raw)) return guess('vulnerability', [], raw.toUpperCase());
    if ((raw.startsWith('+') || raw.indexOf('-') > 0) && !ISO_DATE.test(raw) && PHONE.test(raw)) {
      return guess('phone-number', ['prtn', 'whois-registrant-phone'], raw);
    }
    if (AS_NUMBER.test(raw)) return guess('AS', [], raw.toUpperCase());
    if (isBitcoinAddress(raw)) return guess('btc', [], raw);
    return null;
  };

  return (token: string): TypeGuess | null => {
    const raw = token.trim();
    if (raw === '') return null;
    // Most feed lines are bare IP addresses: answer them before any regular-expression work.
    if (isIP(raw)) return guess('ip-dst', IP_ALTERNATIVES, raw);
    const hashed = hashGuess(raw);
    if (hashed) return hashed;

    const refanged = refang(raw);
    if (refanged.includes('@') && isEmailAddress(refanged)) return guess('email-src', EMAIL_ALTERNATIVES, refanged);

    // A port is only plausible up to 65535; MISP takes any 2–5 digits and its validation drops the rest later.
    const portMatch = TRAILING_PORT.exec(refanged);
    const port = portMatch && Number(portMatch[1]) <= 65_535 ? portMatch[1] : undefined;
    const noPort = port === undefined ? refanged : refanged.slice(0, -(port.length + 1));
    const comment = port === undefined ? undefined : `On port ${port}`;

    const found = ipGuess(refanged, noPort, port, comment) ?? nameGuess(raw, refanged, noPort, comment) ?? patternGuess(raw);
    return found === REFUSED ? null : found;
  };
}

/** Marks a value that has an indicator's shape but an impossible content, so later rules must not claim it. */
const REFUSED: TypeGuess = Object.freeze({ type: '', alternatives: [], value: '' });

let defaultDetector: TypeDetector | undefined;

/** Detect one value with the built-in TLD list (MISP's __resolveType). */
export function detectType(token: string): TypeGuess | null {
  defaultDetector ??= createTypeDetector();
  return defaultDetector(token);
}

/** The attribute MISP would create for a guess: the type's default category and IDS flag. */
export function suggestAttribute(
  found: TypeGuess,
  original: string,
  where: { readonly line?: number; readonly pointer?: string } = {},
  overrideIds = false,
): SuggestedAttribute {
  const info = typeInfo(found.type);
  return {
    type: found.type,
    value: found.value,
    category: info?.defaultCategory ?? 'Other',
    to_ids: overrideIds ? false : (info?.defaultToIds ?? false),
    ...(found.comment === undefined ? {} : { comment: found.comment }),
    alternativeTypes: found.alternatives,
    original,
    ...where,
  };
}

//#endregion
//#region MISP's delimited regular expressions

const BRACKET_DELIMITERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/**
 * Turn a PCRE in PHP's delimited form (`/^#.*$/i`, `#foo#`, `{bar}x`), as MISP stores `excluderegex`, into a
 * RegExp. Flags i, m, s, u carry over; A (anchored) becomes a leading `^`; D and S change nothing here; `\A`,
 * `\z`, `\Z` are translated. Anything JavaScript cannot express is an error, never a silently different regex.
 * `''` means "no regex".
 */
export function compileMispRegex(pattern: string, path = 'excluderegex'): Parsed<RegExp | null> {
  if (pattern.trim() === '') return { value: null, issues: [] };
  const fail = (why: string): Parsed<RegExp | null> => ({
    value: null,
    issues: [issue('error', 'regex.invalid', path, `${why}: ${pattern.length > 80 ? `${pattern.slice(0, 77)}...` : pattern}`)],
  });
  const text = pattern.trim();
  const open = text[0] ?? '';
  if (/[a-z0-9\\\s]/i.test(open)) return fail('a MISP regex starts with a delimiter such as /');
  const close = BRACKET_DELIMITERS[open] ?? open;
  const end = text.lastIndexOf(close);
  if (end <= 0) return fail('the closing delimiter is missing');
  const modifiers = text.slice(end + 1);
  let flags = '';
  let anchored = false;
  for (const m of modifiers) {
    if ('imsu'.includes(m)) flags += flags.includes(m) ? '' : m;
    else if (m === 'A') anchored = true;
    else if (m === 'D' || m === 'S') continue;
    else return fail(`the modifier "${m}" has no JavaScript equivalent`);
  }
  const escapedDelimiter = /[.*+?^${}()|[\]\\/-]/.test(open) ? null : open;
  let body = text.slice(1, end).replace(/\\(.)/gsu, (pair: string, ch: string) => {
    if (ch === 'A') return '^';
    if (ch === 'z' || ch === 'Z') return '$';
    return ch === escapedDelimiter || ch === close ? (/[)\]}>]/.test(ch) ? pair : ch) : pair;
  });
  if (anchored) body = `^(?:${body})`;
  try {
    return { value: new RegExp(body, flags), issues: [] };
  } catch (error) {
    return fail(error instanceof Error ? error.message : 'not a valid regular expression');
  }
}

//#endregion
//#region Parsing text

export interface FreetextOptions extends DetectorOptions {
  /** Values matching it are dropped (MISP's `excluderegex`; compile it with {@link compileMispRegex}). */
  readonly excludeRegex?: RegExp | null;
  /** Lines starting with one of these (after leading spaces) are comments. `[]` behaves like MISP. @default ['#'] */
  readonly commentPrefixes?: readonly string[];
  /**
   * Treat each line as one value instead of splitting it on spaces, commas and semicolons as MISP does. For
   * block lists with one indicator per line, where a comma inside a URL path would otherwise cut the URL in two.
   * @default false
   */
  readonly oneValuePerLine?: boolean;
  /** Keep only the first attribute per value, as MISP does. @default true */
  readonly dedupe?: boolean;
  /** Propose every attribute with to_ids false (the feed's `override_ids`). @default false */
  readonly overrideIds?: boolean;
  /** File name used in issue paths. @default 'freetext' */
  readonly source?: string;
  /** Stop listing issues after this many (a summary issue follows). @default 1000 */
  readonly maxIssues?: number;
  /** A detector built once with {@link createTypeDetector}; takes precedence over `tlds` / `securityVendorDomains`. */
  readonly detector?: TypeDetector;
}

export interface FreetextStats {
  lines: number;
  blankLines: number;
  commentLines: number;
  /** Candidate values looked at. */
  tokens: number;
  /** Values that passed detection, duplicates included. */
  recognised: number;
  duplicates: number;
  excluded: number;
  /** Non-blank, non-comment lines (or JSON strings) from which nothing was recognised. */
  unrecognised: number;
}

export interface FreetextResult {
  readonly attributes: readonly SuggestedAttribute[];
  readonly stats: FreetextStats;
}

/** Incremental form for large files: feed lines as they are read, then finish. */
export interface FreetextCollector {
  addLine(line: string, lineNumber: number): void;
  finish(): Parsed<FreetextResult>;
}

const SEPARATORS = /[\s,<>;]+/u;
const INVISIBLES = /[\p{C}\u00a0]+/gu;
const QUOTED = /"([^"]+)"/g;
const TOKEN_TRIM = `'".,() \t\n\r\0\x0B`;

/**
 * PHP's trim() with an explicit character list. A loop rather than a regular expression, because
 * `[…]+$` is quadratic on a long run of those characters that does not reach the end.
 */
export function trimCharacters(text: string, characters: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && characters.includes(text[start] ?? '')) start++;
  while (end > start && characters.includes(text[end - 1] ?? '')) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** PHP trim() with MISP's extra characters: quotes, dots, commas, parentheses. */
function trimToken(token: string): string {
  return trimCharacters(token, TOKEN_TRIM);
}

/** The candidate values in a piece of text: separated runs, then the contents of every quoted run. */
function candidates(text: string): string[] {
  const cleaned = text.replace(INVISIBLES, ' ');
  const tokens = cleaned.split(SEPARATORS).filter((t) => t !== '');
  if (cleaned.includes('"')) for (const m of cleaned.matchAll(QUOTED)) tokens.push(m[1] ?? '');
  return tokens;
}

/** The part shared by line and JSON input: detect, exclude, de-duplicate, count, collect. */
interface TokenSink {
  readonly attributes: SuggestedAttribute[];
  readonly stats: FreetextStats;
  /** Returns how many tokens were recognised or deliberately excluded (either way: the text was understood). */
  take(tokens: readonly string[], where: { readonly line?: number; readonly pointer?: string }): number;
}

function createTokenSink(options: FreetextOptions): TokenSink {
  const detect = options.detector ?? createTypeDetector(options);
  const dedupe = options.dedupe ?? true;
  const exclude = options.excludeRegex ?? null;
  const attributes: SuggestedAttribute[] = [];
  const seen = new Set<string>();
  const stats: FreetextStats = {
    lines: 0, blankLines: 0, commentLines: 0, tokens: 0, recognised: 0, duplicates: 0, excluded: 0, unrecognised: 0,
  };
  return {
    attributes,
    stats,
    take(tokens, where): number {
      let understood = 0;
      for (const rawToken of tokens) {
        const token = trimToken(rawToken);
        if (token === '') continue;
        stats.tokens++;
        if (exclude !== null && exclude.test(token)) {
          stats.excluded++;
          understood++;
          continue;
        }
        const found = detect(token);
        if (found === null) continue;
        stats.recognised++;
        understood++;
        if (dedupe) {
          if (seen.has(found.value)) {
            stats.duplicates++;
            continue;
          }
          seen.add(found.value);
        }
        attributes.push(suggestAttribute(found, token, where, options.overrideIds));
      }
      return understood;
    },
  };
}

/** Start an incremental parse. */
export function createFreetextCollector(options: FreetextOptions = {}): FreetextCollector {
  const sink = createTokenSink(options);
  const { stats } = sink;
  const source = options.source ?? 'freetext';
  const commentPrefixes = (options.commentPrefixes ?? ['#']).filter((p) => p !== '');
  const maxIssues = options.maxIssues ?? 1000;
  const issues: Issue[] = [];
  let suppressed = 0;

  return {
    addLine(line: string, lineNumber: number): void {
      stats.lines++;
      const trimmed = line.trim();
      if (trimmed === '') {
        stats.blankLines++;
        return;
      }
      if (commentPrefixes.some((p) => trimmed.startsWith(p))) {
        stats.commentLines++;
        return;
      }
      const tokens = options.oneValuePerLine ? [line.replace(INVISIBLES, ' ')] : candidates(line);
      if (sink.take(tokens, { line: lineNumber }) > 0) return;
      stats.unrecognised++;
      if (issues.length < maxIssues) {
        issues.push(issue('warning', 'freetext.unrecognised', `${source}:${lineNumber}`, `nothing recognised in "${clip(trimmed)}"`));
      } else {
        suppressed++;
      }
    },
    finish(): Parsed<FreetextResult> {
      const summary = issue('info', 'freetext.issues-truncated', source, `${suppressed} more issues not listed`);
      return { value: { attributes: sink.attributes, stats }, issues: suppressed === 0 ? issues : [...issues, summary] };
    },
  };
}

/**
 * Find indicators in a text. Text starting with `{` is read as JSON when it parses (every string value is a
 * candidate, and so is every token within it), otherwise line by line.
 */
export function parseFreetext(text: string, options: FreetextOptions = {}): Parsed<FreetextResult> {
  if (text.startsWith('{')) {
    const json = tryParseJson(text);
    if (json !== undefined) return parseJsonLeaves(json, options);
  }
  const collector = createFreetextCollector(options);
  const lines = text.split(/\r\n|\n|\r/);
  // A final newline does not start another line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => collector.addLine(line, i + 1));
  return collector.finish();
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseJsonLeaves(json: unknown, options: FreetextOptions): Parsed<FreetextResult> {
  const sink = createTokenSink(options);
  const walk = (node: unknown, pointer: string): void => {
    if (typeof node === 'string') {
      if (node === '') return;
      // The whole string is a candidate, then each token inside it, as in MISP.
      const tokens = [node, ...candidates(node).filter((t) => t !== node)];
      if (sink.take(tokens, { pointer }) === 0) sink.stats.unrecognised++;
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => walk(child, `${pointer}/${i}`));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
    // Numbers and booleans are skipped, as MISP skips them.
  };
  walk(json, '');
  // Free-form JSON is mostly prose (descriptions, names): a string with nothing in it is not worth an issue.
  return { value: { attributes: sink.attributes, stats: sink.stats }, issues: [] };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

//#endregion
