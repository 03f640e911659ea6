/**
 * The host contract (shared/ipc/host-contract.ts): main refuses what the contract does not allow before any native
 * code runs, the preload lets through exactly the contract's channels, and the browser-mode upload and the CSP have
 * one declaration each. Electron itself cannot run here, so these test the pure pieces main and preload are made of.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { dispatchHostCall, type HostHandlers } from '../../electron/main/host-dispatch';
import { createHostBridge } from '../../electron/preload/host-bridge';
import { receiveUpload, uploadDir } from '../../electron/webhost/upload';
import { writeCspMeta } from '../../renderer/csp-meta.mjs';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../../shared/ipc/csp';
import { ok } from '../../shared/ipc/envelope';
import { HOST_CHANNELS, isHostChannel } from '../../shared/ipc/host-channels';
import { createHostClient, hostContract, hostUpload } from '../../shared/ipc/host-contract';
import { PROJECT_ROOT } from '../support/cli';

interface Ctx {
  readonly window: null;
}

function recordingHandlers() {
  const seen: { channel: string; input: unknown }[] = [];
  const handlers: HostHandlers<Ctx> = {
    'host.pickFeedSource': async (input) => (seen.push({ channel: 'host.pickFeedSource', input }), ok('/media/usb/feed')),
    'host.pickSavePath': async (input) => (seen.push({ channel: 'host.pickSavePath', input }), ok(null)),
    'host.revealPath': async (input) => (seen.push({ channel: 'host.revealPath', input }), ok(undefined)),
  };
  return { seen, handlers };
}

const call = (handlers: HostHandlers<Ctx>, channel: unknown, input: unknown) => dispatchHostCall(handlers, channel, input, { window: null });

describe('the host contract', () => {
  it('declares exactly the allow-listed channels, each documented', () => {
    expect(Object.keys(hostContract).sort()).toEqual([...HOST_CHANNELS].sort());
    for (const c of HOST_CHANNELS) expect(hostContract[c].doc.length).toBeGreaterThan(10);
    expect(isHostChannel('host.pickFeedSource')).toBe(true);
    expect(isHostChannel('host.openExternal')).toBe(false);
    expect(isHostChannel('toString')).toBe(false);
  });
});

describe("main's host dispatcher", () => {
  it.each([
    ['a name outside the contract', 'host.openExternal'],
    ['an engine channel', 'feeds.list'],
    ['a prototype key', '__proto__'],
    ['not a string', 42],
  ])('refuses %s with unknown-channel, running nothing', async (_what, channel) => {
    const { seen, handlers } = recordingHandlers();
    const r = await call(handlers, channel, {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('unknown-channel');
    expect(seen).toEqual([]);
  });

  it.each([
    ['host.pickFeedSource', 'a missing kind', {}],
    ['host.pickFeedSource', 'an unknown kind', { kind: 'device' }],
    ['host.pickFeedSource', 'an extra field', { kind: 'zip', path: '/etc' }],
    ['host.pickFeedSource', 'a bare string (the old API)', 'zip'],
    ['host.pickFeedSource', 'null', null],
    ['host.pickSavePath', 'a default name with folders', { defaultName: '../../.bashrc' }],
    ['host.pickSavePath', 'a default name with a backslash', { defaultName: 'C:\\Windows\\x.zip' }],
    ['host.pickSavePath', 'an extension with its dot', { filters: [{ name: 'Zip', extensions: ['.zip'] }] }],
    ['host.pickSavePath', 'a filter without extensions', { filters: [{ name: 'Zip', extensions: [] }] }],
    ['host.pickSavePath', 'a very long title', { title: 'x'.repeat(201) }],
    ['host.revealPath', 'an empty path', { path: '' }],
    ['host.revealPath', 'a NUL byte', { path: '/tmp/a\0b' }],
    ['host.revealPath', 'a number', { path: 7 }],
  ])('%s: refuses %s with invalid-input, running nothing', async (channel, _what, input) => {
    const { seen, handlers } = recordingHandlers();
    const r = await call(handlers, channel, input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-input');
      expect(r.error.message.startsWith(`${channel}: `)).toBe(true);
      expect(r.error.issues?.length).toBeGreaterThan(0);
    }
    expect(seen).toEqual([]);
  });

  it('hands valid input to the handler and answers its value in an envelope', async () => {
    const { seen, handlers } = recordingHandlers();
    expect(await call(handlers, 'host.pickFeedSource', { kind: 'zip' })).toEqual({ ok: true, value: '/media/usb/feed' });
    const save = { title: 'Export feed', defaultName: 'feed.zip', filters: [{ name: 'Zip archives', extensions: ['zip'] }] };
    expect(await call(handlers, 'host.pickSavePath', save)).toEqual({ ok: true, value: null });
    expect(await call(handlers, 'host.pickSavePath', {})).toEqual({ ok: true, value: null });
    expect(await call(handlers, 'host.revealPath', { path: '/tmp/report.json' })).toEqual({ ok: true, value: undefined });
    expect(seen).toEqual([
      { channel: 'host.pickFeedSource', input: { kind: 'zip' } },
      { channel: 'host.pickSavePath', input: save },
      { channel: 'host.pickSavePath', input: {} },
      { channel: 'host.revealPath', input: { path: '/tmp/report.json' } },
    ]);
  });

  it('turns a throwing handler into internal, and never sends an answer that breaks the contract', async () => {
    const { handlers } = recordingHandlers();
    const onInternalError = vi.fn();
    const throwing = { ...handlers, 'host.pickFeedSource': async () => Promise.reject(new Error('dialog crashed')) };
    expect(await dispatchHostCall(throwing, 'host.pickFeedSource', { kind: 'folder' }, { window: null }, onInternalError)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'host.pickFeedSource: dialog crashed' },
    });
    const lying = { ...handlers, 'host.pickFeedSource': async () => ok(42 as unknown as string) };
    const r = await dispatchHostCall(lying, 'host.pickFeedSource', { kind: 'folder' }, { window: null }, onInternalError);
    expect(r.ok ? null : r.error.code).toBe('internal');
    expect(onInternalError).toHaveBeenCalledTimes(2);
  });
});

describe("the preload's bridge", () => {
  it("allows exactly the contract's channels", () => {
    const bridge = createHostBridge(async () => ok(null));
    expect(bridge.kind).toBe('electron');
    expect([...bridge.channels].sort()).toEqual(Object.keys(hostContract).sort());
  });

  it('passes a declared channel through to ipcRenderer.invoke and refuses any other without sending it', async () => {
    const sent: [string, unknown][] = [];
    const bridge = createHostBridge(async (channel, input) => (sent.push([channel, input]), ok('/picked')));
    expect(await bridge.invoke('host.pickFeedSource', { kind: 'zip' })).toEqual({ ok: true, value: '/picked' });
    const refused = await bridge.invoke('ferry:port' as never, {});
    expect(refused.ok ? null : refused.error.code).toBe('unknown-channel');
    expect(sent).toEqual([['host.pickFeedSource', { kind: 'zip' }]]);
  });

  it('answers an envelope when main throws (no handler, window gone)', async () => {
    const bridge = createHostBridge(async () => Promise.reject(new Error("No handler registered for 'host.revealPath'")));
    const r = await bridge.invoke('host.revealPath', { path: '/tmp' });
    expect(r.ok ? null : r.error.code).toBe('unavailable');
  });

  it('loads no package but electron (a sandboxed preload can run only what is bundled into it)', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) packages.add(spec);
        else visit([`${resolve(dirname(file), spec)}.ts`, join(resolve(dirname(file), spec), 'index.ts')].find(existsSync)!);
      }
    };
    visit(join(PROJECT_ROOT, 'electron/preload/index.ts'));
    expect([...packages]).toEqual(['electron']);
    expect([...seen].some((f) => f.endsWith('host-channels.ts'))).toBe(true);
  });

  it('gives the renderer one typed method per channel', async () => {
    const sent: [string, unknown][] = [];
    const host = createHostClient(createHostBridge(async (channel, input) => (sent.push([channel, input]), ok(null))));
    expect(Object.keys(host).sort()).toEqual(['pickFeedSource', 'pickSavePath', 'revealPath']);
    await host.pickSavePath({ defaultName: 'feed.zip' });
    await host.revealPath({ path: '/tmp/x' });
    expect(sent).toEqual([
      ['host.pickSavePath', { defaultName: 'feed.zip' }],
      ['host.revealPath', { path: '/tmp/x' }],
    ]);
  });
});

function uploadRequest(body: string, headers: Record<string, string>): IncomingMessage {
  return Object.assign(Readable.from([Buffer.from(body)]), { headers, method: hostUpload.method, url: hostUpload.path }) as unknown as IncomingMessage;
}

describe('the browser-mode upload', () => {
  it('answers the declared shape: a path with the bytes, or an error', async () => {
    try {
      const stored = await receiveUpload(uploadRequest('PK zip bytes', { [hostUpload.tokenHeader.toLowerCase()]: 'token' }));
      expect(hostUpload.response.parse(stored)).toEqual(stored);
      expect('path' in stored && (await readFile(stored.path, 'utf8'))).toBe('PK zip bytes');

      const tooBig = await receiveUpload(uploadRequest('0123456789', { [hostUpload.tokenHeader.toLowerCase()]: 'token' }), 4);
      expect(hostUpload.response.parse(tooBig)).toEqual({ error: 'upload exceeds 4 bytes' });
    } finally {
      await rm(uploadDir(), { recursive: true, force: true });
    }
  });

  it('refuses an upload without the token header (the CSRF guard), even when a caller forgot to check', async () => {
    expect(await receiveUpload(uploadRequest('x', {}))).toEqual({ error: `uploads need the ${hostUpload.tokenHeader} header` });
  });
});

describe('the Content-Security-Policy', () => {
  it('is strict, and its <meta> form drops only what a <meta> cannot carry', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
    expect(CONTENT_SECURITY_POLICY_META).not.toContain('frame-ancestors');
    expect(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", '')).toBe(CONTENT_SECURITY_POLICY_META);
  });

  it('is written nowhere else: index.html holds a fail-closed placeholder the build fills in from the one module', () => {
    const html = readFileSync(join(PROJECT_ROOT, 'renderer/index.html'), 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'" />`);
    const built = writeCspMeta(html);
    expect(built).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`);
    expect(built).not.toContain(`content="default-src 'none'"`);
    expect(() => writeCspMeta('<html><head></head></html>')).toThrow(/no Content-Security-Policy/);
    for (const file of ['electron/main/window.ts', 'electron/webhost/static-files.ts', 'renderer/vite.config.mts', 'renderer/index.html']) {
      expect(readFileSync(join(PROJECT_ROOT, file), 'utf8')).not.toContain("script-src 'self'");
    }
  });
});
