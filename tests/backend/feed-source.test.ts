import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewFeed } from '../../electron/backend/feeds/preview';
import { DEFAULT_LIMITS } from '../../electron/backend/source/limits';
import { openFeedSource } from '../../electron/backend/source/open-source';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { useTempDirs } from '../support/temp';
import { tinyFeedEntries, writeRawZip, zipFolder } from '../support/zips';

const tempDir = useTempDirs();

describe('opening a feed source', () => {
  it('refuses a missing path with a reason naming it', async () => {
    const r = await openFeedSource('/nonexistent/feed-xyz');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('not-found');
      expect(r.error.message).toContain('/nonexistent/feed-xyz');
    }
  });

  it('refuses a regular file that is not a zip', async () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'hello');
    const r = await openFeedSource(file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/not a MISP feed/);
  });

  it('says a folder without manifest.json is not a feed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'readme.txt'), 'x');
    const r = await previewFeed(dir);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('no manifest.json');
  });

  it('skips symbolic links in a folder instead of following them', async () => {
    const dir = tempDir();
    for (const e of tinyFeedEntries()) writeFileSync(join(dir, e.name), e.data);
    symlinkSync('/etc/passwd', join(dir, 'ffffffff-8328-42bb-a95e-4f4402de0b81.json'));
    const r = await openFeedSource(dir);
    expect(r.ok).toBe(true);
    if (r.ok) expect([...r.value.entries.keys()].sort()).toEqual(['5a3c2fcd-8328-42bb-a95e-4f4402de0b81.json', 'manifest.json']);
  });

  it('finds a feed wrapped in one folder (as "compress folder" makes it)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'my-feed'));
    for (const e of tinyFeedEntries()) writeFileSync(join(dir, 'my-feed', e.name), e.data);
    const zip = join(tempDir(), 'wrapped.zip');
    await zipFolder(dir, zip);
    const r = await previewFeed(zip);
    expect(r.ok && r.value.source.feedRoot).toBe('my-feed/');
    expect(r.ok && r.value.events.length).toBe(1);
  });
});

describe('hostile zip archives are refused with the entry named', () => {
  it('a ../ entry (zip-slip)', async () => {
    const zip = join(tempDir(), 'slip.zip');
    writeRawZip(zip, [...tinyFeedEntries(), { name: '../../evil.json', data: Buffer.from('{}') }]);
    const r = await previewFeed(zip);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad-source');
      expect(r.error.message).toContain('zip-slip');
      expect(r.error.message).toContain('../../evil.json');
    }
  });

  it('an absolute entry name', async () => {
    const zip = join(tempDir(), 'abs.zip');
    writeRawZip(zip, [...tinyFeedEntries(), { name: '/etc/cron.d/evil', data: Buffer.from('x') }]);
    const r = await previewFeed(zip);
    expect(!r.ok && r.error.message).toContain('/etc/cron.d/evil');
  });

  it('a symbolic link entry', async () => {
    const zip = join(tempDir(), 'link.zip');
    writeRawZip(zip, [...tinyFeedEntries(), { name: 'hashes.csv', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]);
    const r = await previewFeed(zip);
    expect(!r.ok && r.error.message).toMatch(/"hashes.csv" is a symbolic link/);
  });

  it('a compression bomb entry, detected before inflating it', async () => {
    const zip = join(tempDir(), 'bomb.zip');
    writeRawZip(zip, [...tinyFeedEntries(), { name: 'hashes.csv', data: Buffer.alloc(64 * 1024 * 1024), deflate: true }]);
    const opened = await openFeedSource(zip);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const read = await opened.value.read('hashes.csv', DEFAULT_LIMITS.maxEntryBytes);
    await opened.value.close();
    expect(!read.ok && read.error.message).toMatch(/"hashes.csv" refused as a zip bomb: compression ratio \d+:1/);
  });

  it('an entry larger than the caller allows', async () => {
    const zip = join(tempDir(), 'big.zip');
    writeRawZip(zip, tinyFeedEntries());
    const opened = await openFeedSource(zip, { ...DEFAULT_LIMITS, maxJsonBytes: 10 });
    if (!opened.ok) throw new Error(opened.error.message);
    const read = await opened.value.read('manifest.json', 10);
    await opened.value.close();
    expect(!read.ok && read.error.message).toMatch(/"manifest.json" would inflate to \d+ bytes, over the 10-byte limit/);
  });

  it('an archive with more entries than the cap', async () => {
    const zip = join(tempDir(), 'many.zip');
    writeRawZip(zip, tinyFeedEntries());
    const r = await openFeedSource(zip, { ...DEFAULT_LIMITS, maxEntries: 1 });
    expect(!r.ok && r.error.message).toMatch(/2 entries exceed the limit of 1/);
  });

  it('a truncated archive', async () => {
    const zip = join(tempDir(), 'cut.zip');
    writeRawZip(zip, tinyFeedEntries());
    const { readFileSync } = await import('node:fs');
    writeFileSync(zip, readFileSync(zip).subarray(0, 60));
    const r = await previewFeed(zip);
    expect(!r.ok && r.error.message).toMatch(/not a readable zip archive/);
  });
});

describe.skipIf(!hasShared)(`previewing the real fixture feeds${needsShared}`, () => {
  it('lists the 365 TweetFeed events from the folder and from a zip of it', async () => {
    const folder = await previewFeed(sharedPath('fixtures', 'feeds', 'tweetfeed'));
    expect(folder.ok && folder.value.events.length).toBe(365);
    const zip = join(tempDir(), 'tweetfeed.zip');
    await zipFolder(sharedPath('fixtures', 'feeds', 'tweetfeed'), zip);
    const zipped = await previewFeed(zip);
    expect(zipped.ok && zipped.value.events.length).toBe(365);
    expect(zipped.ok && zipped.value.source.kind).toBe('zip');
    if (folder.ok && zipped.ok) expect(zipped.value.events).toEqual(folder.value.events);
  });

  it('reads the numeric-string manifest of TweetFeed as numbers', async () => {
    const r = await previewFeed(sharedPath('fixtures', 'feeds', 'tweetfeed'));
    if (!r.ok) throw new Error(r.error.message);
    for (const e of r.value.events) expect(Number.isInteger(e.timestamp) && e.timestamp > 1_600_000_000).toBe(true);
  });
});
