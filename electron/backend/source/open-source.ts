/**
 * Open whatever the user pointed at. The path comes from the UI or the command line, so it is checked here before
 * anything else touches it: absolute after resolution, exists, a real folder or a regular file, and a file must
 * really be a zip (by its magic bytes, not its name).
 */
import { lstat, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { failure, type Result } from '../result';
import type { FeedSource } from './feed-source';
import { openFolderSource } from './folder-source';
import { DEFAULT_LIMITS, type SourceLimits } from './limits';
import { openZipSource } from './zip-source';

export async function looksLikeZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    // Local file header, or the end-of-central-directory record of an empty archive.
    return bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
  } finally {
    await handle.close();
  }
}

export async function openFeedSource(userPath: string, limits: SourceLimits = DEFAULT_LIMITS): Promise<Result<FeedSource>> {
  const path = resolve(userPath);
  const st = await lstat(path).catch(() => null);
  if (!st) return failure('not-found', `${userPath}: no such file or folder`);
  if (st.isSymbolicLink()) return failure('bad-source', `${userPath}: is a symbolic link; open its target instead`);
  if (st.isDirectory()) return openFolderSource(path, limits);
  if (!st.isFile()) return failure('bad-source', `${userPath}: is neither a folder nor a regular file`);
  if (!(await looksLikeZip(path))) return failure('bad-source', `${userPath}: not a MISP feed: neither a folder nor a zip archive`);
  return openZipSource(path, limits);
}
