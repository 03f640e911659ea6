/**
 * Open whatever the user pointed at. The path comes from the UI or the command line, so it is checked here before
 * anything else touches it: absolute after resolution, exists, a real folder or a regular file, and a file must
 * really be a zip (by its magic bytes, not its name; one named .zip without them is refused as such).
 */
import { lstat, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { failure, type Result } from '../result';
import type { FeedSource } from './feed-source';
import { openFolderSource } from './folder-source';
import { DEFAULT_LIMITS, type SourceLimits } from './limits';
import { checkZip, ZIP_SIGNATURE_BYTES } from './zip-check';
import { openZipSource } from './zip-source';

/**
 * Whether the file at `path` is a zip, by its first bytes (zip-check.ts): a file named .zip without the signature is
 * refused (bad-source) here, before anyone reads it as something else. `shownAs` names the file in that refusal.
 */
export async function looksLikeZip(path: string, shownAs: string = path): Promise<Result<boolean>> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(ZIP_SIGNATURE_BYTES);
    const { bytesRead } = await handle.read(head, 0, ZIP_SIGNATURE_BYTES, 0);
    return checkZip(head.subarray(0, bytesRead), shownAs);
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
  const zip = await looksLikeZip(path, userPath);
  if (!zip.ok) return zip;
  if (!zip.value) return failure('bad-source', `${userPath}: not a MISP feed: neither a folder nor a zip archive`);
  return openZipSource(path, limits);
}
