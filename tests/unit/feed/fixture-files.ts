// Helpers for tests that read ../shared/fixtures. Callers guard with hasShared.
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sharedPath } from '../../support/shared-data';

export const FEEDS = ['tweetfeed', 'crowdsec-alerts', 'pymisp-generated-feed'] as const;
export type FeedName = (typeof FEEDS)[number];

export function feedDir(feed: FeedName): string {
  return sharedPath('fixtures', 'feeds', feed);
}

/** Event files of a fixture feed, in name order. */
export function feedEventFiles(feed: FeedName): string[] {
  return readdirSync(feedDir(feed))
    .filter((f) => f.endsWith('.json') && f !== 'manifest.json')
    .sort();
}

export function readFeedFile(feed: FeedName, file: string): string {
  return readFileSync(join(feedDir(feed), file), 'utf8');
}

export function eventExportFiles(): string[] {
  return readdirSync(sharedPath('fixtures', 'events', 'pymisp-tests'))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function readEventExport(file: string): string {
  return readFileSync(sharedPath('fixtures', 'events', 'pymisp-tests', file), 'utf8');
}

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
