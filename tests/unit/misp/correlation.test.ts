import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTE_TYPES,
  NON_CORRELATING_TYPES,
  attributeIpRange,
  correlationKeys,
  feedLookupKeys,
  isCorrelationDisabled,
} from '../../../shared/misp';

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

describe('correlationKeys', () => {
  it.each([
    ['md5', MD5.toUpperCase(), [MD5]],
    ['ip-dst', ' 8[.]8[.]8[.]8 ', ['8.8.8.8']],
    ['ip-dst', '2001:DB8:0:0:0:0:0:1', ['2001:db8::1']],
    ['ip-src', '10.0.0.0/8', ['10.0.0.0/8']],
    ['ip-src', '10.0.0.1/32', ['10.0.0.1']],
    ['domain', 'Example.COM.', ['example.com']],
    ['hostname', 'WWW.Example.com', ['www.example.com']],
    ['url', 'hxxp://evil[.]com/A', ['http://evil.com/A']],
    ['email-src', 'Bob[at]Example[.]com', ['bob@example.com']],
    ['filename', 'Invoice.PDF', ['Invoice.PDF']],
    ['text', 'some text', ['some text']],
    ['AS', 'AS13335', ['13335']],
    // Composite types correlate on each half, normalised.
    ['filename|md5', `evil.exe|${MD5.toUpperCase()}`, ['evil.exe', MD5]],
    ['filename|sha256', 'a.exe|E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', ['a.exe', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']],
    ['domain|ip', 'Example.com|2001:DB8::1', ['example.com', '2001:db8::1']],
    ['regkey|value', 'HKLM\\Run|evil', ['HKLM\\Run', 'evil']],
    ['malware-sample', `evil.exe|${MD5}`, ['evil.exe', MD5]],
    // ...but the port halves never do.
    ['ip-dst|port', '1.2.3.4:443', ['1.2.3.4']],
    ['ip-src|port', '[2001:DB8::1]:80', ['2001:db8::1']],
    ['hostname|port', 'Example.com:8080', ['example.com']],
    // Duplicate and empty halves are dropped.
    ['regkey|value', 'same|same', ['same']],
    ['regkey|value', 'HKLM\\Run|', ['HKLM\\Run']],
    ['filename|ssdeep', '|3:a:b', ['3:a:b']],
    // A malformed composite value gives its whole value rather than inventing halves.
    ['filename|md5', 'a|b|c', ['a|b|c']],
    ['filename|md5', 'no pipe', ['no pipe']],
    // Invalid values still get their best-effort normalised key.
    ['md5', 'NOT-A-HASH', ['not-a-hash']],
    // Unknown types: trimmed value; a `|` in the type name makes them composite, as in MISP.
    ['x-custom', ' V ', ['V']],
    ['x-a|x-b', 'one|two', ['one', 'two']],
  ] as const)('%s %j', (type, value, expected) => {
    expect(correlationKeys({ type, value })).toEqual(expected);
  });

  it('gives nothing for the non-correlating types', () => {
    for (const type of NON_CORRELATING_TYPES) expect(correlationKeys({ type, value: '80' }), type).toEqual([]);
    expect(correlationKeys({ type: 'comment', value: 'hello' })).toEqual([]);
    expect(correlationKeys({ type: 'port', value: '443' })).toEqual([]);
  });

  it('gives nothing when correlation is disabled, in any spelling MISP JSON uses', () => {
    for (const flag of [true, '1', 'true', 'True', ' 1 ']) {
      expect(correlationKeys({ type: 'md5', value: MD5, disable_correlation: flag }), String(flag)).toEqual([]);
    }
    for (const flag of [false, '0', 'false', '', undefined]) {
      expect(correlationKeys({ type: 'md5', value: MD5, disable_correlation: flag }), String(flag)).toEqual([MD5]);
    }
  });

  it('reads disable_correlation flags', () => {
    expect(isCorrelationDisabled(true)).toBe(true);
    expect(isCorrelationDisabled('0')).toBe(false);
    expect(isCorrelationDisabled(undefined)).toBe(false);
  });

  it('never returns empty or duplicate keys for any type', () => {
    for (const type of ATTRIBUTE_TYPES) {
      for (const value of ['', ' ', '|', 'a|a', 'A|', '|b', 'x']) {
        const keys = correlationKeys({ type, value });
        expect(keys.includes(''), `${type} ${value}`).toBe(false);
        expect(new Set(keys).size, `${type} ${value}`).toBe(keys.length);
      }
    }
  });

  it('survives values that are not strings', () => {
    expect(correlationKeys({ type: 'text', value: 5 as unknown as string })).toEqual([]);
  });
});

describe('feedLookupKeys', () => {
  it('adds the scheme-less form of URLs, as MISP does when it looks values up in feed caches', () => {
    expect(feedLookupKeys({ type: 'url', value: 'https://evil.com/a' })).toEqual(['https://evil.com/a', 'evil.com/a']);
    expect(feedLookupKeys({ type: 'uri', value: 'evil.com/a' })).toEqual(['evil.com/a']);
    expect(feedLookupKeys({ type: 'link', value: 'https://evil.com/a' })).toEqual(['https://evil.com/a']);
    expect(feedLookupKeys({ type: 'url', value: 'https://x', disable_correlation: true })).toEqual([]);
  });
});

describe('attributeIpRange', () => {
  it('covers ip-src, ip-dst and the address of ip|port values', () => {
    expect(attributeIpRange({ type: 'ip-src', value: '10.0.0.0/8' })).toEqual({
      family: 4,
      prefix: 8,
      from: '4:0a000000',
      to: '4:0affffff',
    });
    expect(attributeIpRange({ type: 'ip-dst|port', value: '10.1.2.3:443' })?.from).toBe('4:0a010203');
    expect(attributeIpRange({ type: 'domain|ip', value: 'a.com|10.1.2.3' })).toBeNull();
    expect(attributeIpRange({ type: 'ip-dst', value: 'nonsense' })).toBeNull();
    expect(attributeIpRange({ type: 'ip-dst', value: '10.0.0.1', disable_correlation: '1' })).toBeNull();
  });
});
