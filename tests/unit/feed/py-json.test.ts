import { spawnSync } from 'node:child_process';
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

  it('writes what Python 3 writes for random integer-valued JSON, indented and compact', () => {
    const python = spawnSync('python3', ['--version']);
    if (python.status !== 0) return void console.warn('skipped: no python3 here to compare with');
    // Integers only: Python and JavaScript print floats differently (1e-07 / 1e-7), and feeds carry none.
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, fc.string({ unit: 'binary' }), fc.integer(), fc.boolean(), fc.constant(null), tie('list'), tie('dict')),
      list: fc.array(tie('tree'), { maxLength: 4 }),
      dict: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('tree'), { maxKeys: 4 }),
    }));
    const values = fc.sample(tree, { numRuns: 300, seed: 7 }) as feed.PyJson[];
    const script = 'import json,sys\nfor v in json.load(sys.stdin):\n  print(json.dumps(json.dumps(v, indent=2)))\n  print(json.dumps(json.dumps(v)))';
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(values), encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as string);
    values.forEach((v, i) => {
      expect(pyJsonDumps(v, 2)).toBe(lines[2 * i]);
      expect(pyJsonDumps(v)).toBe(lines[2 * i + 1]);
    });
  });

  it('refuses non-finite numbers rather than writing invalid JSON', () => {
    expect(() => pyJsonDumps(Number.NaN)).toThrow(RangeError);
    expect(() => pyJsonDumps({ a: [1, Number.POSITIVE_INFINITY] }, 2)).toThrow(RangeError);
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
