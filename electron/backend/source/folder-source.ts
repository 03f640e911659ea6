import { createReadStream } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { failure, success, type Result } from '../result';
import type { FeedSource, SourceEntry } from './feed-source';
import type { SourceLimits } from './limits';

/** How deep below the chosen folder we look: a feed is flat, but a USB key often wraps it in one or two folders. */
const MAX_DEPTH = 3;

async function walk(root: string, rel: string, depth: number, out: Map<string, SourceEntry>, limits: SourceLimits) {
  const dir = rel === '' ? root : join(root, rel);
  const dirents = await readdir(dir, { withFileTypes: true });
  for (const d of dirents) {
    const name = rel === '' ? d.name : `${rel}/${d.name}`;
    // Links are skipped, never followed: a link on a USB key could point anywhere on the analyst's machine.
    if (d.isSymbolicLink()) continue;
    if (d.isDirectory()) {
      if (depth < MAX_DEPTH) await walk(root, name, depth + 1, out, limits);
    } else if (d.isFile()) {
      if (out.size >= limits.maxEntries) throw new Error(`more than ${limits.maxEntries} files`);
      const st = await lstat(join(root, name));
      out.set(name, { name, size: st.size });
    }
  }
}

export async function openFolderSource(path: string, limits: SourceLimits): Promise<Result<FeedSource>> {
  const entries = new Map<string, SourceEntry>();
  try {
    await walk(path, '', 0, entries, limits);
  } catch (e) {
    return failure('bad-source', `cannot read folder ${path}: ${(e as Error).message}`);
  }
  let sizeBytes = 0;
  for (const e of entries.values()) sizeBytes += e.size;

  const locate = (name: string): Result<string> => {
    if (!entries.has(name)) return failure('not-found', `${name} is not in ${path}`);
    return success(join(path, name));
  };

  return success<FeedSource>({
    path,
    kind: 'folder',
    sizeBytes,
    entries,
    async read(name, maxBytes) {
      const found = locate(name);
      if (!found.ok) return found;
      // Re-check at read time: the file may have been swapped for a link since the listing.
      const st = await lstat(found.value).catch(() => null);
      if (!st || !st.isFile()) return failure('bad-source', `${name} is no longer a regular file`);
      if (st.size > maxBytes) return failure('bad-source', `${name} is ${st.size} bytes, over the ${maxBytes}-byte limit`);
      try {
        const handle = await open(found.value, 'r');
        try {
          return success(await handle.readFile());
        } finally {
          await handle.close();
        }
      } catch (e) {
        return failure('bad-source', `cannot read ${name}: ${(e as Error).message}`);
      }
    },
    async stream(name): Promise<Result<Readable>> {
      const found = locate(name);
      if (!found.ok) return found;
      const st = await lstat(found.value).catch(() => null);
      if (!st || !st.isFile()) return failure('bad-source', `${name} is no longer a regular file`);
      return success(createReadStream(found.value, { highWaterMark: 1024 * 1024 }));
    },
    async close() {},
  });
}
