/** What a fetch import needs, shared by the step path (fetch-feed.ts) and the bulk load (bulk-load.ts). */
import type { FeedSettings } from '../../../shared/model/feed-settings';
import type { Reader } from '../db/reader';
import type { Writer } from '../db/writer';
import type { HandlerContext } from '../dispatch';
import type { SourceLimits } from '../source/limits';

/** Whether a fetch may stage new events and merge them in sorted steps: by size (`auto`), or forced (tests). */
export type BulkLoadPolicy = 'auto' | 'always' | 'never';

export interface FetchContext {
  readonly writer: Writer;
  readonly reader: Reader;
  readonly dbPath: string;
  readonly sqliteBinding?: string | undefined;
  readonly feedId: number;
  readonly feed: FeedSettings;
  readonly importId: number;
  readonly limits: SourceLimits;
  readonly handler: HandlerContext;
  readonly bulkLoad: BulkLoadPolicy;
  readonly faults: { readonly failStep?: number };
}
