import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../electron/backend/version';
import { ferry, PROJECT_ROOT } from '../support/cli';
import { hasShared, needsShared, sharedPath } from '../support/shared-data';
import { useTempDirs } from '../support/temp';
import { tinyFeedEntries, writeRawZip, zipFolder } from '../support/zips';

const tempDir = useTempDirs();

describe('ferry command line basics', () => {
  it('--help and --version succeed', () => {
    const help = ferry(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('preview');
    const version = ferry(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(ENGINE_VERSION);
  });

  it('an unknown command or option is a usage error (exit 2)', () => {
    expect(ferry(['frobnicate']).code).toBe(2);
    expect(ferry(['preview', '--frobnicate', 'x']).code).toBe(2);
    expect(ferry(['preview']).code).toBe(2);
  });

  it('the engine version matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(ENGINE_VERSION).toBe(pkg.version);
  });
});

describe('ferry preview', () => {
  it('a missing path: exit 2, one line on stderr, a JSON error on stdout', () => {
    const db = join(tempDir(), 'lib.sqlite');
    const r = ferry(['preview', '/nonexistent/feed', '--json', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('/nonexistent/feed: no such file or folder');
    expect(r.json<{ error: { code: string } }>().error.code).toBe('not-found');
  });

  it('a file that is not a feed: exit 2 with the reason', () => {
    const dir = tempDir();
    const file = join(dir, 'report.pdf');
    writeFileSync(file, '%PDF-1.7');
    const r = ferry(['--db', join(dir, 'lib.sqlite'), 'preview', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^ferry: .*report\.pdf: not a MISP feed/);
  });

  it('a zip with a ../ entry: exit 2, naming the entry', () => {
    const dir = tempDir();
    const zip = join(dir, 'slip.zip');
    writeRawZip(zip, [...tinyFeedEntries(), { name: '../outside.json', data: Buffer.from('{}') }]);
    const r = ferry(['preview', zip, '--db', join(dir, 'lib.sqlite')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('../outside.json');
  });

  it('--db before or after the command opens that library', () => {
    const dir = tempDir();
    const zip = join(dir, 'tiny.zip');
    writeRawZip(zip, tinyFeedEntries());
    const before = join(dir, 'before.sqlite');
    const after = join(dir, 'after.sqlite');
    expect(ferry(['--db', before, 'preview', zip, '--json']).code).toBe(0);
    expect(ferry(['preview', zip, '--json', '--db', after]).code).toBe(0);
    expect(existsSync(before) && existsSync(after)).toBe(true);
  });

  it('FERRY_DB chooses the library when --db is absent', () => {
    const dir = tempDir();
    const zip = join(dir, 'tiny.zip');
    writeRawZip(zip, tinyFeedEntries());
    const db = join(dir, 'env.sqlite');
    expect(ferry(['preview', zip], { FERRY_DB: db }).code).toBe(0);
    expect(existsSync(db)).toBe(true);
  });

  describe.skipIf(!hasShared)(`on the real TweetFeed fixture${needsShared}`, () => {
    it('lists 365 events from the folder and from a zip of it, as one JSON document', async () => {
      const dir = tempDir();
      const db = join(dir, 'lib.sqlite');
      const folder = ferry(['preview', sharedPath('fixtures', 'feeds', 'tweetfeed'), '--json', '--db', db]);
      expect(folder.code).toBe(0);
      expect(folder.json<{ events: unknown[] }>().events).toHaveLength(365);
      const zip = join(dir, 'tweetfeed.zip');
      await zipFolder(sharedPath('fixtures', 'feeds', 'tweetfeed'), zip);
      const zipped = ferry(['preview', zip, '--json', '--db', db]);
      expect(zipped.code).toBe(0);
      expect(zipped.json<{ events: unknown[] }>().events).toHaveLength(365);
    });

    it('prints a table for people without --json', () => {
      const r = ferry(['preview', sharedPath('fixtures', 'feeds', 'tweetfeed'), '--db', join(tempDir(), 'lib.sqlite')]);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/: 365 events$/);
      expect(r.stdout).toContain('TweetFeed IOCs');
    });
  });
});
