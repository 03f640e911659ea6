import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as feed from '../../../shared/feed';
import { pyJsonDumps } from '../../../shared/feed/py-json';

// Expected texts were produced by Python 3's json.dumps with default settings (ensure_ascii on).
const value = { a: 'x\u2014y\u00e9\u007f\u0001"\\/\t\n\u{1F600}', b: [], c: {}, d: [1, true, null, { e: 'f' }], ü: 3 };

describe('pyJsonDumps', () => {
  it('matches json.dumps(value)', () => {
    expect(pyJsonDumps(value)).toBe(
      '{"a": "x\\u2014y\\u00e9\\u007f\\u0001\\"\\\\/\\t\\n\\ud83d\\ude00", "b": [], "c": {}, "d": [1, true, null, {"e": "f"}], "\\u00fc": 3}',
    );
  });

  it('matches json.dumps(value, indent=2)', () => {
    expect(pyJsonDumps(value, 2)).toBe(
      '{\n  "a": "x\\u2014y\\u00e9\\u007f\\u0001\\"\\\\/\\t\\n\\ud83d\\ude00",\n  "b": [],\n  "c": {},\n  "d": [\n    1,\n    true,\n    null,\n    {\n      "e": "f"\n    }\n  ],\n  "\\u00fc": 3\n}',
    );
  });

  it('always produces ASCII JSON that parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ noUnicodeString: false }), fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), (v, indent) => {
        const text = pyJsonDumps(v as feed.PyJson, indent);
        expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('refuses non-finite numbers rather than writing invalid JSON', () => {
    expect(() => pyJsonDumps(Number.NaN)).toThrow(RangeError);
  });
});

describe('shared/feed public API', () => {
  it('re-exports the readers, writers and checks', () => {
    for (const name of [
      'readEvent', 'writeFeedEvent', 'prepareFeedEvent', 'parseManifest', 'manifestText', 'checkFeedListing',
      'compareWithManifest', 'createHashesReader', 'parseHashesLine', 'parseHashesCsv', 'formatHashes',
      'checkHashesCoverage', 'eventHashes', 'hasErrors', 'issue', 'pyJsonDumps',
    ] as const) {
      expect(typeof feed[name], name).toBe('function');
    }
  });
});
