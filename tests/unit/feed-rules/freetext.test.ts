import { describe, expect, it } from 'vitest';
import {
  compileMispRegex,
  createTypeDetector,
  detectType,
  isEmailAddress,
  isIPv4,
  isIPv6,
  parseFreetext,
  refang,
  suggestAttribute,
} from '../../../shared/feed/freetext';
import { BUILTIN_TLDS, isKnownTld } from '../../../shared/feed/freetext-tlds';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA224 = 'd14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SHA384 = '38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b';
const SHA512 =
  'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e';
const SSDEEP = '96:s4Ud1Lj96tHHlZDrwciQmA+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx:sF1LjEtHHlZDrq8A+4uy1I0G4HYuL8N3TzS8QsO/wqWXLcMSx';

describe('type detection, one rule at a time', () => {
  // [input, type, value, alternatives?, comment?]
  const cases: [string, string, string, string[]?, string?][] = [
    ['198.51.100.7', 'ip-dst', '198.51.100.7', ['ip-src']],
    ['2001:db8::1', 'ip-dst', '2001:db8::1', ['ip-src']],
    ['::ffff:192.0.2.1', 'ip-dst', '::ffff:192.0.2.1'],
    ['198.51.100.7:8080', 'ip-dst|port', '198.51.100.7|8080', ['ip-src|port'], 'On port 8080'],
    ['[2001:db8::1]:443', 'ip-dst|port', '2001:db8::1|443', ['ip-src|port'], 'On port 443'],
    ['192.0.2.0/24', 'ip-dst', '192.0.2.0/24'],
    ['2001:db8::/32', 'ip-dst', '2001:db8::/32'],
    ['198[.]51[.]100[.]7', 'ip-dst', '198.51.100.7'],
    ['evil.com', 'domain', 'evil.com', ['filename']],
    ['www.evil.co.uk', 'hostname', 'www.evil.co.uk', ['domain', 'url', 'filename']],
    ['evil.com:8443', 'domain', 'evil.com', ['filename'], 'On port 8443'],
    ['evil[.]xyz', 'domain', 'evil.xyz'],
    ['login.microsoftonline.com.evil.top', 'hostname', 'login.microsoftonline.com.evil.top'],
    ['xn--80ak6aa92e.com', 'domain', 'xn--80ak6aa92e.com'],
    ['münchen.de', 'domain', 'münchen.de'],
    ['http://evil.com/a', 'url', 'http://evil.com/a', []],
    ['hxxp://evil[.]com/a', 'url', 'http://evil.com/a'],
    ['hXXps://evil(dot)com/a?b=c', 'url', 'https://evil.com/a?b=c'],
    ['meow://evil.com/x', 'url', 'http://evil.com/x'],
    ['[hxxp://]evil.com/x', 'url', 'http://evil.com/x'],
    ['http://198.51.100.7:8080/gate.php', 'url', 'http://198.51.100.7:8080/gate.php'],
    ['evil.com/path/x.php', 'url', 'evil.com/path/x.php'],
    ['https://www.virustotal.com/gui/file/abc', 'link', 'https://www.virustotal.com/gui/file/abc'],
    ['https://hybrid-analysis.com/sample/abc', 'link', 'https://hybrid-analysis.com/sample/abc'],
    ['http://www.virustotal.com/gui', 'url', 'http://www.virustotal.com/gui'],
    ['user@evil.com', 'email-src', 'user@evil.com', ['email', 'email-dst', 'target-email', 'whois-registrant-email']],
    ['user[at]evil[.]com', 'email-src', 'user@evil.com'],
    ['first.last+tag@mail.evil.org', 'email-src', 'first.last+tag@mail.evil.org'],
    [MD5, 'md5', MD5, ['imphash', 'x509-fingerprint-md5', 'ja3-fingerprint-md5']],
    [MD5.toUpperCase(), 'md5', MD5.toUpperCase()],
    [SHA1, 'sha1', SHA1, ['pehash', 'x509-fingerprint-sha1', 'cdhash']],
    [SHA224, 'sha224', SHA224, ['sha512/224']],
    [SHA256, 'sha256', SHA256, ['authentihash', 'sha512/256', 'x509-fingerprint-sha256']],
    [SHA384, 'sha384', SHA384, []],
    [SHA512, 'sha512', SHA512, []],
    [SSDEEP, 'ssdeep', SSDEEP, []],
    [`invoice.pdf.exe|${MD5}`, 'filename|md5', `invoice.pdf.exe|${MD5}`, ['filename|imphash']],
    [`setup.msi|${SHA256}`, 'filename|sha256', `setup.msi|${SHA256}`, ['filename|authentihash', 'filename|sha512/256']],
    [`dropper.dll|${SSDEEP}`, 'filename|ssdeep', `dropper.dll|${SSDEEP}`],
    ['invoice.pdf', 'filename', 'invoice.pdf', []],
    ['config.js', 'filename', 'config.js'],
    ['C:\\Windows\\Temp\\evil.exe', 'filename', 'C:\\Windows\\Temp\\evil.exe'],
    ['HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'regkey', 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'],
    ['CVE-2021-44228', 'vulnerability', 'CVE-2021-44228'],
    ['cve-2014-0160', 'vulnerability', 'CVE-2014-0160'],
    ['+33123456789', 'phone-number', '+33123456789', ['prtn', 'whois-registrant-phone']],
    ['555-123-4567', 'phone-number', '555-123-4567'],
    ['AS13335', 'AS', 'AS13335'],
    ['as64512', 'AS', 'AS64512'],
    ['1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT'],
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'btc', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
    ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'btc', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
  ];
  it.each(cases)('%s → %s', (input, type, value, alternatives, comment) => {
    const found = detectType(input);
    expect(found).not.toBeNull();
    expect(found?.type).toBe(type);
    expect(found?.value).toBe(value);
    if (alternatives !== undefined) expect(found?.alternatives).toEqual(alternatives);
    expect(found?.comment).toBe(comment);
  });

  const nothing = [
    '01.2.3.4', // PHP refuses leading zeros
    '256.1.1.1',
    '10.0.0.0/33', // MISP proposes it and drops it on save; refused here
    '198.51.100.7:99999',
    '12:34:56', // a clock time, not ssdeep
    '2026-08-22', // a date, not a phone number
    'version1.2', // numeric "extension"
    'Community-reported',
    'hello',
    'a.123', // a numeric extension is not a file name
    '1BoatSLRHtKNngkdXEeobR76b53LETtpyT-and-more', // MISP's unanchored pattern would call this btc
    '',
  ];
  it.each(nothing)('%j is not an indicator', (input) => {
    expect(detectType(input)).toBeNull();
  });

  it('adds btc as an alternative when a hash could also be a legacy address', () => {
    const both = '1a2b3c4d5e6f7a8b9c1d2e3f4a5b6c7d';
    expect(detectType(both)?.alternatives).toContain('btc');
  });

  it('uses a caller-provided TLD list instead of the built-in one', () => {
    const strict = createTypeDetector({ tlds: ['com'] });
    expect(strict('evil.xyz')?.type).toBe('filename'); // what MISP's fallback list does with new gTLDs
    expect(strict('evil.com')?.type).toBe('domain');
    const vendor = createTypeDetector({ securityVendorDomains: ['urlscan.io'] });
    expect(vendor('https://urlscan.io/result/1/')?.type).toBe('link');
    expect(vendor('https://www.virustotal.com/x')?.type).toBe('url');
  });

  it('gives each suggestion the MISP default category and IDS flag of its type', () => {
    const found = detectType('CVE-2021-44228');
    expect(found).not.toBeNull();
    if (found === null) return;
    expect(suggestAttribute(found, 'cve')).toMatchObject({ type: 'vulnerability', category: 'External analysis', to_ids: false });
    const ip = detectType('198.51.100.7');
    if (ip === null) throw new Error('ip not detected');
    expect(suggestAttribute(ip, 'x', { line: 3 })).toEqual({
      type: 'ip-dst',
      value: '198.51.100.7',
      category: 'Network activity',
      to_ids: true,
      alternativeTypes: ['ip-src'],
      original: 'x',
      line: 3,
    });
    expect(suggestAttribute(ip, 'x', {}, true).to_ids).toBe(false);
  });
});

describe('refanging', () => {
  const cases: [string, string][] = [
    ['hxxp://evil.com', 'http://evil.com'],
    ['hxxps://evil.com', 'https://evil.com'],
    ['HXXPS://evil.com', 'https://evil.com'],
    ['hxtp://a.b', 'http://a.b'],
    ['htxp://a.b', 'http://a.b'],
    ['h[tt]p://a.b', 'http://a.b'],
    ['evil[.]com', 'evil.com'],
    ['evil[dot]com', 'evil.com'],
    ['evil(dot)com', 'evil.com'],
    ['evil[DOT]com', 'evil.com'],
    ['evil(.)com', 'evil.com'],
    ['evil{.}com', 'evil.com'],
    ['user[at]evil.com', 'user@evil.com'],
    ['user[@]evil.com', 'user@evil.com'],
    ['user(at)evil.com', 'user@evil.com'],
    ['http[:]//evil.com', 'http://evil.com'],
    ['http[://]evil.com', 'http://evil.com'],
    ['[hxxp://]evil.com', 'http://evil.com'],
    ['evil[-]site.com', 'evil-site.com'],
    ['evil.com...', 'evil.com'],
    ['plain.example', 'plain.example'],
  ];
  it.each(cases)('%s → %s', (input, expected) => {
    expect(refang(input)).toBe(expected);
  });
});

describe('value shapes', () => {
  it('IPv4 as PHP validates it', () => {
    for (const ok of ['0.0.0.0', '255.255.255.255', '1.2.3.4']) expect(isIPv4(ok)).toBe(true);
    for (const bad of ['1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.256', ' 1.2.3.4', '1.2.3.4 ']) expect(isIPv4(bad)).toBe(false);
  });
  it('IPv6 in every notation', () => {
    for (const ok of ['::', '::1', '1::', 'fe80::1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::ffff:1.2.3.4', '1:2:3:4:5:6:1.2.3.4']) {
      expect(isIPv6(ok)).toBe(true);
    }
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', ':1:2', '12345::1', 'fe80::1%eth0', '[::1]', '1:2:3:4:5:6:7:1.2.3.4', 'g::1']) {
      expect(isIPv6(bad)).toBe(false);
    }
  });
  it('e-mail addresses', () => {
    for (const ok of ['a@b.co', 'a.b-c+d@e-f.gh', "o'brien@x.ie"]) expect(isEmailAddress(ok)).toBe(true);
    for (const bad of ['a@b', '@b.com', 'a@.com', 'a..b@c.com', 'a@b.1c', 'a@-b.com']) expect(isEmailAddress(bad)).toBe(false);
  });
  it('TLDs: delegated country codes, curated generics, punycode; file extensions stay out', () => {
    for (const tld of ['com', 'de', 'uk', 'xyz', 'top', 'onion', 'ZIP', 'xn--p1ai']) expect(isKnownTld(tld)).toBe(true);
    for (const ext of ['js', 'rb', 'exe', 'txt', 'dll', 'zz']) expect(isKnownTld(ext)).toBe(false);
    expect(BUILTIN_TLDS.size).toBeGreaterThan(700);
  });
});

describe('parsing text', () => {
  it('splits like MISP, skips comments, de-duplicates and numbers what it cannot use', () => {
    const text = [
      '# Source: https://feeds.example/list.txt',
      '198.51.100.7',
      '',
      'see 198.51.100.7, evil[.]com; and "quoted.example.org" <b>bold.example.net</b>',
      'nothing useful here',
      '   # indented comment',
    ].join('\n');
    const result = parseFreetext(text, { source: 'list.txt' });
    expect(result.value.attributes.map((a) => [a.type, a.value, a.line])).toEqual([
      ['ip-dst', '198.51.100.7', 2],
      ['domain', 'evil.com', 4],
      ['hostname', 'quoted.example.org', 4],
      ['hostname', 'bold.example.net', 4],
    ]);
    expect(result.value.stats).toMatchObject({ lines: 6, blankLines: 1, commentLines: 2, duplicates: 2, unrecognised: 1 });
    expect(result.issues).toEqual([
      { severity: 'warning', code: 'freetext.unrecognised', path: 'list.txt:5', message: 'nothing recognised in "nothing useful here"' },
    ]);
  });

  it('without comment prefixes behaves like MISP and picks the URL out of a header', () => {
    const result = parseFreetext('# Source: https://feeds.example/list.txt\n198.51.100.7\n', { commentPrefixes: [] });
    expect(result.value.attributes.map((a) => a.value)).toEqual(['https://feeds.example/list.txt', '198.51.100.7']);
  });

  it('trims the characters MISP trims around tokens', () => {
    const result = parseFreetext(`('evil.com'), "198.51.100.7".`);
    expect(result.value.attributes.map((a) => a.value)).toEqual(['evil.com', '198.51.100.7']);
  });

  it('turns invisible characters and no-break spaces into separators', () => {
    const result = parseFreetext('evil.com\u00a0198.51.100.7\u200bbad.org');
    expect(result.value.attributes.map((a) => a.value)).toEqual(['evil.com', '198.51.100.7', 'bad.org']);
  });

  it('applies the exclude regex to values', () => {
    const exclude = compileMispRegex('/^198\\.51\\./').value;
    const result = parseFreetext('198.51.100.7\n203.0.113.9\n', { excludeRegex: exclude });
    expect(result.value.attributes.map((a) => a.value)).toEqual(['203.0.113.9']);
    expect(result.value.stats.excluded).toBe(1);
    expect(result.issues).toEqual([]);
  });

  it('keeps duplicates when asked, and can clear every IDS flag', () => {
    const result = parseFreetext('evil.com evil.com', { dedupe: false, overrideIds: true });
    expect(result.value.attributes).toHaveLength(2);
    expect(result.value.attributes.every((a) => !a.to_ids)).toBe(true);
  });

  it('reads one value per line when asked, so commas inside URLs survive', () => {
    const line = 'http://evil.example/wp-content/MORSCO,_Inc/download.html';
    expect(parseFreetext(line).value.attributes.map((a) => a.type)).toEqual(['url', 'filename']);
    expect(parseFreetext(line, { oneValuePerLine: true }).value.attributes.map((a) => [a.type, a.value])).toEqual([['url', line]]);
  });

  it('handles \\r\\n, \\r and a missing final newline', () => {
    const result = parseFreetext('a.com\r\nb.com\rc.com');
    expect(result.value.attributes.map((a) => [a.value, a.line])).toEqual([
      ['a.com', 1],
      ['b.com', 2],
      ['c.com', 3],
    ]);
  });

  it('caps the number of issues and says how many were left out', () => {
    const text = Array.from({ length: 30 }, (_, i) => `word${i}`).join('\n');
    const result = parseFreetext(text, { maxIssues: 5 });
    expect(result.issues).toHaveLength(6);
    expect(result.issues[5]).toMatchObject({ severity: 'info', code: 'freetext.issues-truncated', message: '25 more issues not listed' });
  });

  it('reads JSON leaf by leaf, addressing findings by pointer', () => {
    const text = JSON.stringify({ iocs: [{ ip: '198.51.100.7', note: 'C2 at evil.com' }], count: 3, ok: true });
    const result = parseFreetext(text);
    // As in MISP, the whole string is a candidate too, which is how `C:\Program Files\x.exe` survives; the price
    // is that a sentence ending in a domain also reads as a file name.
    expect(result.value.attributes.map((a) => [a.type, a.value, a.pointer])).toEqual([
      ['ip-dst', '198.51.100.7', '/iocs/0/ip'],
      ['filename', 'C2 at evil.com', '/iocs/0/note'],
      ['domain', 'evil.com', '/iocs/0/note'],
    ]);
    expect(result.issues).toEqual([]);
    // Text that only looks like JSON falls back to lines.
    expect(parseFreetext('{not json} evil.com').value.attributes.map((a) => a.line)).toEqual([1]);
  });
});

describe('MISP delimited regular expressions', () => {
  // [pattern, flags, matching text, non-matching text]
  const ok: [string, string, string, string][] = [
    ['/^#.*/i', 'i', '# comment', 'x # y'],
    ['/^http:\\/\\/www.phishtank.com/i', 'i', 'HTTP://www.phishtank.com/x', 'https://www.phishtank.com'],
    ['/^#.*|Threatview.*/i', 'i', 'Visit threatview.io', 'evil.com'],
    ['#^a/b#', '', 'a/bc', 'xa/b'],
    ['{^x}ms', 'ms', 'y\nx', 'y'],
    ['/\\Afoo\\z/', '', 'foo', 'foo\n'],
    ['/bar/A', '', 'barn', 'crowbar'],
    ['~a\\~b~D', '', 'a~b', 'ab'],
  ];
  it.each(ok)('%s', (pattern, flags, yes, no) => {
    const parsed = compileMispRegex(pattern);
    expect(parsed.issues).toEqual([]);
    expect(parsed.value?.flags).toBe(flags);
    expect(parsed.value?.test(yes)).toBe(true);
    expect(parsed.value?.test(no)).toBe(false);
  });

  const bad = ['^#', '/unclosed', '/a/x', '/a/U', '/(?<n>a)(?<n>b)/', '/[a/'];
  it.each(bad)('%s is refused with an issue', (pattern) => {
    const parsed = compileMispRegex(pattern, 'settings/common/excluderegex');
    expect(parsed.value).toBeNull();
    expect(parsed.issues.map((i) => [i.code, i.path])).toEqual([['regex.invalid', 'settings/common/excluderegex']]);
  });

  it('treats an empty pattern as no regex', () => {
    expect(compileMispRegex('')).toEqual({ value: null, issues: [] });
  });
});
