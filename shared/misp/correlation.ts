/**
 * Correlation keys: the exact strings by which MISP links attributes across events. Import (to find related
 * events), local correlation and the hashes.csv export all use correlationKeys, so the three can never
 * disagree about what "the same indicator" means.
 *
 * MISP's rules (MispAttribute / Correlation.php in 2.5.1):
 * - the twelve NON_CORRELATING_TYPES and attributes with disable_correlation never correlate;
 * - single-value types correlate on their stored (normalised) value;
 * - composite types correlate on each half, except ip-src|port, ip-dst|port and hostname|port, whose port
 *   half would tie together everything on port 443, so only the first half counts;
 * - empty halves are skipped.
 */

import { ipRange, type IpRange } from './ipAddress';
import { isCompositeType, typeInfo } from './types';
import { normaliseAttributeValue } from './validate';

export { ipKey, ipRange, type IpFamily, type IpRange } from './ipAddress';

/** The fields correlation looks at; `disable_correlation` as it appears in MISP JSON (bool or "0"/"1"). */
export interface CorrelationInput {
  readonly type: string;
  readonly value: string;
  readonly disable_correlation?: boolean | string;
  /** The value is already as MISP stores it (read through the feed reader): skip normalising it again. */
  readonly normalised?: boolean;
}

/**
 * True when a disable_correlation field switches correlation off. MISP JSON carries it as a boolean or as
 * "0"/"1"; we also read "true"/"false" in any case, and treat anything else non-empty as set, as PHP would.
 */
export function isCorrelationDisabled(flag: boolean | string | undefined): boolean {
  if (typeof flag === 'boolean') return flag;
  if (typeof flag !== 'string') return false;
  const text = flag.trim().toLowerCase();
  return text !== '' && text !== '0' && text !== 'false';
}

/**
 * The normalised values by which `attr` correlates, without duplicates, in value order (first half first).
 *
 * The value is normalised as MISP would store it but not validated: a value MISP would reject still yields
 * its best-effort key, so callers decide separately whether to keep such attributes. A composite value
 * without exactly one `|` (which MISP would never store) yields the whole value as its only key.
 * Unknown types containing `|` are treated as composite, as MISP's own type-name test would.
 */
export function correlationKeys(attr: CorrelationInput): string[] {
  if (isCorrelationDisabled(attr.disable_correlation)) return [];
  const info = typeInfo(attr.type);
  if (info?.correlation === 'never') return [];
  if (typeof attr.value !== 'string') return [];

  const value = attr.normalised === true ? attr.value : normaliseAttributeValue(attr.type, attr.value);
  const composite = isCompositeType(attr.type) || (!info && attr.type.includes('|'));
  const parts = value.split('|');
  let keys: string[];
  if (!composite || parts.length !== 2) keys = [value];
  else if (info?.correlation === 'first-half') keys = [parts[0] ?? ''];
  else keys = parts;
  return [...new Set(keys.filter((key) => key !== ''))];
}

/**
 * Keys for looking an attribute up in a MISP feed cache (Feed::attachFeedCorrelations): the correlation
 * keys, plus, for `url` and `uri`, the value without its `scheme://`, because many feeds list URLs without
 * one. Only for lookups: never write these extra keys to hashes.csv.
 */
export function feedLookupKeys(attr: CorrelationInput): string[] {
  const keys = correlationKeys(attr);
  if ((attr.type === 'url' || attr.type === 'uri') && keys.length === 1) {
    const key = keys[0] ?? '';
    const schemeEnd = key.indexOf('://');
    if (schemeEnd >= 0 && schemeEnd + 3 < key.length) keys.push(key.slice(schemeEnd + 3));
  }
  return keys;
}

/**
 * The address range for advanced (CIDR) correlation, which MISP applies to ip-src, ip-dst and the address
 * half of ip-src|port / ip-dst|port: a block correlates with the addresses inside it and an address with the
 * blocks that contain it. Null for other types, for disabled correlation and for values that are no address.
 */
export function attributeIpRange(attr: CorrelationInput): IpRange | null {
  if (isCorrelationDisabled(attr.disable_correlation)) return null;
  if (!['ip-src', 'ip-dst', 'ip-src|port', 'ip-dst|port'].includes(attr.type)) return null;
  const [address] = correlationKeys(attr);
  return address === undefined ? null : ipRange(address);
}
