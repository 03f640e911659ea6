/**
 * Browser mode: the built renderer and a WebSocket to the engine, on 127.0.0.1 only, behind a token. The same UI as
 * the desktop app, for Linux machines without a packaged app and for end-to-end tests in Chromium.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatcher } from '../backend/dispatch';
import { checkRequest, newToken, TOKEN_COOKIE } from './auth';
import { serveStatic } from './static-files';
import { receiveUpload, uploadDir } from './upload';

export interface WebHostOptions {
  readonly dispatcher: Dispatcher;
  readonly staticDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly token?: string;
}

export interface WebHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
/** Requests are small JSON; uploads go over HTTP, not the socket. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

function refuse(res: ServerResponse, status: number, reason: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${status === 401 ? 'Unauthorized' : 'Forbidden'}: ${reason}\n`);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = options.port;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const verdict = checkRequest(req, port, token);
    if (!verdict.ok) return refuse(res, verdict.status, verdict.reason);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/api/upload') {
      // A custom header cannot be sent cross-origin without a preflight we never answer, so this also stops CSRF.
      if (req.headers['x-ferry-token'] === undefined) return refuse(res, 403, 'uploads need the X-Ferry-Token header');
      const result = await receiveUpload(req);
      res.writeHead('path' in result ? 200 : 413, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(result));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 403, 'method not allowed');
    if (verdict.viaQuery) {
      // Sub-resources (scripts, styles, the socket) carry the token as a cookie the page cannot read.
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (!(await serveStatic(options.staticDir, url.pathname, res))) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not found\n');
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String((e as Error).message));
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const verdict = checkRequest(req, port, token);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!verdict.ok || url.pathname !== '/ws') {
      socket.end(`HTTP/1.1 ${verdict.ok ? 404 : verdict.status} Refused\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const connection = options.dispatcher.connect((message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString());
        } catch {
          return;
        }
        connection.receive(parsed);
      });
      ws.on('close', () => connection.close());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(uploadDir(), { recursive: true, force: true });
    },
  };
}
