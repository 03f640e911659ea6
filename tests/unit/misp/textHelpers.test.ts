import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { domainToAscii, isMispDomain } from '../../../shared/misp/domainName';
import {
  asciiLower,
  isPhpNumeric,
  phpTrim,
  replaceAstralCharacters,
  utf8ByteLength,
} from '../../../shared/misp/phpText';
import { encodePunycode } from '../../../shared/misp/punycode';
import { refang } from '../../../shared/misp/refang';

describe('Punycode', () => {
  it.each([
    ['bücher', 'bcher-kva'],
    ['münchen', 'mnchen-3ya'],
    ['例え', 'r8jz45g'],
    ['☃', 'n3h'],
    ['abc', 'abc-'],
  ])('%s -> %s', (label, encoded) => {
    expect(encodePunycode(label)).toBe(encoded);
  });

  it('matches Node for lower-case internationalised names', () => {
    const letters = fc.constantFrom(...'abcxyz019-äöüéñçøåßαβγдежこんにちは中文'.split(''));
    const label = fc.string({ unit: letters, minLength: 1, maxLength: 12 }).filter((l) => !/^-|-$|^..--|ß/.test(l));
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), (labels) => {
        const name = [...labels, 'com'].join('.');
        const expected = domainToASCII(name);
        fc.pre(expected !== '');
        expect(domainToAscii(name)).toBe(expected);
      }),
    );
  });

  it('refuses what ICU refuses', () => {
    expect(domainToAscii('a..bü.de')).toBeNull();
    expect(domainToAscii('-bü.de')).toBeNull();
    expect(domainToAscii(`${'ü'.repeat(60)}.de`)).toBeNull();
    // Transitional processing, as idn_to_ascii's defaults select.
    expect(domainToAscii('straße.de')).toBe('strasse.de');
  });

  it('checks the MISP domain shape', () => {
    expect(isMispDomain('a.bc')).toBe(true);
    expect(isMispDomain('a.b')).toBe(false);
    expect(isMispDomain('a.b_c')).toBe(false);
  });
});

describe('PHP-like string helpers', () => {
  it('trims like PHP', () => {
    expect(phpTrim(' \t\n\r\0\x0Bx\x0B\0\r\n\t ')).toBe('x');
    expect(phpTrim('\fx\u00a0')).toBe('\fx\u00a0');
  });

  it('changes case of ASCII letters only', () => {
    expect(asciiLower('ÄBC İ')).toBe('Äbc İ');
  });

  it('knows PHP numeric strings', () => {
    for (const yes of ['1', '-1', '+1.5', '.5', '5.', '1e3', ' 1', '1 ', '1E-3']) expect(isPhpNumeric(yes), yes).toBe(true);
    for (const no of ['', '.', '-', '1e', '0x1', '1_000', 'INF', '1,5', 'e3']) expect(isPhpNumeric(no), no).toBe(false);
  });

  it('counts UTF-8 bytes as Node does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
      }),
    );
  });

  it('replaces characters MISP cannot store', () => {
    expect(replaceAstralCharacters('a😀b𝄞')).toEqual({ value: 'a?b?', replaced: 2, unpairedSurrogates: 0 });
    expect(replaceAstralCharacters('x\udc00')).toEqual({ value: 'x?', replaced: 0, unpairedSurrogates: 1 });
  });
});

describe('refang', () => {
  it('applies only to the types MISP refangs', () => {
    expect(refang('url', 'hxxps://a[.]b[:]8080/')).toBe('https://a.b:8080/');
    expect(refang('email', 'a[at]b(dot)c')).toBe('a@b.c');
    expect(refang('ip-dst', '1[.]2[.]3[.]4')).toBe('1.2.3.4');
    expect(refang('uri', 'hxxp://a[.]b')).toBe('hxxp://a[.]b');
    expect(refang('target-email', 'a[at]b[.]c')).toBe('a[at]b[.]c');
    expect(refang('ip-dst|port', '1[.]2[.]3[.]4|80')).toBe('1[.]2[.]3[.]4|80');
    // Only a leading scheme is refanged.
    expect(refang('url', 'see hxxp://x')).toBe('see hxxp://x');
  });
});
