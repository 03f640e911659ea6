/**
 * Per-type value rules: how MISP rewrites a value before checking it, and what it then accepts. The facts come
 * from MISP 2.5.1 (AttributeValidationTool::modifyBeforeValidation and ::validate); the grouping into families
 * and all code here are our own. Generic steps shared by every type (trimming, refanging, 4-byte characters,
 * emptiness, the composite `|` count, the size limit) live in validate.ts.
 *
 * Where MISP's own rule is buggy or missing (the "unsure" notes in misp-types.md), the rule warns instead of
 * rejecting, and says so next to the code.
 */

import { domainShapeWarnings, domainToAscii, isMispDomain } from './domainName';
import { normaliseDateTime } from './dateTime';
import { formatIpv6, hasHostBits, parseIp, parseIpv6, parseNetwork } from './ipAddress';
import {
  asciiLower,
  asciiUpper,
  isDigits,
  isHexDigits,
  isPhpNumeric,
  phpTrim,
  trimCharacters,
  utf8ByteLength,
} from './phpText';
import type { AttributeType } from './types';
import { isPhpValidUrl } from './urlFilter';

/** Receives a warning: the value is accepted, but someone should look at it. */
export type Warn = (message: string) => void;

/** What MISP does with values of one type. */
export interface TypeRule {
  /** The rewrite MISP applies before validating (lower-casing, compressing, reformatting...). */
  readonly normalise?: (value: string, warn: Warn) => string;
  /** Null when MISP accepts the (normalised) value, otherwise why it does not. */
  readonly check: (value: string, warn: Warn) => string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Small shared pieces

/** Lower-cases only what follows the first `|`: MISP keeps file names as given but lower-cases their hashes. */
function lowerAfterPipe(value: string): string {
  const pipe = value.indexOf('|');
  return pipe < 0 ? value : value.slice(0, pipe) + asciiLower(value.slice(pipe));
}

/** The two halves of a composite value; validate.ts checks the single `|` first, but stay total anyway. */
function halves(value: string): [string, string] {
  const pipe = value.indexOf('|');
  return pipe < 0 ? [value, ''] : [value.slice(0, pipe), value.slice(pipe + 1)];
}

function isPort(value: string): boolean {
  return isDigits(value) && Number(value) >= 1 && Number(value) <= 65535;
}

const PORT_REASON = 'a port must be a whole number from 1 to 65535';

function singleLine(value: string): string | null {
  return value.includes('\n') ? 'the value must be a single line' : null;
}

const accept = (): null => null;

// ---------------------------------------------------------------------------------------------------------
// Hashes

/** Types checked as an exact number of hex digits (MISP's HASH_HEX_LENGTH, minus telfhash's own rule). */
const HEX_LENGTHS: Readonly<Partial<Record<AttributeType, number>>> = {
  md5: 32,
  imphash: 32,
  'ja3-fingerprint-md5': 32,
  'hassh-md5': 32,
  'hasshserver-md5': 32,
  'x509-fingerprint-md5': 32,
  'dom-hash': 32,
  sha1: 40,
  pehash: 40,
  'git-commit-id': 40,
  'x509-fingerprint-sha1': 40,
  sha224: 56,
  'sha512/224': 56,
  'sha3-224': 56,
  sha256: 64,
  'sha512/256': 64,
  'sha3-256': 64,
  authentihash: 64,
  'x509-fingerprint-sha256': 64,
  'jarm-fingerprint': 62,
  sha384: 96,
  'sha3-384': 96,
  sha512: 128,
  'sha3-512': 128,
};

function hexLength(type: string): number {
  return HEX_LENGTHS[type as AttributeType] ?? 0;
}

function fixedHex(length: number): TypeRule['check'] {
  return (value) =>
    value.length === length && isHexDigits(value) ? null : `expected exactly ${length} hexadecimal characters`;
}

/** Plain hashes: lower-cased, then an exact hex length. */
function hexHash(type: string): TypeRule {
  return { normalise: asciiLower, check: fixedHex(hexLength(type)) };
}

/** git commit ids: MISP checks the length but, unlike other hashes, does not lower-case them. */
const gitCommitId: TypeRule = { check: fixedHex(40) };

/** Certificate fingerprints are often written with colons between bytes; MISP drops them. */
function x509Fingerprint(type: string): TypeRule {
  return { normalise: (v) => asciiLower(v.replace(/:/g, '')), check: fixedHex(hexLength(type)) };
}

/** TLSH: an optional `t` (the `T1` version prefix, lower-cased), then more than 35 hex digits. */
function tlshReason(value: string): string | null {
  const digits = value.startsWith('t') ? value.slice(1) : value;
  return digits.length > 35 && isHexDigits(digits)
    ? null
    : 'a TLSH hash is an optional "t" followed by more than 35 hexadecimal characters';
}

/** ssdeep: `blocksize:hash:hash` with base64 characters in the hash parts. */
function ssdeepReason(value: string): string | null {
  return /^[0-9]+:[0-9A-Za-z/+]*:[0-9A-Za-z/+]*$/.test(value) ? null : 'an ssdeep hash has the form blocksize:hash:hash';
}

/** impfuzzy: `imports:hash:hash`, i.e. exactly two colons after a whole number. */
function impfuzzyReason(value: string): string | null {
  const parts = value.split(':');
  return parts.length === 3 && isDigits(parts[0] ?? '') ? null : 'an impfuzzy hash has the form imports:hash:hash';
}

const tlsh: TypeRule = { normalise: asciiLower, check: tlshReason };
const ssdeep: TypeRule = { check: ssdeepReason };
const impfuzzy: TypeRule = { check: impfuzzyReason };

/** telfhash: MISP checks only the length (70 or 72); we also point out non-hex content, without rejecting. */
const telfhash: TypeRule = {
  normalise: asciiLower,
  check: (value, warn) => {
    const bytes = utf8ByteLength(value);
    if (bytes !== 70 && bytes !== 72) return 'a telfhash has 70 or 72 characters';
    if (!isHexDigits(value)) warn('a telfhash is normally hexadecimal; MISP only checks its length');
    return null;
  },
};

const cdhash: TypeRule = {
  normalise: asciiLower,
  check: (value) => (/^[0-9a-f]{40,}$/.test(value) ? null : 'a cdhash is 40 or more hexadecimal characters'),
};

const vhash: TypeRule = {
  normalise: asciiLower,
  check: (value) => (/^[^\n]+$/.test(value) ? null : 'the value must be a single non-empty line'),
};

/** `filename|<hash>`: any one-line file name, then the hash in lower-case hex of the exact length. */
function filenameHexHash(hashType: string): TypeRule {
  const length = hexLength(hashType);
  const pattern = new RegExp(`^[^\\n]+\\|[0-9a-f]{${length}}$`);
  return {
    normalise: lowerAfterPipe,
    check: (value) =>
      pattern.test(value) ? null : `expected a one-line file name, "|", and ${length} hexadecimal characters`,
  };
}

const filenameVhash: TypeRule = {
  normalise: lowerAfterPipe,
  check: (value) => (/^[^\n]+\|[^\n]+$/.test(value) ? null : 'expected a one-line file name, "|", and a vhash'),
};

/** `filename|ssdeep` and `filename|tlsh`: MISP allows an empty file name here (not a new line, though). */
function filenameWith(hashReason: (hash: string) => string | null, lowerHash: boolean): TypeRule {
  return {
    ...(lowerHash ? { normalise: lowerAfterPipe } : {}),
    check: (value) => {
      const [name, hash] = halves(value);
      if (name.includes('\n')) return 'the file name must not contain a new line';
      return hashReason(hash);
    },
  };
}

/**
 * `filename|impfuzzy`: MISP 2.5.1 has no rule for this type at all; its validator throws "Unknown attribute
 * type", so such attributes most likely fail to save. That is a MISP bug, not a property of the data, so we
 * warn (always) and check the evident intent (a one-line name and an impfuzzy hash) as warnings too.
 */
const filenameImpfuzzy: TypeRule = {
  check: (value, warn) => {
    warn('MISP 2.5.1 has no validation rule for filename|impfuzzy and may fail to save it');
    const [name, hash] = halves(value);
    if (name.includes('\n')) warn('the file name contains a new line');
    const hashProblem = impfuzzyReason(hash);
    if (hashProblem) warn(hashProblem);
    return null;
  },
};

// ---------------------------------------------------------------------------------------------------------
// Network addresses

/**
 * MISP's address rewrite: IPv6 compressed (inet_pton/inet_ntop), and a /32 (IPv4) or /128 (IPv6) block reduced
 * to the bare address. Anything that does not parse is left alone for the check to reject.
 *
 * Two deliberate differences, both producing values MISP accepts unchanged: MISP skips compression when the
 * text starts with `:` (it tests strpos() for truthiness, and position 0 is falsy), and it reduces "/32" for any
 * text that contains a dot, including IPv6 with an embedded IPv4 tail. We compress every IPv6 and reduce by
 * family, so equal addresses always get equal spellings.
 */
export function normaliseIp(value: string): string {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const v6 = address.includes(':') ? parseIpv6(address) : null;
  const spelled = v6 ? formatIpv6(v6) : address;
  if (slash < 0) return spelled;
  const prefix = value.slice(slash + 1);
  const family = v6 ? 6 : parseIp(address)?.family;
  if ((family === 4 && prefix === '32') || (family === 6 && prefix === '128')) return spelled;
  return `${spelled}/${prefix}`;
}

const ipAddressOrBlock: TypeRule = {
  normalise: normaliseIp,
  check: (value, warn) => {
    const network = parseNetwork(value);
    if (network === null) {
      if (!value.includes('/')) return 'not a valid IPv4 or IPv6 address';
      return 'not a valid CIDR block (address/prefix, prefix at most 32 for IPv4 and 128 for IPv6)';
    }
    // MISP stores the block as written; a set host bit usually means a typo, but MISP accepts it.
    if (hasHostBits(network)) warn('the CIDR block has host bits set beyond its prefix');
    return null;
  },
};

/**
 * MISP's reading of `ip|port` values written in the usual notations: `1.2.3.4:80`, `[2001:db8::1]:80`,
 * `2001:db8::1.80`, `2001:db8::1 port 80`, `2001:db8::1p80`, `2001:db8::1#80`, and as a last resort the last
 * colon of an IPv6 text. It keeps the first two pieces of whatever split it chose and drops the rest.
 */
function splitIpPort(value: string): string[] | null {
  const colons = value.split(':').length - 1;
  if (colons >= 2) {
    if (value.indexOf('|') > 0) return value.split('|');
    if (value.startsWith('[') && value.includes(']')) {
      const close = value.indexOf(']');
      const afterBracket = value.slice(close).split(':');
      return [value.slice(1, close), afterBracket[1] ?? '', ...afterBracket.slice(2)];
    }
    for (const separator of ['.', ' port ', 'p', '#']) {
      if (value.indexOf(separator) > 0) return value.split(separator);
    }
    const lastColon = value.lastIndexOf(':');
    return [value.slice(0, lastColon), value.slice(lastColon + 1)];
  }
  if (value.indexOf(':') > 0) return value.split(':');
  if (value.indexOf('|') > 0) return value.split('|');
  return null;
}

const ipWithPort: TypeRule = {
  normalise: (value, warn) => {
    const parts = splitIpPort(value);
    if (parts === null) return value;
    if (parts.length > 2) warn(`MISP keeps only the address and port; "${parts.slice(2).join(' ')}" was dropped`);
    return `${normaliseIp(parts[0] ?? '')}|${parts[1] ?? ''}`;
  },
  check: (value) => {
    const [ip, port] = halves(value);
    if (parseIp(ip) === null) return 'not a valid IPv4 or IPv6 address (CIDR blocks are not allowed here)';
    return isPort(port) ? null : PORT_REASON;
  },
};

// ---------------------------------------------------------------------------------------------------------
// Names

const DOMAIN_REASON = 'not a valid domain name (letters, digits, "-", "_" and at least one dot)';

/** MISP's domain rewrite: lower case, no leading or trailing dots, Punycode if that makes it valid. */
function normaliseDomainName(value: string): string {
  const trimmed = trimCharacters(asciiLower(value), '.');
  if (isMispDomain(trimmed)) return trimmed;
  return domainToAscii(trimmed) ?? trimmed;
}

function domainCheck(value: string, warn: Warn): string | null {
  if (!isMispDomain(value)) return DOMAIN_REASON;
  domainShapeWarnings(value).forEach(warn);
  return null;
}

const domain: TypeRule = { normalise: normaliseDomainName, check: domainCheck };

/**
 * Host names: MISP only lower-cases them, so `www.example.com.` (a fully qualified name) and `bücher.de` fail
 * its check although they are fine names. We drop the trailing dot and convert to Punycode, as MISP does for
 * domains, and warn, so the stored value is one MISP accepts.
 */
function normaliseHostName(value: string, warn: Warn): string {
  let name = asciiLower(value);
  if (name.endsWith('.')) {
    name = name.replace(/\.+$/, '');
    warn('the trailing dot was removed (MISP rejects it in host names)');
  }
  if (!isMispDomain(name)) {
    const ascii = domainToAscii(name);
    if (ascii !== null && ascii !== name && isMispDomain(ascii)) {
      warn('the internationalised host name was converted to Punycode (MISP rejects it otherwise)');
      name = ascii;
    }
  }
  return name;
}

const hostname: TypeRule = { normalise: normaliseHostName, check: domainCheck };

const domainWithIp: TypeRule = {
  normalise: (value, warn) => {
    const parts = asciiLower(value).split('|');
    if (parts.length < 2) return asciiLower(value);
    if (parts.length > 2) warn(`MISP keeps only the domain and address; "${parts.slice(2).join('|')}" was dropped`);
    return `${normaliseDomainName(parts[0] ?? '')}|${normaliseIp(parts[1] ?? '')}`;
  },
  check: (value, warn) => {
    const [name, ip] = halves(value);
    if (!isMispDomain(name)) return DOMAIN_REASON;
    domainShapeWarnings(name).forEach(warn);
    return parseIp(ip) === null ? 'not a valid IPv4 or IPv6 address (CIDR blocks are not allowed here)' : null;
  },
};

const hostnameWithPort: TypeRule = {
  normalise: (value, warn) => {
    const joined = asciiLower(value).replace(/:/g, '|');
    const pipe = joined.indexOf('|');
    if (pipe < 0) return joined;
    return `${normaliseHostName(joined.slice(0, pipe), warn)}${joined.slice(pipe)}`;
  },
  check: (value, warn) => {
    const [name, port] = halves(value);
    if (!isMispDomain(name)) return DOMAIN_REASON;
    domainShapeWarnings(name).forEach(warn);
    return isPort(port) ? null : PORT_REASON;
  },
};

/** MISP's deliberately loose e-mail pattern: something without spaces, `@`, then anything with a dot. */
// PCRE semantics: `.` is anything but a line feed and `\s` is ASCII whitespace only.
const EMAIL_PATTERN = /^[^\n][^ \t\n\v\f\r]*@[^\n]*\.[^\n]*$/;

function emailReason(value: string): string | null {
  return EMAIL_PATTERN.test(value) ? null : 'not an e-mail address (expected name@domain.tld)';
}

const emailLowered: TypeRule = { normalise: asciiLower, check: emailReason };
const emailAsGiven: TypeRule = { check: emailReason };

/**
 * Onion addresses: 16 (v2) or 56 (v3) base32 characters and `.onion`. MISP 2.5.1 means exactly that, but a
 * typo in its pattern (`{56)`) makes every v3 address fail, and v2 addresses are long dead; we accept v3 and
 * warn that MISP 2.5.1 will refuse it.
 */
const onionAddress: TypeRule = {
  normalise: asciiLower,
  check: (value, warn) => {
    if (/^[a-z2-7]{16}\.onion$/.test(value)) return null;
    if (/^[a-z2-7]{56}\.onion$/.test(value)) {
      warn('MISP 2.5.1 rejects v3 (56-character) onion addresses because of a typo in its pattern');
      return null;
    }
    return 'an onion address is 16 or 56 characters of a-z and 2-7 followed by ".onion"';
  },
};

const link: TypeRule = {
  check: (value) => (isPhpValidUrl(value) ? null : 'not a complete URL with a scheme (e.g. https://host/path)'),
};

// ---------------------------------------------------------------------------------------------------------
// Numbers and codes

/** AS numbers: `AS` prefix dropped, asdot `X.Y` turned into X*65536+Y, then 0..4294967295. */
const autonomousSystem: TypeRule = {
  normalise: (value, warn) => {
    let number = asciiUpper(value.slice(0, 2)) === 'AS' ? value.slice(2) : value;
    const dot = number.indexOf('.');
    if (dot >= 0) {
      const high = number.slice(0, dot);
      const low = number.slice(dot + 1);
      if (isDigits(high) && isDigits(low)) {
        // MISP does not check that the low half fits in 16 bits, so 1.70000 silently means 135536.
        if (Number(low) > 65535) warn('the asdot low part is above 65535');
        const combined = Number(high) * 65536 + Number(low);
        number = Number.isSafeInteger(combined) ? String(combined) : number;
      }
    }
    if (/^0[0-9]/.test(number)) warn('leading zeros are kept as MISP keeps them; AS0123 and AS123 will not correlate');
    return number;
  },
  check: (value) => (isDigits(value) && Number(value) <= 4294967295 ? null : 'an AS number is 0 to 4294967295'),
};

const port: TypeRule = { check: (value) => (isPort(value) ? null : PORT_REASON) };

const wholeNumber: TypeRule = {
  check: (value) => (isDigits(value) ? null : 'the value must be a whole number of 0 or more'),
};

/**
 * `integer`: MISP 2.5.1 tests the string with PHP's is_int(), which is false for every string, so it appears
 * to reject all values. That is a bug, so we check the evident intent (an optionally signed whole number)
 * and only warn about MISP.
 */
const integer: TypeRule = {
  check: (value, warn) => {
    if (!/^[+-]?[0-9]+$/.test(value)) return 'the value must be a whole number';
    warn('MISP 2.5.1 checks integer values with is_int() on a string and may reject every value');
    return null;
  },
};

const numeric: TypeRule = { check: (value) => (isPhpNumeric(value) ? null : 'the value must be a number') };

/** Card and BIN numbers: every non-digit (spaces, dashes) is removed first. */
const digitsOnlyNumber: TypeRule = { normalise: (value) => value.replace(/[^0-9]+/g, ''), check: numeric.check };

/** Phone numbers: a leading `00` becomes `+`, a `(0)` trunk prefix goes, then everything but `+` and digits. */
const phoneNumber: TypeRule = {
  normalise: (value) => {
    const international = value.startsWith('00') ? `+${value.slice(2)}` : value;
    return international.replace(/\(0\)/g, '').replace(/[^+0-9]+/g, '');
  },
  check: numeric.check,
};

const alphanumeric: TypeRule = {
  check: (value) => (/^[A-Za-z0-9]+$/.test(value) ? null : 'only letters and digits are allowed'),
};

/** IBAN and BIC: upper case, with spaces and punctuation removed. */
const bankCode: TypeRule = {
  normalise: (value) => asciiUpper(value).replace(/[^0-9A-Z]+/g, ''),
  check: alphanumeric.check,
};

const hex: TypeRule = {
  normalise: (value) => asciiUpper(value),
  check: (value) => (isHexDigits(value) ? null : 'only hexadecimal characters are allowed'),
};

/**
 * Booleans: `true`/`false` (any case) become 1/0, and after that MISP keeps PHP's truthiness, so every other
 * non-empty text except `0` (including "no" and "off") becomes 1. We do the same, with a warning.
 */
const boolean: TypeRule = {
  normalise: (value, warn) => {
    const word = asciiLower(phpTrim(value));
    if (word === 'true' || word === '1') return '1';
    if (word === 'false' || word === '0') return '0';
    warn(`MISP reads "${value}" as ${word === '' ? 'false' : 'true'}; only 0/1 and true/false are unambiguous`);
    return word === '' ? '0' : '1';
  },
  check: accept,
};

const cortex: TypeRule = {
  check: (value) => {
    try {
      JSON.parse(value);
      return null;
    } catch {
      return 'the value must be valid JSON';
    }
  },
};

// ---------------------------------------------------------------------------------------------------------
// Other structured values

const HTTP_METHODS = [
  'OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY',
  'MOVE', 'LOCK', 'UNLOCK', 'VERSION-CONTROL', 'REPORT', 'CHECKOUT', 'CHECKIN', 'UNCHECKOUT', 'MKWORKSPACE',
  'UPDATE', 'LABEL', 'MERGE', 'BASELINE-CONTROL', 'MKACTIVITY', 'ORDERPATCH', 'ACL', 'PATCH', 'SEARCH',
];

/** HTTP methods: upper-cased; MISP accepts any text that merely contains a method name, so we warn on extras. */
const httpMethod: TypeRule = {
  normalise: asciiUpper,
  check: (value, warn) => {
    if (HTTP_METHODS.includes(value)) return null;
    if (!HTTP_METHODS.some((method) => value.includes(method))) return 'not a known HTTP method';
    warn('the value only contains an HTTP method; MISP accepts it, but it is not a method name by itself');
    return null;
  },
};

/** MAC addresses: lower case, separators removed, then `aa:bb:...` pairs; 6 pairs (or 8 for EUI-64). */
function macAddress(pairs: number): TypeRule {
  const pattern = new RegExp(`^(?:[a-fA-F0-9]{2}:?){${pairs}}$`);
  return {
    normalise: (value) => (asciiLower(value).replace(/[.: -]/g, '').match(/.{1,2}/gs) ?? []).join(':'),
    check: (value) => (pattern.test(value) ? null : `expected ${pairs} pairs of hexadecimal digits`),
  };
}

/** CVE and CWE ids: upper case, with en dashes (common after copying from documents) turned into hyphens. */
function weaknessId(pattern: RegExp, example: string): TypeRule {
  return {
    normalise: (value) => asciiUpper(value.replace(/–/g, '-')),
    check: (value) => (pattern.test(value) ? null : `expected an id like ${example}`),
  };
}

const windowsServiceName: TypeRule = {
  check: (value) =>
    utf8ByteLength(value) > 256 || /[\\/]/.test(value)
      ? 'a service name has at most 256 bytes and no "/" or "\\"'
      : null,
};

/** SSH key fingerprints: `SHA256:` + unpadded base64 of 32 bytes, or an MD5 in hex with optional colons. */
const sshFingerprint: TypeRule = {
  check: (value) => {
    if (value.startsWith('SHA256:')) {
      return base64DecodedLength(value.slice(7)) === 32 ? null : 'a SHA256 fingerprint is 32 bytes of base64';
    }
    const hexPart = (value.startsWith('MD5:') ? value.slice(4) : value).replace(/:/g, '');
    return hexPart.length === 32 && isHexDigits(hexPart) ? null : 'expected SHA256:<base64> or an MD5 fingerprint';
  },
};

/**
 * Decoded size of strict base64 as PHP's base64_decode($s, true) sees it: whitespace ignored, padding optional
 * but only at the end, and never a lone trailing character. -1 when PHP would return false.
 */
function base64DecodedLength(text: string): number {
  const compact = text.replace(/[ \t\r\n]/g, '');
  const match = /^([A-Za-z0-9+/]*)(=*)$/.exec(compact);
  if (!match) return -1;
  const data = match[1] ?? '';
  const padding = (match[2] ?? '').length;
  if (data.length % 4 === 1) return -1;
  if (padding > 0 && (padding > 2 || (data.length + padding) % 4 !== 0)) return -1;
  return Math.floor((data.length * 6) / 8);
}

const dateTime: TypeRule = {
  normalise: (value, warn) => {
    const parsed = normaliseDateTime(value);
    if (parsed === null) return value;
    parsed.warnings.forEach(warn);
    return parsed.value;
  },
  check: (value) =>
    normaliseDateTime(value) === null
      ? 'not a date/time we can read (use ISO 8601, e.g. 2024-03-01T10:00:00+00:00)'
      : null,
};

/** The zipped sample's name: MISP only requires the composite form, but the md5 half names the file. */
const malwareSample: TypeRule = {
  check: (value, warn) => {
    if (!/^[0-9a-fA-F]{32}$/.test(halves(value)[1])) warn('the second half of a malware-sample is normally its md5');
    return null;
  },
};

// The three types below are newer than MISP 2.5.1, so we have not seen MISP's rules for them. We apply the
// evident rule of their nearest relative, and only ever warn: a wrong guess must not block a valid feed.

const uuidType: TypeRule = {
  check: (value, warn) => {
    if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(value)) {
      warn('the value does not look like a UUID (8-4-4-4-12 hexadecimal digits)');
    }
    return null;
  },
};

const singleLineGuess: TypeRule = {
  check: (value, warn) => {
    if (value.includes('\n')) warn('the value spans several lines');
    return null;
  },
};

const anything: TypeRule = { check: accept };
const anythingLowered: TypeRule = { normalise: asciiLower, check: accept };
const oneLine: TypeRule = { check: singleLine };

// ---------------------------------------------------------------------------------------------------------
// Which rule applies to which type

type Family = readonly [readonly AttributeType[], (type: AttributeType) => TypeRule];

const same =
  (rule: TypeRule) =>
  (): TypeRule =>
    rule;

const FAMILIES: readonly Family[] = [
  [
    [
      'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512/224', 'sha512/256', 'sha3-224', 'sha3-256',
      'sha3-384', 'sha3-512', 'imphash', 'pehash', 'authentihash', 'ja3-fingerprint-md5', 'jarm-fingerprint',
      'hassh-md5', 'hasshserver-md5', 'dom-hash',
    ],
    hexHash,
  ],
  [['git-commit-id'], same(gitCommitId)],
  [['x509-fingerprint-md5', 'x509-fingerprint-sha1', 'x509-fingerprint-sha256'], x509Fingerprint],
  [['tlsh'], same(tlsh)],
  [['telfhash'], same(telfhash)],
  [['ssdeep'], same(ssdeep)],
  [['impfuzzy'], same(impfuzzy)],
  [['cdhash'], same(cdhash)],
  [['vhash'], same(vhash)],
  [
    [
      'filename|md5', 'filename|sha1', 'filename|sha224', 'filename|sha256', 'filename|sha384', 'filename|sha512',
      'filename|sha512/224', 'filename|sha512/256', 'filename|sha3-224', 'filename|sha3-256', 'filename|sha3-384',
      'filename|sha3-512', 'filename|imphash', 'filename|authentihash', 'filename|pehash',
    ],
    (type) => filenameHexHash(type.slice('filename|'.length)),
  ],
  [['filename|vhash'], same(filenameVhash)],
  [['filename|ssdeep'], same(filenameWith(ssdeepReason, false))],
  [['filename|tlsh'], same(filenameWith(tlshReason, true))],
  [['filename|impfuzzy'], same(filenameImpfuzzy)],
  [['ip-src', 'ip-dst'], same(ipAddressOrBlock)],
  [['ip-src|port', 'ip-dst|port'], same(ipWithPort)],
  [['domain'], same(domain)],
  [['hostname'], same(hostname)],
  [['domain|ip'], same(domainWithIp)],
  [['hostname|port'], same(hostnameWithPort)],
  [['email', 'email-src', 'email-dst', 'target-email', 'whois-registrant-email'], same(emailLowered)],
  [['eppn', 'dns-soa-email', 'jabber-id'], same(emailAsGiven)],
  [['onion-address'], same(onionAddress)],
  [['link'], same(link)],
  [['AS'], same(autonomousSystem)],
  [['port'], same(port)],
  [['size-in-bytes', 'counter'], same(wholeNumber)],
  [['integer'], same(integer)],
  [['float', 'bank-account-nr', 'aba-rtn'], same(numeric)],
  [['cc-number', 'bin'], same(digitsOnlyNumber)],
  [['phone-number', 'prtn', 'whois-registrant-phone'], same(phoneNumber)],
  [['iban', 'bic'], same(bankCode)],
  [['btc', 'dash', 'xmr'], same(alphanumeric)],
  [['hex'], same(hex)],
  [['boolean'], same(boolean)],
  [['cortex'], same(cortex)],
  [['http-method'], same(httpMethod)],
  [['mac-address'], same(macAddress(6))],
  [['mac-eui-64'], same(macAddress(8))],
  [['vulnerability'], same(weaknessId(/^CVE-[0-9]{4}-[0-9]{4,}$/, 'CVE-2024-12345'))],
  [['weakness'], same(weaknessId(/^CWE-[0-9]+$/, 'CWE-79'))],
  [['windows-service-name', 'windows-service-displayname'], same(windowsServiceName)],
  [['ssh-fingerprint'], same(sshFingerprint)],
  [['datetime'], same(dateTime)],
  [['malware-sample'], same(malwareSample)],
  [['anonymised'], same(anythingLowered)],
  [
    [
      'text', 'other', 'comment', 'snort', 'bro', 'zeek', 'community-id', 'pattern-in-file', 'pattern-in-traffic',
      'pattern-in-memory', 'filename-pattern', 'pgp-public-key', 'pgp-private-key', 'yara', 'stix2-pattern',
      'sigma', 'gene', 'kusto-query', 'mime-type', 'identity-card-number', 'cookie', 'attachment', 'cpe', 'mutex',
      'process-state', 'email-attachment', 'email-body', 'email-header', 'first-name', 'middle-name', 'last-name',
      'full-name',
    ],
    same(anything),
  ],
  [
    [
      'filename', 'pdb', 'url', 'uri', 'user-agent', 'regkey', 'regkey|value', 'email-subject', 'favicon-mmh3',
      'named pipe', 'target-user', 'target-machine', 'target-org', 'target-location', 'target-external',
      'threat-actor', 'campaign-name', 'campaign-id', 'malware-type', 'windows-scheduled-task',
      'whois-registrant-name', 'whois-registrant-org', 'whois-registrar', 'whois-creation-date',
      'email-dst-display-name', 'email-src-display-name', 'email-reply-to', 'email-x-mailer', 'email-mime-boundary',
      'email-thread-index', 'email-message-id', 'github-username', 'github-repository', 'github-organisation',
      'twitter-id', 'dkim', 'dkim-signature', 'date-of-birth', 'place-of-birth', 'gender', 'passport-number',
      'passport-country', 'passport-expiration', 'redress-number', 'nationality', 'visa-number',
      'issue-date-of-the-visa', 'primary-residence', 'country-of-residence', 'special-service-request',
      'frequent-flyer-number', 'travel-details', 'payment-details', 'place-port-of-original-embarkation',
      'place-port-of-clearance', 'place-port-of-onward-foreign-destination', 'passenger-name-record-locator-number',
      'mobile-application-id', 'azure-application-id', 'chrome-extension-id',
    ],
    same(oneLine),
  ],
  // Newer than MISP 2.5.1: rules are our guesses, see above.
  [['uuid'], same(uuidType)],
  [['suricata'], same(anything)],
  [['edge-extension-id'], same(singleLineGuess)],
];

const RULES: ReadonlyMap<string, TypeRule> = new Map(
  FAMILIES.flatMap(([types, build]) => types.map((type): [string, TypeRule] => [type, build(type)])),
);

/** Types listed in more than one family; must stay empty (checked by the tests). */
export const DUPLICATE_RULE_TYPES: readonly string[] = FAMILIES.flatMap(([types]) => types).filter(
  (type, index, all) => all.indexOf(type) !== index,
);

/** The value rule for a known type, or undefined for types we have no rule for. */
export function ruleFor(type: string): TypeRule | undefined {
  return RULES.get(type);
}
