/**
 * IP addresses as MISP sees them. Which texts count as addresses follows PHP's FILTER_VALIDATE_IP (MISP's
 * check); the canonical IPv6 spelling follows glibc's inet_ntop, which is what MISP's inet_pton/inet_ntop
 * round trip produces on the Linux servers it runs on. Keeping both identical to MISP is what lets a value
 * stored here equal the value stored there.
 */

import { isDigits, stripLeadingZeros } from './phpText';

/** 4 or 6. */
export type IpFamily = 4 | 6;

/** A parsed address: IPv4 as 4 bytes, IPv6 as 8 sixteen-bit words. */
export interface ParsedIp {
  readonly family: IpFamily;
  readonly parts: readonly number[];
}

/**
 * Dotted-quad IPv4 the way PHP accepts it: exactly four decimal parts of 0-255 with no leading zeros
 * (PHP refuses `010` because some C libraries would read it as octal).
 */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const byte = Number(part);
    if (byte > 255) return null;
    bytes.push(byte);
  }
  return bytes;
}

/**
 * IPv6 in any spelling PHP accepts: 1-4 hex digits per group, at most one `::` standing for at least one zero
 * group, and optionally a dotted-quad IPv4 in the last 32 bits. Zone ids (`%eth0`) and brackets are refused.
 */
export function parseIpv6(text: string): number[] | null {
  if (!text.includes(':')) return null;
  let head = text;
  let embedded: number[] | null = null;
  const firstDot = text.indexOf('.');
  if (firstDot >= 0) {
    // The IPv4 tail starts after the last colon that precedes the first dot.
    const tailStart = text.lastIndexOf(':', firstDot) + 1;
    embedded = parseIpv4(text.slice(tailStart));
    if (embedded === null || tailStart < 2) return null;
    head = text.slice(0, tailStart);
    // A single colon before the IPv4 tail only separates it; a double colon is a real compression.
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const sides = head.split('::');
  if (sides.length > 2) return null;
  const compressed = sides.length === 2;
  const left = groupsOf(sides[0] ?? '', compressed);
  const right = compressed ? groupsOf(sides[1] ?? '', true) : [];
  if (left === null || right === null) return null;
  const tailWords = embedded ? wordsOfIpv4(embedded) : [];
  const explicit = left.length + right.length + tailWords.length;
  if (compressed ? explicit > 7 : explicit !== 8) return null;
  const zeros: number[] = new Array<number>(8 - explicit).fill(0);
  return compressed ? [...left, ...zeros, ...right, ...tailWords] : [...left, ...tailWords];
}

function wordsOfIpv4([a = 0, b = 0, c = 0, d = 0]: readonly number[]): number[] {
  return [(a << 8) | b, (c << 8) | d];
}

/** Hex groups of one side of an IPv6 text; an empty side is allowed only next to `::`. */
function groupsOf(side: string, mayBeEmpty: boolean): number[] | null {
  if (side === '') return mayBeEmpty ? [] : null;
  const words: number[] = [];
  for (const group of side.split(':')) {
    if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) return null;
    words.push(parseInt(group, 16));
  }
  return words;
}

/** An IPv4 or IPv6 address (no prefix), or null. */
export function parseIp(text: string): ParsedIp | null {
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, parts: v4 };
  const v6 = parseIpv6(text);
  return v6 ? { family: 6, parts: v6 } : null;
}

/**
 * glibc inet_ntop spelling of IPv6: lower-case hex without leading zeros, the longest run of two or more zero
 * groups (the first one on a tie) written as `::`, and the last 32 bits as a dotted quad for IPv4-mapped
 * (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`) addresses. This is RFC 5952 except for that last rule,
 * which glibc still applies and MISP therefore stores.
 */
export function formatIpv6(words: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestLength < 2) bestStart = -1;

  const embedsIpv4 = bestStart === 0 && (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff));
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLength) {
      if (i === bestStart) out += ':';
      continue;
    }
    if (i > 0) out += ':';
    if (i === 6 && embedsIpv4) {
      const high = words[6] ?? 0;
      const low = words[7] ?? 0;
      return `${out}${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
    }
    out += (words[i] ?? 0).toString(16);
  }
  if (bestStart >= 0 && bestStart + bestLength === 8) out += ':';
  return out;
}

/** The address in MISP's stored spelling: IPv4 unchanged, IPv6 compressed. Null when it is not an address. */
export function canonicalIp(text: string): string | null {
  const ip = parseIp(text);
  if (!ip) return null;
  return ip.family === 4 ? text : formatIpv6(ip.parts);
}

/** An address with an optional CIDR prefix, as found in ip-src / ip-dst values. */
export interface ParsedNetwork extends ParsedIp {
  /** The prefix length, or null for a bare address. */
  readonly prefix: number | null;
}

/** `ip` or `ip/prefix` with a decimal prefix within the family's width; null otherwise. */
export function parseNetwork(text: string): ParsedNetwork | null {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return null;
  if (slash < 0) return { ...ip, prefix: null };
  const prefixText = text.slice(slash + 1);
  if (!isDigits(prefixText)) return null;
  const prefix = Number(stripLeadingZeros(prefixText));
  return prefix <= bitWidth(ip.family) ? { ...ip, prefix } : null;
}

function bitWidth(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

function toBigInt(ip: ParsedIp): bigint {
  const partBits = ip.family === 4 ? 8n : 16n;
  return ip.parts.reduce((acc, part) => (acc << partBits) | BigInt(part), 0n);
}

/**
 * The numeric span of an address or CIDR block, as text keys that sort like the numbers they encode.
 *
 * Keys are `4:` + 8 hex digits or `6:` + 32 hex digits (lower case). Within a family every key has the same
 * width, so SQLite's text comparison orders them numerically, and containment is `from <= key AND key <= to`.
 * The families are kept apart rather than mapping IPv4 into ::ffff:0:0/96: MISP's advanced correlation never
 * matches an IPv4 address against an IPv6 block, and with the prefix every `4:` key sorts before every `6:`
 * key, so one index over one column serves both families without cross-family hits.
 */
export interface IpRange {
  readonly family: IpFamily;
  /** Prefix length; 32 or 128 for a single address. */
  readonly prefix: number;
  /** Lowest address of the block (host bits cleared), as a key. */
  readonly from: string;
  /** Highest address of the block (host bits set), as a key. */
  readonly to: string;
}

/** The sortable key of one address: `4:0a000001` for 10.0.0.1, `6:` + 32 hex digits for IPv6. */
export function ipKey(family: IpFamily, value: bigint): string {
  return `${family}:${value.toString(16).padStart(family === 4 ? 8 : 32, '0')}`;
}

/**
 * The range covered by an IP address or CIDR block (`10.0.0.0/8`, `2001:db8::/32`, `1.2.3.4`), or null when
 * the text is neither. Host bits set in a CIDR value (`10.1.2.3/8`) are ignored, as a network stack would.
 */
export function ipRange(value: string): IpRange | null {
  const network = parseNetwork(value.trim());
  if (!network) return null;
  const width = bitWidth(network.family);
  const prefix = network.prefix ?? width;
  const hostMask = (1n << BigInt(width - prefix)) - 1n;
  const address = toBigInt(network);
  const low = address & ~hostMask;
  return { family: network.family, prefix, from: ipKey(network.family, low), to: ipKey(network.family, low | hostMask) };
}

/** True when a CIDR value has bits set beyond its prefix (`10.1.2.3/8`), which usually signals a typo. */
export function hasHostBits(network: ParsedNetwork): boolean {
  if (network.prefix === null) return false;
  const hostMask = (1n << BigInt(bitWidth(network.family) - network.prefix)) - 1n;
  return (toBigInt(network) & hostMask) !== 0n;
}
