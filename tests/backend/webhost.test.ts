import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openEngine, type Engine } from '../../electron/backend/engine';
import { startWebHost, type WebHost } from '../../electron/webhost/server';
import type { ServerMessage } from '../../shared/ipc/wire';
let engine: Engine;
let host: WebHost;
let staticDir: string;
let dir: string;

beforeAll(async () => {
  // One host for the whole file, so its folder lives until afterAll.
  dir = mkdtempSync(join(tmpdir(), 'ferry-webhost-'));
  staticDir = join(dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Ferry</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the static folder');
  const opened = openEngine({ dbPath: join(dir, 'lib.sqlite') });
  if (!opened.ok) throw new Error(opened.error.message);
  engine = opened.value;
  host = await startWebHost({ dispatcher: engine.dispatcher, staticDir, port: 0 });
});
afterAll(async () => {
  await host.close();
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method, headers: { host: `127.0.0.1:${host.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the browser-mode host', () => {
  it('listens on 127.0.0.1 only and prints a URL with its token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('refuses a request without the token (401)', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
  });

  it('serves the page with the token and sets an HttpOnly cookie for its sub-resources', async () => {
    const r = await get(`/?token=${host.token}`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Ferry</title>');
    expect(String(r.headers['set-cookie'])).toMatch(/ferry_token=.*HttpOnly; SameSite=Strict/);
    expect(String(r.headers['content-security-policy'])).toContain("default-src 'self'");
    const cookie = `ferry_token=${host.token}`;
    expect((await get('/index.html', { cookie })).status).toBe(200);
  });

  it('refuses other Host headers (DNS rebinding) and other Origins (403)', async () => {
    expect((await get(`/?token=${host.token}`, { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await get(`/?token=${host.token}`, { origin: 'http://evil.example' })).status).toBe(403);
  });

  it('does not serve files outside its folder', async () => {
    const r = await get(`/..%2fsecret.txt?token=${host.token}`);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('outside');
  });

  it('refuses uploads without the token header, even with the cookie', async () => {
    const r = await get('/api/upload', { cookie: `ferry_token=${host.token}` }, 'POST');
    expect(r.status).toBe(403);
  });

  it('refuses a WebSocket without the token', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`);
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
      ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
    });
    expect(outcome).toMatch(/^refused/);
  });

  it('answers calls on the WebSocket with the token, through the real dispatcher', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { headers: { origin: `http://127.0.0.1:${host.port}` } });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const reply = new Promise<ServerMessage>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
    ws.send(JSON.stringify({ kind: 'request', id: 3, channel: 'nope.nope', input: {} }));
    expect(await reply).toEqual({ kind: 'response', id: 3, envelope: { ok: false, error: { code: 'unknown-channel', message: 'unknown channel "nope.nope"' } } });
    const info = new Promise<ServerMessage>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
    ws.send(JSON.stringify({ kind: 'request', id: 4, channel: 'app.info', input: {} }));
    const m = await info;
    expect(m.kind === 'response' && m.envelope.ok).toBe(true);
    ws.close();
  });
});
