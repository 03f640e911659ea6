import { join } from 'node:path';
import { quietContext } from '../../electron/backend/dispatch';
import { openEngine, type Engine } from '../../electron/backend/engine';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import type { EngineOptions } from '../../electron/backend/engine';
import type { WriteHandle } from '../../electron/backend/db/handles';

/** A real engine on a fresh library file in `dir`. */
export function testEngine(dir: string, options: Omit<EngineOptions, 'dbPath'> = {}): Engine & { call<C extends Channel>(c: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> } {
  const opened = openEngine({ dbPath: join(dir, 'library.sqlite'), ...options });
  if (!opened.ok) throw new Error(opened.error.message);
  const engine = opened.value;
  return Object.assign(engine, {
    /** Call through the dispatcher like the UI does; throws on an error envelope (tests expecting one use dispatcher.call). */
    async call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
      const r = await engine.dispatcher.call(channel, input, quietContext);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value as ChannelOutput<C>;
    },
  });
}

export function count(engine: Engine, table: string): number {
  return engine.read((db) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number);
}

/** A write straight into the library through the engine's one writer (tests that set up odd states). */
export async function writeDirect(engine: Engine, fn: (db: WriteHandle) => void): Promise<void> {
  const r = await engine.writer.write('test', (step) => {
    fn(step.db);
    return { ok: true, value: undefined };
  });
  if (!r.ok) throw new Error(r.error.message);
}
