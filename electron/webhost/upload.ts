/**
 * A zip dropped on the browser page has no path the host can see, so the page posts its bytes here and gets back a
 * path in a private temporary folder, which then goes through the same checks as any other path. The request and
 * answer are declared in shared/ipc/host-contract.ts (`hostUpload`), next to the desktop host's channels.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { hostUpload, type UploadResponse } from '../../shared/ipc/host-contract';

export const MAX_UPLOAD_BYTES = hostUpload.maxBytes;

/** Node lower-cases incoming header names. */
const TOKEN_HEADER = hostUpload.tokenHeader.toLowerCase();

export function uploadDir(): string {
  return join(tmpdir(), `ferry-uploads-${process.pid}`);
}

export function isUploadRequest(req: IncomingMessage, pathname: string): boolean {
  return req.method === hostUpload.method && pathname === hostUpload.path;
}

export function hasUploadHeader(req: IncomingMessage): boolean {
  return req.headers[TOKEN_HEADER] !== undefined;
}

export async function receiveUpload(req: IncomingMessage, maxBytes: number = MAX_UPLOAD_BYTES): Promise<UploadResponse> {
  // The server checks this before calling; checked again here so no caller can forget it (see hostUpload.tokenHeader).
  if (!hasUploadHeader(req)) return { error: `uploads need the ${hostUpload.tokenHeader} header` };
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

/** The whole exchange, for a server that has already checked the token: 403 without the header, else the answer. */
export async function handleUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!hasUploadHeader(req)) {
    res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`Forbidden: uploads need the ${hostUpload.tokenHeader} header\n`);
    return;
  }
  const result = await receiveUpload(req);
  res.writeHead('path' in result ? 200 : 413, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(result));
}
