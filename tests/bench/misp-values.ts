/**
 * Attribute values MISP would accept as they are (already in the form MISP normalises to: lower-case domains and
 * hashes, public-looking dotted IPv4s), so the importer does the same work it does on a real feed and nothing is
 * rejected or rewritten.
 */
import type { Rng } from './rng';

const TLDS = ['com', 'net', 'org', 'info', 'ru', 'xyz', 'top', 'io', 'cn', 'de', 'online', 'site', 'club', 'biz', 'co', 'me'];
const SUBDOMAINS = ['www', 'mail', 'cdn', 'api', 'login', 'secure', 'update', 'ns1', 'portal', 'files', 'dl', 'auth'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'tor', 'ex', 'sec', 'net', 'ra', 'zu', 'do', 'vi', 'pay', 'box', 'cloud', 'soft', 'ser', 'ver', 'lin', 'go'];
const FILE_WORDS = ['invoice', 'payment', 'scan', 'order', 'update', 'setup', 'report', 'document', 'photo', 'shipping', 'contract', 'loader'];
const EXTENSIONS = ['exe', 'dll', 'doc', 'docm', 'xlsm', 'zip', 'js', 'vbs', 'ps1', 'lnk', 'iso', 'pdf.exe', 'hta', 'bat'];
const URL_PATHS = ['wp-content', 'admin', 'gate.php', 'panel', 'download', 'images', 'css', 'index.php', 'login', 'api', 'uploads', 'bin'];
const PORTS = [80, 443, 8080, 8443, 4444, 1337, 53, 25, 587, 3389, 9001, 2222];
const NOTES = [
  'Observed in phishing campaign',
  'C2 beacon seen in sandbox run',
  'Dropper contacts this host after execution',
  'Reported by partner CERT',
  'Infrastructure reused from earlier campaign',
  'Payload hosted on compromised WordPress site',
];
/** First octets of public unicast space, leaving out private, loopback, CGNAT, link-local and documentation ranges. */
const FIRST_OCTETS = Array.from({ length: 223 }, (_, i) => i + 1).filter((o) => ![10, 100, 127, 169, 172, 192, 198, 203].includes(o));

export function ipv4(rng: Rng): string {
  return `${rng.pick(FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

function label(rng: Rng): string {
  let out = '';
  for (let n = rng.int(2, 4); n > 0; n--) out += rng.pick(SYLLABLES);
  if (rng.chance(0.2)) out += rng.int(1, 99);
  if (rng.chance(0.1)) out += '-' + rng.pick(SYLLABLES);
  return out;
}

export function domain(rng: Rng): string {
  return `${label(rng)}.${rng.pick(TLDS)}`;
}

export function hostname(rng: Rng): string {
  return `${rng.pick(SUBDOMAINS)}.${domain(rng)}`;
}

export function url(rng: Rng): string {
  const host = rng.weighted([[() => domain(rng), 5], [() => hostname(rng), 4], [() => ipv4(rng), 1]] as const)();
  let path = '';
  for (let n = rng.int(1, 3); n > 0; n--) path += '/' + rng.pick(URL_PATHS);
  const query = rng.chance(0.3) ? `?id=${rng.hex(8)}` : '';
  return `${rng.chance(0.7) ? 'https' : 'http'}://${host}${path}${query}`;
}

export function filename(rng: Rng): string {
  return `${rng.pick(FILE_WORDS)}_${rng.int(1000, 9999)}.${rng.pick(EXTENSIONS)}`;
}

export function email(rng: Rng): string {
  return `${label(rng)}${rng.chance(0.4) ? '.' + label(rng) : ''}@${domain(rng)}`;
}

export function port(rng: Rng): number {
  return rng.chance(0.8) ? rng.pick(PORTS) : rng.int(1025, 65535);
}

export function note(rng: Rng): string {
  return rng.pick(NOTES);
}

/** A comment as feeds carry them: mostly empty, sometimes a note or the source it was reported in. */
export function comment(rng: Rng): string {
  const r = rng.float();
  if (r < 0.7) return '';
  if (r < 0.85) return note(rng);
  return `https://x.com/${label(rng)}/status/${rng.int(1_000_000_000, 1_999_999_999)}${rng.int(100_000_000, 999_999_999)}`;
}
