/**
 * Caps for reading untrusted archives. A zip's declared sizes can lie, so the readers count the bytes they really
 * inflate and stop at these numbers. Defaults fit the largest real feeds (a 946 MB hashes.csv; events of a few
 * hundred MB) with room, and stop a zip bomb long before it hurts a workstation.
 */
export interface SourceLimits {
  /** Largest single file we will inflate or read, in bytes. */
  readonly maxEntryBytes: number;
  /** Largest single JSON file we will parse into memory. */
  readonly maxJsonBytes: number;
  /** Sum of all inflated bytes read from one archive. */
  readonly maxTotalBytes: number;
  readonly maxEntries: number;
  /** Inflated / compressed, checked for entries larger than `ratioFloorBytes`. JSON deflates ~5–30×; a bomb ~1000×. */
  readonly maxCompressionRatio: number;
  readonly ratioFloorBytes: number;
}

export const DEFAULT_LIMITS: SourceLimits = {
  maxEntryBytes: 4 * 1024 ** 3,
  maxJsonBytes: 512 * 1024 ** 2,
  maxTotalBytes: 16 * 1024 ** 3,
  maxEntries: 1_000_000,
  maxCompressionRatio: 200,
  ratioFloorBytes: 1024 ** 2,
};
