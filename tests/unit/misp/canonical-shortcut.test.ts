import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL_FORMS, validateAttributeValue, validateFully } from '../../../shared/misp/validate';

const octet = fc.integer({ min: 0, max: 255 }).map(String);
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const hexOf = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

describe('the canonical-form shortcut agrees with the full validation pipeline', () => {
  it.each([...CANONICAL_FORMS.keys()])('%s', (type) => {
    const lengths: Record<string, number> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128 };
    const values = type.startsWith('ip-') ? ipv4 : hexOf(lengths[type]!);
    fc.assert(
      fc.property(values, (value) => {
        expect(CANONICAL_FORMS.get(type)!.test(value)).toBe(true);
        expect(validateAttributeValue(type, value)).toEqual(validateFully(type, value));
      }),
      { numRuns: 300 },
    );
  });

  it('values outside the canonical form still go through the pipeline', () => {
    for (const [type, value] of [['md5', 'D41D8CD98F00B204E9800998ECF8427E'], ['ip-dst', '010.0.0.1'], ['ip-src', ' 192.0.2.1']] as const) {
      expect(CANONICAL_FORMS.get(type)!.test(value)).toBe(false);
      expect(validateAttributeValue(type, value)).toEqual(validateFully(type, value));
    }
  });
});
