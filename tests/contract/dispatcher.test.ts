import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/backend/db/migrations';
import { createDispatcher, quietContext, type Handlers } from '../../electron/backend/dispatch';
import { openEngine } from '../../electron/backend/engine';
import { failure, success } from '../../electron/backend/result';
import { CHANNELS, contract } from '../../shared/ipc/contract';
import type { ServerMessage } from '../../shared/ipc/wire';
import { useTempDirs } from '../support/temp';

const tempDir = useTempDirs();

function engine() {
  const opened = openEngine({ dbPath: join(tempDir(), 'lib.sqlite') });
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.value;
}

describe('the IPC contract', () => {
  it('documents every channel', () => {
    for (const c of CHANNELS) expect(contract[c].doc.length).toBeGreaterThan(10);
  });
});

describe('the dispatcher', () => {
  it('rejects an unknown channel with an error envelope', async () => {
    const e = engine();
    const r = await e.dispatcher.call('feeds.rmrf', {}, quietContext);
    expect(r).toEqual({ ok: false, error: { code: 'unknown-channel', message: 'unknown channel "feeds.rmrf"' } });
    e.close();
  });

  it.each([
    ['a missing field', {}],
    ['a wrong type', { source: 42 }],
    ['an empty path', { source: '' }],
    ['a NUL byte in a path', { source: '/tmp/a\0b' }],
    ['an extra field', { source: '/tmp', evil: true }],
    ['not an object', 'feeds'],
    ['null', null],
  ])('rejects a malformed payload (%s) with invalid-input', async (_label, input) => {
    const e = engine();
    const r = await e.dispatcher.call('feeds.preview', input, quietContext);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-input');
      expect(r.error.message).toMatch(/^feeds\.preview: /);
    }
    e.close();
  });

  it('answers app.info with the library path and schema', async () => {
    const e = engine();
    const r = await e.dispatcher.call('app.info', {}, quietContext);
    expect(r.ok && r.value).toMatchObject({ dbPath: e.dbPath, schemaVersion: MIGRATIONS.at(-1)!.version });
    e.close();
  });

  // Every channel answers not-found unless a test says otherwise.
  const handlers = (overrides: Partial<Handlers>): Handlers =>
    ({
      ...Object.fromEntries(CHANNELS.map((c) => [c, async () => failure('not-found', 'nothing here')])),
      'app.info': async () => success({ version: 'x', dbPath: 'x', schemaVersion: 0 }),
      ...overrides,
    }) as Handlers;

  it('turns a throwing handler into an internal error instead of throwing', async () => {
    const seen: unknown[] = [];
    const d = createDispatcher(handlers({ 'app.info': async () => { throw new Error('boom'); } }), (e) => seen.push(e));
    const r = await d.call('app.info', {}, quietContext);
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'app.info: boom' } });
    expect(seen).toHaveLength(1);
  });

  it('refuses to send an answer that breaks its own output schema', async () => {
    const d = createDispatcher(handlers({ 'app.info': async () => success({ version: 1 } as never) }));
    const r = await d.call('app.info', {}, quietContext);
    expect(!r.ok && r.error.code).toBe('internal');
  });

  it('passes handler errors through as envelopes', async () => {
    const d = createDispatcher(handlers({}));
    expect(await d.call('feeds.preview', { source: '/x' }, quietContext)).toEqual({ ok: false, error: { code: 'not-found', message: 'nothing here' } });
  });

  describe('a connection', () => {
    const collect = () => {
      const sent: ServerMessage[] = [];
      return { sent, send: (m: ServerMessage) => sent.push(m) };
    };
    const settle = () => new Promise((r) => setTimeout(r, 20));

    it('answers a malformed message that has an id, and ignores one that has none', async () => {
      const d = createDispatcher(handlers({}));
      const { sent, send } = collect();
      const c = d.connect(send);
      c.receive({ kind: 'request', id: 7 });
      c.receive('garbage');
      c.receive({ kind: 'launch-missiles' });
      await settle();
      expect(sent).toEqual([{ kind: 'response', id: 7, envelope: { ok: false, error: { code: 'invalid-input', message: 'malformed message' } } }]);
    });

    it('pushes progress and lets the client cancel', async () => {
      const d = createDispatcher(
        handlers({
          'feeds.preview': async (_input, ctx) => {
            ctx.progress({ phase: 'reading', done: 1, total: 2 });
            await new Promise((r) => setTimeout(r, 50));
            if (ctx.signal.aborted) return failure('cancelled', 'stopped');
            return failure('internal', 'should have been cancelled');
          },
        }),
      );
      const { sent, send } = collect();
      const c = d.connect(send);
      c.receive({ kind: 'request', id: 1, channel: 'feeds.preview', input: { source: '/x' } });
      await settle();
      c.receive({ kind: 'cancel', id: 1 });
      await new Promise((r) => setTimeout(r, 80));
      expect(sent[0]).toEqual({ kind: 'event', event: { type: 'progress', requestId: 1, phase: 'reading', done: 1, total: 2 } });
      expect(sent[1]).toEqual({ kind: 'response', id: 1, envelope: { ok: false, error: { code: 'cancelled', message: 'stopped' } } });
    });
  });
});
