/** MISP's feed metadata JSON in and out of the library ("import feeds", "export feed metadata", default feed list). */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { readFeedMetadata, writeFeedMetadata } from '../../../shared/feed/feed-metadata';
import { issue } from '../../../shared/feed/issues';
import type { metadataImportSchema } from '../../../shared/ipc/library-schemas';
import type { FeedReads, FeedStore } from '../db/queries/feed-store';
import { failure, success, type Result } from '../result';

type MetadataImport = z.infer<typeof metadataImportSchema>;

/** Feed metadata files are small (MISP's default list is ~100 kB); anything huge is not one. */
const MAX_METADATA_BYTES = 64 * 1024 * 1024;

export async function readMetadataSource(input: { source?: string | undefined; json?: string | undefined }): Promise<Result<{ text: string; file: string }>> {
  if (input.json !== undefined) return success({ text: input.json, file: 'feed-metadata.json' });
  if (input.source === undefined) return failure('invalid-input', 'give a metadata file or its JSON text');
  try {
    const buf = await readFile(input.source);
    if (buf.length > MAX_METADATA_BYTES) return failure('bad-source', `${input.source}: ${buf.length} bytes is too large for feed metadata`);
    return success({ text: buf.toString('utf8'), file: input.source });
  } catch (e) {
    return failure('not-found', `${input.source}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

export function importMetadata(store: FeedStore, text: string, file: string, markDefault: boolean): Result<MetadataImport> {
  const parsed = readFeedMetadata(text, file);
  const fatal = parsed.issues.find((i) => i.severity === 'error' && parsed.value.length === 0);
  if (fatal) return failure('bad-source', `${file}: ${fatal.message}`, parsed.issues);
  const result: MetadataImport = { added: [], skipped: [], issues: [...parsed.issues] };
  for (const { index, feed } of parsed.value) {
    if (store.findByName(feed.name)) {
      // MISP skips feeds whose url it already has; names are our key, so a same-named feed is kept as it is.
      result.skipped.push({ name: feed.name, reason: 'a feed with this name exists' });
      continue;
    }
    const added = store.add({ ...feed, id: null, isDefault: markDefault || feed.isDefault });
    if (added.ok) result.added.push({ id: added.value.id, name: feed.name });
    else {
      result.skipped.push({ name: feed.name, reason: added.error.message });
      result.issues.push(issue('warning', 'metadata.feed-refused', `${file}#/${index}`, added.error.message));
    }
  }
  return success(result);
}

export function exportMetadata(store: FeedReads, ids: readonly number[] | undefined): Result<{ json: string; count: number }> {
  const feeds = store.list().filter((f) => ids === undefined || ids.includes(f.id));
  if (ids) {
    const missing = ids.filter((id) => !feeds.some((f) => f.id === id));
    if (missing.length > 0) return failure('not-found', `no feed with id ${missing.join(', ')}`);
  }
  const written = writeFeedMetadata(feeds.map((f) => f.settings));
  if (written.value === null) return failure('internal', written.issues[0]?.message ?? 'feed metadata could not be written', written.issues);
  return success({ json: written.value, count: feeds.length });
}
