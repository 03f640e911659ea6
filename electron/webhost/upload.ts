/**
 * A zip dropped on the browser page has no path the host can see, so the page posts its bytes here and gets back a
 * path in a private temporary folder, which then goes through the same checks as any other path.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

export function uploadDir(): string {
  return join(tmpdir(), `ferry-uploads-${process.pid}`);
}

export async function receiveUpload(req: IncomingMessage, maxBytes = MAX_UPLOAD_BYTES): Promise<{ path: string } | { error: string }> {
  const dir = uploadDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${randomBytes(8).toString('hex')}.zip`);
  let seen = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _e, done) {
      seen += chunk.length;
      done(seen > maxBytes ? new Error(`upload exceeds ${maxBytes} bytes`) : null, chunk);
    },
  });
  try {
    await pipeline(req, cap, createWriteStream(path, { mode: 0o600 }));
    return { path };
  } catch (e) {
    await rm(path, { force: true });
    return { error: (e as Error).message };
  }
}
