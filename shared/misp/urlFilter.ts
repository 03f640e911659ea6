/**
 * An approximation of PHP's FILTER_VALIDATE_URL, which MISP uses for the `link` type (and for feed URLs).
 * PHP's filter is stricter than a browser: it refuses any character outside a fixed ASCII set (so spaces and
 * raw non-ASCII characters fail), requires a scheme, requires a host except for mailto:, news: and file:, and
 * checks http(s) host names label by label.
 */

import { parseIpv6 } from './ipAddress';

// Characters PHP's URL sanitiser keeps; if sanitising would remove anything, validation fails.
const URL_CHARACTERS = /^[A-Za-z0-9$\-_.+!*'(),{}|\\^~[\]`<>#%";/?:@&=]*$/;

/** RFC 3986 user info: unreserved, sub-delims, `:` and percent escapes (PHP checks this since 7.3). */
const USER_INFO = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$/;

/** Schemes PHP lets through without a host. */
const HOSTLESS_SCHEMES = new Set(['mailto', 'news', 'file']);

/** True when PHP's `filter_var($value, FILTER_VALIDATE_URL)` would (approximately) accept `value`. */
export function isPhpValidUrl(value: string): boolean {
  if (value === '' || !URL_CHARACTERS.test(value)) return false;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value);
  if (!schemeMatch) return false;
  const scheme = (schemeMatch[1] ?? '').toLowerCase();
  const rest = value.slice(schemeMatch[0].length);

  if (!rest.startsWith('//')) return HOSTLESS_SCHEMES.has(scheme);
  const authorityEnd = rest.slice(2).search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest.slice(2) : rest.slice(2, 2 + authorityEnd);
  const at = authority.lastIndexOf('@');
  const userInfo = at < 0 ? null : authority.slice(0, at);
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  if (userInfo !== null && !USER_INFO.test(userInfo)) return false;

  const parsed = splitHostPort(hostPort);
  if (parsed === null) return false;
  if (parsed.host === '') return HOSTLESS_SCHEMES.has(scheme);
  if (scheme === 'http' || scheme === 'https') return isUrlHost(parsed.host);
  return true;
}

function splitHostPort(hostPort: string): { host: string } | null {
  let host = hostPort;
  let port = '';
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return null;
    host = hostPort.slice(0, close + 1);
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return null;
    port = after.slice(1);
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon >= 0) {
      host = hostPort.slice(0, colon);
      port = hostPort.slice(colon + 1);
    }
  }
  // parse_url() gives up on ports that are not numbers or exceed 65535.
  if (port !== '' && (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535)) return null;
  return { host };
}

/** PHP's hostname rule for http(s) URLs: a bracketed IPv6, or dot-separated labels of letters, digits, hyphens. */
function isUrlHost(host: string): boolean {
  if (host.startsWith('[')) return host.endsWith(']') && parseIpv6(host.slice(1, -1)) !== null;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name === '' || name.length > 253) return false;
  return name
    .split('.')
    .every((label) => label.length > 0 && label.length <= 63 && /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(label));
}
