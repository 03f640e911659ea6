import { stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { failure, success, type Result } from '../result';
import type { FeedSource, SourceEntry } from './feed-source';
import type { SourceLimits } from './limits';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function isLink(entry: yauzl.Entry): boolean {
  // Unix-made zips keep the file mode in the high 16 bits of the external attributes.
  return ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
}

interface ZipEntry extends SourceEntry {
  readonly raw: yauzl.Entry;
}

/** yauzl's own messages name the entry ("invalid relative path: ../x"); we add what it means for the analyst. */
function explainYauzlError(path: string, e: Error): string {
  const m = e.message;
  if (m.startsWith('invalid relative path') || m.startsWith('absolute path') || m.startsWith('invalid characters')) {
    return `${path}: zip refused, an entry escapes the archive (zip-slip): ${m}`;
  }
  return `${path}: not a readable zip archive: ${m}`;
}

export async function openZipSource(path: string, limits: SourceLimits): Promise<Result<FeedSource>> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true });
  } catch (e) {
    return failure('bad-source', explainYauzlError(path, e as Error));
  }
  const sizeBytes = (await stat(path)).size;
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    return failure('bad-source', `${path}: zip refused, ${zip.entryCount} entries exceed the limit of ${limits.maxEntries}`);
  }
  const entries = new Map<string, ZipEntry>();
  let declaredTotal = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (name.endsWith('/')) continue; // a directory record
      if (isLink(entry)) {
        zip.close();
        return failure('bad-source', `${path}: zip refused, entry "${name}" is a symbolic link`);
      }
      declaredTotal += entry.uncompressedSize;
      entries.set(name, { name, size: entry.uncompressedSize, raw: entry });
    }
  } catch (e) {
    zip.close();
    return failure('bad-source', explainYauzlError(path, e as Error));
  }
  if (declaredTotal > limits.maxTotalBytes) {
    zip.close();
    return failure('bad-source', `${path}: zip refused, it would inflate to ${declaredTotal} bytes (limit ${limits.maxTotalBytes})`);
  }

  let inflatedTotal = 0;

  /** Checks that can be made from the central directory, before inflating a byte. */
  const admit = (name: string, maxBytes: number): Result<ZipEntry> => {
    const entry = entries.get(name);
    if (!entry) return failure('not-found', `${name} is not in ${path}`);
    const raw = entry.raw;
    if (!raw.canDecodeFileData()) return failure('bad-source', `${path}: entry "${name}" is encrypted or uses an unsupported compression`);
    if (raw.uncompressedSize > maxBytes) {
      return failure('bad-source', `${path}: entry "${name}" would inflate to ${raw.uncompressedSize} bytes, over the ${maxBytes}-byte limit`);
    }
    const ratio = raw.compressedSize > 0 ? raw.uncompressedSize / raw.compressedSize : Infinity;
    if (raw.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxCompressionRatio) {
      return failure(
        'bad-source',
        `${path}: entry "${name}" refused as a zip bomb: compression ratio ${Math.round(ratio)}:1 exceeds ${limits.maxCompressionRatio}:1`,
      );
    }
    return success(entry);
  };

  /** Counts inflated bytes as they pass: declared sizes are checked by yauzl, the running total by us. */
  const meter = (name: string, maxBytes: number) => {
    let seen = 0;
    return new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        inflatedTotal += chunk.length;
        if (seen > maxBytes) return done(new Error(`${path}: entry "${name}" inflates past ${maxBytes} bytes`));
        if (inflatedTotal > limits.maxTotalBytes) return done(new Error(`${path}: archive inflates past ${limits.maxTotalBytes} bytes`));
        done(null, chunk);
      },
    });
  };

  const openStream = async (name: string, maxBytes: number): Promise<Result<Readable>> => {
    const admitted = admit(name, maxBytes);
    if (!admitted.ok) return admitted;
    try {
      const raw = await zip.openReadStreamPromise(admitted.value.raw);
      const metered = meter(name, maxBytes);
      raw.on('error', (e) => metered.destroy(e));
      return success(raw.pipe(metered));
    } catch (e) {
      return failure('bad-source', `${path}: entry "${name}" cannot be read: ${(e as Error).message}`);
    }
  };

  return success<FeedSource>({
    path,
    kind: 'zip',
    sizeBytes,
    entries,
    async read(name, maxBytes) {
      const opened = await openStream(name, maxBytes);
      if (!opened.ok) return opened;
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of opened.value) chunks.push(chunk as Buffer);
      } catch (e) {
        const message = (e as Error).message;
        return failure('bad-source', message.startsWith(path) ? message : `${path}: entry "${name}": ${message}`);
      }
      return success(Buffer.concat(chunks));
    },
    stream(name) {
      return openStream(name, limits.maxEntryBytes);
    },
    async close() {
      zip.close();
    },
  });
}
