/**
 * Bulk load (being rewritten): new events of a large import staged off the library and merged in sorted steps.
 * Until then, `auto` never chooses it and the steps path writes everything.
 */
import type { ManifestEntry } from '../../../shared/feed/manifest';
import { failure, type Result } from '../result';
import type { OpenedFeed } from '../source/open-feed';
import type { FetchContext } from './fetch-context';
import type { ImportReport } from './import-log';

export type { BulkLoadPolicy } from './fetch-context';
import type { BulkLoadPolicy } from './fetch-context';

/** Whether the new events of an import (`freshBytes` of event JSON) are worth staging and merging. */
export function shouldBulkLoad(existingAttributes: number, freshBytes: number, policy: BulkLoadPolicy = 'auto'): boolean {
  void existingAttributes;
  void freshBytes;
  return policy === 'always';
}

/**
 * Import `entries` (events not in the library yet): record each outcome with `record` once it is in the library, and
 * report progress with `advance(eventsDone, info)`.
 */
export async function bulkImport(
  opened: OpenedFeed,
  entries: readonly ManifestEntry[],
  ctx: FetchContext,
  record: (item: ImportReport['items'][number]) => void,
  advance: (events: number, info?: string) => void,
): Promise<Result<'done' | 'cancelled'>> {
  void opened;
  void entries;
  void ctx;
  void record;
  void advance;
  return failure('internal', 'bulk load is not available yet');
}
