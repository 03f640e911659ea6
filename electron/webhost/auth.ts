/**
 * Who may talk to the browser-mode host: a page on this machine's loopback that knows the token printed at start.
 * The Host check stops DNS-rebinding pages; the Origin check stops other local pages; the token stops other local
 * users and programs.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'ferry_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function sameToken(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return v.join('=');
  }
  return null;
}

export type AuthVerdict = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

export function checkRequest(req: IncomingMessage, port: number, token: string): AuthVerdict {
  const hosts = allowedHosts(port);
  if (!hosts.has(req.headers.host ?? '')) return { ok: false, status: 403, reason: 'wrong Host header' };
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, ''))) {
    return { ok: false, status: 403, reason: 'wrong Origin header' };
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const queryToken = url.searchParams.get('token');
  if (sameToken(queryToken, token)) return { ok: true, viaQuery: true };
  if (sameToken(req.headers['x-ferry-token'] as string | undefined, token)) return { ok: true, viaQuery: false };
  if (sameToken(cookieToken(req), token)) return { ok: true, viaQuery: false };
  return { ok: false, status: 401, reason: 'missing or wrong token' };
}
