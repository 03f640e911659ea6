/**
 * The fake transport (renderer/src/transport/fake.ts) for every channel but `feeds.import` (and `export.run` when the
 * handlers have none for it), which the test drives by hand: it sees each request, pushes progress events for it,
 * and decides when and how it ends. Cancel
 * messages are recorded, as the engine would receive them. `push` sends any event (e.g. `library.changed` after the
 * test changed the data its handlers answer from).
 */
import type { Envelope } from '../../../shared/ipc/envelope';
import type { PushedEvent, ServerMessage } from '../../../shared/ipc/wire';
import type { ExportReport, ExportRequest, ImportReport, ImportRequest } from '../../../renderer/src/app/types';
import { createFakeTransport, type FakeHandlers } from '../../../renderer/src/transport/fake';
import type { Transport } from '../../../renderer/src/transport/transport';

export interface ScriptedRun<I, R> {
  readonly id: number;
  readonly input: I;
  progress(done: number, total: number | null, phase?: string, message?: string): void;
  finish(envelope: Envelope<R>): void;
}
export type ScriptedImport = ScriptedRun<ImportRequest, ImportReport>;
export type ScriptedExport = ScriptedRun<ExportRequest, ExportReport>;

export interface ScriptedTransport extends Transport {
  readonly calls: { channel: string; input: unknown }[];
  readonly imports: ScriptedImport[];
  readonly exports: ScriptedExport[];
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
  const exports: ScriptedExport[] = [];
  const cancels: number[] = [];
  const scripted = (channel: string) => channel === 'feeds.import' || (channel === 'export.run' && !('export.run' in handlers));
  return {
    calls: fake.calls,
    imports,
    exports,
    cancels,
    send(message) {
      if (message.kind === 'cancel') {
        cancels.push(message.id);
        return;
      }
      if (!scripted(message.channel)) return fake.send(message);
      fake.calls.push({ channel: message.channel, input: message.input });
      const id = message.id;
      const run = {
        id,
        progress: (done: number, total: number | null, phase = 'working', text?: string) =>
          receive?.({ kind: 'event', event: { type: 'progress', requestId: id, phase, done, total, ...(text ? { message: text } : {}) } }),
        finish: (envelope: Envelope<never>) => receive?.({ kind: 'response', id, envelope }),
      };
      if (message.channel === 'export.run') exports.push({ ...run, input: message.input as ExportRequest });
      else imports.push({ ...run, input: message.input as ImportRequest });
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
