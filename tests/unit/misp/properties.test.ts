import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_TYPES, correlationKeys, normaliseAttributeValue, validateAttributeValue } from '../../../shared/misp';

// Characters that steer the rules into their interesting branches, mixed with arbitrary code points
// (including lone surrogates and control characters) from the 'binary' unit.
const structural = fc.constantFrom(
  ...'0123456789abcdefABCDEFxXtTsS:.|/[]()@#p -_\n\r\t\f\u0000\u00a0é😀–'.split(''),
  '[.]', '[at]', '(dot)', 'hxxp://', '::', 'AS', 'true', ' port ', 'xn--', '.onion', 'SHA256:', 'MD5:',
);
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: structural, maxLength: 40 }),
);

describe('validateAttributeValue on arbitrary text', () => {
  it.each([...ATTRIBUTE_TYPES, 'not-a-type'])('%s never throws and answers in shape', (type) => {
    fc.assert(
      fc.property(anyText, (value) => {
        const result = validateAttributeValue(type, value);
        if (result.ok) {
          expect(typeof result.value).toBe('string');
          expect(result.warnings.every((w) => typeof w === 'string' && w !== '')).toBe(true);
        } else {
          expect(result.reason).not.toBe('');
        }
        expect(() => correlationKeys({ type, value })).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });
});

describe('normalised values are stable', () => {
  it.each(ATTRIBUTE_TYPES)('%s: an accepted value validates to itself', (type) => {
    fc.assert(
      fc.property(anyText, (value) => {
        const first = validateAttributeValue(type, value);
        if (!first.ok) return;
        const second = validateAttributeValue(type, first.value);
        expect(second.ok && second.value).toBe(first.value);
        expect(normaliseAttributeValue(type, value)).toBe(first.value);
      }),
      { numRuns: 100 },
    );
  });
});
