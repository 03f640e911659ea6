/**
 * The fake transport (renderer/src/transport/fake.ts) for every channel but `feeds.import`, which the test drives by
 * hand: it sees each import request, pushes progress events for it, and decides when and how it ends. Cancel
 * messages are recorded, as the engine would receive them. `push` sends any event (e.g. `library.changed` after the
 * test changed the data its handlers answer from).
 */
import type { Envelope } from '../../../shared/ipc/envelope';
import type { PushedEvent, ServerMessage } from '../../../shared/ipc/wire';
import type { ImportReport, ImportRequest } from '../../../renderer/src/app/types';
import { createFakeTransport, type FakeHandlers } from '../../../renderer/src/transport/fake';
import type { Transport } from '../../../renderer/src/transport/transport';

export interface ScriptedImport {
  readonly id: number;
  readonly input: ImportRequest;
  progress(done: number, total: number | null, phase?: string, message?: string): void;
  finish(envelope: Envelope<ImportReport>): void;
}

export interface ScriptedTransport extends Transport {
  readonly calls: { channel: string; input: unknown }[];
  readonly imports: ScriptedImport[];
  readonly cancels: number[];
  push(event: PushedEvent): void;
  reconnect(): void;
}

export function createScriptedTransport(handlers: FakeHandlers): ScriptedTransport {
  const fake = createFakeTransport(handlers);
  let receive: ((m: ServerMessage) => void) | null = null;
  fake.onMessage((m) => receive?.(m));
  let closeHandler: ((reason: string) => void) | null = null;
  let reconnectHandler: (() => void) | null = null;
  fake.onClose((reason) => closeHandler?.(reason));
  fake.onReconnect(() => reconnectHandler?.());
  const imports: ScriptedImport[] = [];
  const cancels: number[] = [];
  return {
    calls: fake.calls,
    imports,
    cancels,
    send(message) {
      if (message.kind === 'cancel') {
        cancels.push(message.id);
        return;
      }
      if (message.channel !== 'feeds.import') return fake.send(message);
      fake.calls.push({ channel: message.channel, input: message.input });
      const id = message.id;
      imports.push({
        id,
        input: message.input as ImportRequest,
        progress: (done, total, phase = 'importing', text) =>
          receive?.({ kind: 'event', event: { type: 'progress', requestId: id, phase, done, total, ...(text ? { message: text } : {}) } }),
        finish: (envelope) => receive?.({ kind: 'response', id, envelope }),
      });
    },
    onMessage(r) {
      receive = r;
    },
    onClose(h) {
      closeHandler = h;
    },
    onReconnect(h) {
      reconnectHandler = h;
    },
    push: (event) => fake.push(event),
    reconnect: () => fake.reconnect(),
  };
}
