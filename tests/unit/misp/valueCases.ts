// Shared shape of the table-driven validation tests: [type, input, expectation].
import { describe, expect, it } from 'vitest';
import { validateAttributeValue } from '../../../shared/misp';

/**
 * - a string: accepted, stored as exactly that string, with no warnings;
 * - `{ warn }`: accepted with the given stored value and a warning matching `warn`;
 * - `{ reject }`: refused with a reason matching `reject`.
 */
export type Expectation = string | { value: string; warn: RegExp } | { reject: RegExp };

export type ValueCase = readonly [type: string, input: string, expected: Expectation];

export function valueCases(title: string, cases: readonly ValueCase[]): void {
  describe(title, () => {
    it.each(cases)('%s %j', (type, input, expected) => {
      const result = validateAttributeValue(type, input);
      if (typeof expected === 'string') {
        expect(result).toEqual({ ok: true, value: expected, warnings: [] });
      } else if ('reject' in expected) {
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(expected.reject);
      } else {
        expect(result.ok).toBe(true);
        if (result.ok) {
          expect(result.value).toBe(expected.value);
          expect(result.warnings.join(' | ')).toMatch(expected.warn);
        }
      }
    });
  });
}

/** Repeat `unit` until the text is `length` characters long. */
export function filled(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}
