// Honest input: a .zip that is not a zip, and a value list that is not text, are refused before anything is stored.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quietContext } from '../../electron/backend/dispatch';
import { checkText, invalidSequences, MAX_INVALID_SEQUENCES } from '../../electron/backend/source/text-check';
import { checkZip } from '../../electron/backend/source/zip-check';
import { testEngine } from '../support/engine';
import { useTempDirs } from '../support/temp';
import { tinyFeedEntries, writeRawZip } from '../support/zips';

const tempDir = useTempDirs();

/** Bytes that are not text: random, but never starting like a zip. */
function noise(size: number): Buffer {
  const bytes = randomBytes(size);
  bytes[0] = 0x00;
  return bytes;
}

/** The library in `dir` holds no feed, no event and no import-log row (looked at by a fresh engine). */
async function expectEmptyLibrary(dir: string) {
  const engine = testEngine(dir);
  try {
    expect(await engine.call('feeds.list', {})).toEqual([]);
    expect(await engine.call('imports.list', { limit: 50 })).toEqual([]);
    expect((await engine.call('events.list', { offset: 0, limit: 10, sort: 'date', direction: 'desc' })).total).toBe(0);
  } finally {
    engine.close();
  }
}

async function importRefused(dir: string, source: string, extra: Record<string, unknown> = {}) {
  const engine = testEngine(dir);
  try {
    const r = await engine.dispatcher.call('feeds.import', { source, ...extra }, quietContext);
    expect(r.ok).toBe(false);
    if (r.ok) throw new Error('imported');
    expect(r.error.code).toBe('bad-source');
    return r.error.message;
  } finally {
    engine.close();
  }
}

describe('a file that is not what it claims is refused before anything is stored', () => {
  it('4 KB of random bytes named x.zip: not a zip archive, and the library stays empty', async () => {
    const dir = tempDir();
    const file = join(dir, 'x.zip');
    writeFileSync(file, noise(4096));
    const message = await importRefused(dir, file);
    expect(message).toBe(`${file}: not a zip archive (no zip signature)`);
    await expectEmptyLibrary(dir);

    const engine = testEngine(dir);
    const preview = await engine.dispatcher.call('feeds.preview', { source: file }, quietContext);
    engine.close();
    expect(!preview.ok && preview.error).toEqual({ code: 'bad-source', message: `${file}: not a zip archive (no zip signature)` });
  });

  it('an empty file named .ZIP is refused the same way', async () => {
    const dir = tempDir();
    const file = join(dir, 'EMPTY.ZIP');
    writeFileSync(file, '');
    expect(await importRefused(dir, file)).toMatch(/EMPTY\.ZIP: not a zip archive \(no zip signature\)$/);
    await expectEmptyLibrary(dir);
  });

  it('a real zip is opened as a zip whatever its name', async () => {
    const dir = tempDir();
    const file = join(dir, 'feed.bin');
    writeRawZip(file, tinyFeedEntries());
    const engine = testEngine(dir);
    const preview = await engine.call('feeds.preview', { source: file });
    expect(preview.events).toHaveLength(1);
    engine.close();
  });

  it('a list with a NUL byte: not a text file, naming the offset', async () => {
    const dir = tempDir();
    const file = join(dir, 'list.txt');
    const text = Buffer.from('192.0.2.1\n'.repeat(200), 'utf8');
    text[1234] = 0;
    writeFileSync(file, text);
    expect(await importRefused(dir, file)).toBe(`${file}: not a text file: NUL byte at offset 1234`);
    await expectEmptyLibrary(dir);
  });

  it('random bytes under a text name are refused too', async () => {
    const dir = tempDir();
    const file = join(dir, 'blocklist.txt');
    writeFileSync(file, noise(4096));
    expect(await importRefused(dir, file)).toMatch(/blocklist\.txt: not a text file: NUL byte at offset 0$/);
    await expectEmptyLibrary(dir);
  });

  it('a list that is mostly invalid UTF-8 (no NUL) is refused, in cache mode too', async () => {
    const dir = tempDir();
    const file = join(dir, 'mess.txt');
    const bytes = Buffer.alloc(3000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = i % 3 === 2 ? 0x0a : 0x80 + (i % 0x7f);
    writeFileSync(file, bytes);
    const message = await importRefused(dir, file);
    expect(message).toMatch(/mess\.txt: not a text file: \d+ invalid UTF-8 sequences in 3000 bytes, the first at offset 0/);
    expect(await importRefused(dir, file, { mode: 'cache' })).toBe(message);
    await expectEmptyLibrary(dir);
  });

  it('a CSV feed given a binary file: refused, and its feed gets no event and no import-log row', async () => {
    const dir = tempDir();
    const file = join(dir, 'iocs.csv');
    writeFileSync(file, noise(2048));
    let engine = testEngine(dir);
    const feed = await engine.call('feeds.add', { name: 'csv one', provider: 'me', url: file, sourceFormat: 'csv', inputSource: 'local' });
    engine.close();
    expect(await importRefused(dir, file, { feedId: feed.id })).toMatch(/iocs\.csv: not a text file: NUL byte at offset 0$/);
    engine = testEngine(dir);
    expect(await engine.call('imports.list', { limit: 50 })).toEqual([]);
    expect((await engine.call('feeds.list', {})).map((f) => f.id)).toEqual([feed.id]);
    expect((await engine.call('events.list', { offset: 0, limit: 10, sort: 'date', direction: 'desc' })).total).toBe(0);
    engine.close();
  });
});

describe('text files are still welcome', () => {
  it('a UTF-8 list with a byte order mark and non-ASCII comments', async () => {
    const dir = tempDir();
    const file = join(dir, 'liste-première.txt');
    writeFileSync(file, '\uFEFF# Indicateurs — réseau 🚩\n192.0.2.10\nevil-domain[.]com\n');
    const engine = testEngine(dir);
    const r = await engine.call('feeds.import', { source: file });
    expect(r.counts).toMatchObject({ added: 1, attributes: 2 });
    engine.close();
  });

  it('a Latin-1 file with one accented character', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'in'));
    const file = join(dir, 'in', 'latin1.txt');
    writeFileSync(file, Buffer.from('# liste de René\n192.0.2.7\nbad.example\n', 'latin1'));
    const engine = testEngine(dir);
    const r = await engine.call('feeds.import', { source: file });
    expect(r.counts).toMatchObject({ added: 1, attributes: 2 });
    engine.close();
  });
});

describe('checkText', () => {
  const bytes = (s: string, enc: BufferEncoding = 'utf8') => new Uint8Array(Buffer.from(s, enc));

  it('decodes UTF-8 and drops a byte order mark', () => {
    expect(checkText(bytes('\uFEFFabc é\n'), 'a.txt')).toEqual({ ok: true, value: 'abc é\n' });
    expect(checkText(new Uint8Array(0), 'empty.txt')).toEqual({ ok: true, value: '' });
  });

  it('tolerates a few invalid sequences in a small file, not more', () => {
    const few = Buffer.from(`${'x\xe9'.repeat(MAX_INVALID_SEQUENCES)}\n`, 'latin1');
    const r = checkText(few, 'few.txt');
    expect(r.ok && r.value).toBe(`${'x\uFFFD'.repeat(MAX_INVALID_SEQUENCES)}\n`);
    const many = Buffer.from(`${'x\xe9'.repeat(MAX_INVALID_SEQUENCES + 1)}\n`, 'latin1');
    expect(checkText(many, 'many.txt')).toEqual({
      ok: false,
      error: { code: 'bad-source', message: 'many.txt: not a text file: 9 invalid UTF-8 sequences in 19 bytes, the first at offset 1 (at most 8 tolerated; save it as UTF-8)' },
    });
  });

  it('tolerates up to 1% in a large file (a long Latin-1 list with some accented names)', () => {
    const line = 'evil.example\n'.repeat(9) + 'Ren\xe9\n'; // 1 odd byte in 122 characters
    const ok = Buffer.from(line.repeat(100), 'latin1');
    expect(checkText(ok, 'big.txt').ok).toBe(true);
    const bad = Buffer.from(('Ren\xe9\n'.repeat(5) + 'x\n').repeat(100), 'latin1');
    expect(checkText(bad, 'bad.txt').ok).toBe(false);
  });

  it('a real U+FFFD in the file is not an invalid sequence', () => {
    expect(checkText(bytes('\uFFFD'.repeat(50)), 'f.txt').ok).toBe(true);
    const mixed = Buffer.concat([Buffer.from('\uFFFD'.repeat(50)), Buffer.from([0xc3])]);
    expect(invalidSequences(mixed)).toEqual({ invalid: 1, first: 150 });
  });

  it('names UTF-16 for what it is', () => {
    const r = checkText(Buffer.from('\uFEFFhello\n', 'utf16le'), 'u16.txt');
    expect(!r.ok && r.error.message).toBe('u16.txt: not a text file this can read: UTF-16 (save it as UTF-8)');
  });

  it('counts invalid sequences exactly as the decoder replaces them', () => {
    for (let round = 0; round < 200; round++) {
      const data = randomBytes(64 + round);
      // Only high bytes and ASCII, so lead bytes, continuations and truncations all occur.
      for (let i = 0; i < data.length; i++) if (data[i]! < 0x80 && i % 2 === 0) data[i] = 0x80 | data[i]!;
      const decoded = new TextDecoder('utf-8').decode(data);
      const legit = Buffer.from(data).toString('latin1').split('\xef\xbf\xbd').length - 1;
      const replaced = decoded.split('\uFFFD').length - 1;
      if (legit === 0) expect(invalidSequences(data).invalid).toBe(replaced);
    }
  });
});

describe('checkZip', () => {
  const pk = new Uint8Array([0x50, 0x4b, 3, 4]);
  const empty = new Uint8Array([0x50, 0x4b, 5, 6]);
  it('goes by the signature, and refuses a .zip name without one', () => {
    expect(checkZip(pk, 'anything.txt')).toEqual({ ok: true, value: true });
    expect(checkZip(empty, 'e.zip')).toEqual({ ok: true, value: true });
    expect(checkZip(new Uint8Array([1, 2, 3, 4]), 'list.txt')).toEqual({ ok: true, value: false });
    expect(checkZip(new Uint8Array([0x50, 0x4b]), 'short.Zip')).toEqual({ ok: false, error: { code: 'bad-source', message: 'short.Zip: not a zip archive (no zip signature)' } });
  });
});
