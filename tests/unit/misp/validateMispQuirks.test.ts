// Where MISP 2.5.1's own rule is buggy, missing or unknown we accept with a warning instead of rejecting
// (see the "unsure" notes in misp-types.md); where MISP's rewrite is merely surprising we copy it faithfully.
import { describe, expect, it } from 'vitest';
import { validateAttributeValue } from '../../../shared/misp';
import { filled, valueCases } from './valueCases';

const V3_ONION = `${filled('abcdefghijklmnopqrstuvwxyz234567', 56)}.onion`;

valueCases('MISP bugs: warn, do not block', [
  ['filename|impfuzzy', 'a.exe|192:abc:def', { value: 'a.exe|192:abc:def', warn: /no validation rule for filename\|impfuzzy/ }],
  ['filename|impfuzzy', 'a.exe|nonsense', { value: 'a.exe|nonsense', warn: /imports:hash:hash/ }],
  ['filename|impfuzzy', 'a.exe', { reject: /exactly one "\|"/ }],
  ['integer', '42', { value: '42', warn: /is_int/ }],
  ['integer', '-7', { value: '-7', warn: /is_int/ }],
  ['integer', '4.2', { reject: /whole number/ }],
  ['integer', 'forty-two', { reject: /whole number/ }],
  ['onion-address', V3_ONION, { value: V3_ONION, warn: /v3 \(56-character\)/ }],
  ['onion-address', V3_ONION.toUpperCase(), { value: V3_ONION, warn: /v3/ }],
]);

// MISP's rewrite is not always idempotent; the stored value is the one that survives further MISP saves.
valueCases('rewrites settle on the value every MISP keeps', [
  ['phone-number', 'tel 0049 30 1234', '+49301234'],
  ['url', 'http://evil[[.]]com/', 'http://evil.com/'],
  ['phone-number', '(00)', { reject: /refuse it when it arrives again/ }],
  // MISP rejects this on the first save (" 13335" is not a number), so settling must not rescue it.
  ['AS', 'AS 13335', { reject: /0 to 4294967295/ }],
]);

valueCases('types newer than MISP 2.5.1: accepted with a warning', [
  ['uuid', '5A3C2FCD-8328-42BB-A95E-4F4402DE0B81', { value: '5A3C2FCD-8328-42BB-A95E-4F4402DE0B81', warn: /newer than MISP 2\.5\.1/ }],
  ['uuid', 'not-a-uuid', { value: 'not-a-uuid', warn: /does not look like a UUID/ }],
  ['suricata', 'alert tcp any any -> any any (msg:"x"; sid:1;)', { value: 'alert tcp any any -> any any (msg:"x"; sid:1;)', warn: /newer than MISP/ }],
  ['edge-extension-id', 'abcdefghijklmnopabcdefghijklmnop', { value: 'abcdefghijklmnopabcdefghijklmnop', warn: /newer than MISP/ }],
  ['edge-extension-id', 'two\nlines', { value: 'two\nlines', warn: /several lines/ }],
  ['uuid', '   ', { reject: /empty/ }],
]);

valueCases('unknown types: trimmed, accepted, flagged', [
  ['not-a-type', '  anything  ', { value: 'anything', warn: /not a MISP attribute type/ }],
  ['MD5', 'D41D8CD98F00B204E9800998ECF8427E', { value: 'D41D8CD98F00B204E9800998ECF8427E', warn: /not a MISP attribute type/ }],
  ['', 'x', { value: 'x', warn: /not a MISP attribute type/ }],
]);

describe('rejections and warnings are reported, not thrown', () => {
  it('keeps warnings unique and in the order they arose', () => {
    const result = validateAttributeValue('uuid', 'x');
    expect(result.ok && result.warnings).toEqual([
      '"uuid" is newer than MISP 2.5.1, which refuses it as an unknown type',
      'the value does not look like a UUID (8-4-4-4-12 hexadecimal digits)',
    ]);
  });

  it('refuses non-string values without throwing', () => {
    expect(validateAttributeValue('text', 42 as unknown as string)).toEqual({ ok: false, reason: 'the value must be text' });
    expect(validateAttributeValue('md5', undefined as unknown as string).ok).toBe(false);
  });
});
