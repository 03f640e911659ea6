/**
 * A feed as it sits on removable media: a folder or a zip. Both are read through this one interface so that import,
 * preview and cache never care which it is, and so that every safety check lives in exactly one place per kind.
 */
import type { Readable } from 'node:stream';
import type { Result } from '../result';

export interface SourceEntry {
  /** Path below the source root with '/' separators, already checked: no '..', not absolute, not a link. */
  readonly name: string;
  /** Size on disk (folder) or declared inflated size (zip). */
  readonly size: number;
}

export interface FeedSource {
  readonly path: string;
  readonly kind: 'folder' | 'zip';
  /** Size of the folder's files or of the zip file. */
  readonly sizeBytes: number;
  readonly entries: ReadonlyMap<string, SourceEntry>;
  /** Read a whole entry into memory, refusing it beyond `maxBytes`. */
  read(name: string, maxBytes: number): Promise<Result<Buffer>>;
  /** Stream an entry (for very large files such as hashes.csv); the stream errors past the limits. */
  stream(name: string): Promise<Result<Readable>>;
  close(): Promise<void>;
}
