import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuid, newUuidV4, normaliseUuid } from '../../../shared/model';

describe('uuid', () => {
  it('accepts MISP-style uuids of any version and rejects look-alikes', () => {
    expect(isUuid('5a3c2fcd-8328-42bb-a95e-4f4402de0b81')).toBe(true);
    expect(isUuid('706d4cfd-5571-56b1-9eda-9c3c779f6842')).toBe(true); // v5, as TweetFeed uses
    expect(isUuid('5A3C2FCD-8328-42BB-A95E-4F4402DE0B81')).toBe(true);
    expect(isUuid('5a3c2fcd832842bba95e4f4402de0b81')).toBe(false);
    expect(isUuid('5a3c2fcd-8328-42bb-a95e-4f4402de0b8')).toBe(false);
    expect(isUuid(' 5a3c2fcd-8328-42bb-a95e-4f4402de0b81')).toBe(false);
    expect(isUuid(42)).toBe(false);
  });

  it('normalises to trimmed lower case', () => {
    expect(normaliseUuid(' 5A3C2FCD-8328-42BB-A95E-4F4402DE0B81\n')).toBe('5a3c2fcd-8328-42bb-a95e-4f4402de0b81');
    expect(normaliseUuid('nope')).toBeUndefined();
    expect(normaliseUuid(null)).toBeUndefined();
  });

  it('builds version 4 uuids from any random source', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const u = newUuidV4(() => bytes);
        expect(isUuid(u)).toBe(true);
        expect(u).toBe(u.toLowerCase());
        expect(u[14]).toBe('4');
        expect('89ab').toContain(u[19]);
      }),
    );
    const a = newUuidV4((n) => randomBytes(n));
    const b = newUuidV4((n) => randomBytes(n));
    expect(a).not.toBe(b);
  });

  it('survives a short random source', () => {
    expect(isUuid(newUuidV4(() => new Uint8Array(3)))).toBe(true);
  });
});
