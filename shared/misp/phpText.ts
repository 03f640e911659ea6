/**
 * String primitives that behave like the PHP functions MISP applies to attribute values. JavaScript's own
 * helpers differ in ways that change stored values: `trim()` also strips Unicode spaces, `toLowerCase()` also
 * folds non-ASCII letters, and `\s` / `.` in regular expressions cover more characters than PCRE's. A value
 * normalised differently from MISP no longer matches MISP's copy (correlation, hashes.csv lookups), so these
 * mirror PHP byte-for-byte where it matters and are deliberately ASCII-only.
 */

/** PHP trim()'s default set: space, tab, line feed, carriage return, NUL and vertical tab. Nothing else. */
const PHP_TRIM_SET = ' \t\n\r\0\x0B';

/** PHP `trim($value)`: strips only PHP's six default characters (form feeds and Unicode spaces stay). */
export function phpTrim(value: string): string {
  return trimCharacters(value, PHP_TRIM_SET);
}

/** PHP `trim($value, $characters)` for a plain list of characters (no `a..z` ranges). */
export function trimCharacters(value: string, characters: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && characters.includes(value.charAt(start))) start++;
  while (end > start && characters.includes(value.charAt(end - 1))) end--;
  return value.slice(start, end);
}

/** PHP 8 strtolower(): only A-Z change, so `Ä` or `İ` are stored exactly as given. */
export function asciiLower(value: string): string {
  return value.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

/** PHP 8 strtoupper(): only a-z change. */
export function asciiUpper(value: string): string {
  return value.replace(/[a-z]+/g, (run) => run.toUpperCase());
}

/** PHP ctype_digit() on a string: non-empty and only 0-9 (no sign, no spaces). */
export function isDigits(value: string): boolean {
  return /^[0-9]+$/.test(value);
}

/** PHP ctype_xdigit(): non-empty and only hexadecimal digits of either case. */
export function isHexDigits(value: string): boolean {
  return /^[0-9A-Fa-f]+$/.test(value);
}

/** PHP ctype_cntrl(): non-empty and every character is an ASCII control character (0x00-0x1F, 0x7F). */
export function isOnlyControlCharacters(value: string): boolean {
  if (value === '') return false;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit > 0x1f && unit !== 0x7f) return false;
  }
  return true;
}

/**
 * PHP 8 is_numeric() on a string: optional surrounding whitespace, optional sign, decimal digits with an
 * optional fraction and exponent. Hexadecimal, `INF`, `NAN` and thousands separators are not numeric.
 */
export function isPhpNumeric(value: string): boolean {
  return /^[ \t\n\r\v\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$/.test(value);
}

/** Length in bytes once encoded as UTF-8 (PHP's strlen on MISP's stored value). Lone surrogates count 3. */
export function utf8ByteLength(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Outcome of replacing characters that MISP's utf8 (3-byte) columns cannot hold. */
export interface AstralReplacement {
  readonly value: string;
  /** How many characters outside the Basic Multilingual Plane (emoji and the like) became `?`. */
  readonly replaced: number;
  /** How many unpaired UTF-16 surrogates were found; they cannot be written as UTF-8 at all. */
  readonly unpairedSurrogates: number;
}

/**
 * MISP replaces every 4-byte UTF-8 sequence with `?` before validating, because its database columns were
 * created as 3-byte utf8. Doing the same here keeps our stored value equal to MISP's. Unpaired surrogates
 * are counted (and also replaced) so the caller can refuse them: they would not survive a JSON round trip.
 */
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

export function replaceAstralCharacters(value: string): AstralReplacement {
  // Nearly every value is free of surrogates; this runs several times per attribute on imports of millions.
  if (!ANY_SURROGATE.test(value)) return { value, replaced: 0, unpairedSurrogates: 0 };
  let replaced = 0;
  let unpairedSurrogates = 0;
  const out = value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g, (match) => {
    if (match.length === 2) replaced++;
    else unpairedSurrogates++;
    return '?';
  });
  return { value: out, replaced, unpairedSurrogates };
}

/** Remove leading zeros from a digit string, keeping a single `0` for zero. */
export function stripLeadingZeros(digits: string): string {
  const stripped = digits.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}
