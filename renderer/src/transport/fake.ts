/**
 * In-memory transport for component tests: answers requests from a map of channel → function, asynchronously like
 * the real ones, so components see the same envelopes and timing shape. `push` sends an event as the engine would
 * (a `library.changed` after the test changed the fake's data); `reconnect` plays a backend restart.
 */
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import { fail, type Envelope } from '../../../shared/ipc/envelope';
import type { LibraryChangedEvent, PushedEvent, ServerMessage } from '../../../shared/ipc/wire';
import type { Transport } from './transport';

export type FakeHandlers = { [C in Channel]?: (input: ChannelInput<C>) => Envelope<ChannelOutput<C>> | Promise<Envelope<ChannelOutput<C>>> };

export interface FakeTransport extends Transport {
  readonly calls: { channel: string; input: unknown }[];
  /** Deliver an event pushed by the engine. */
  push(event: PushedEvent): void;
  /** The link dropped and came back (pending calls fail; listeners hear that everything may have changed). */
  reconnect(): void;
}

/** A `library.changed` event with nothing changed but what `changes` says. */
export function libraryChanged(changes: Partial<Omit<LibraryChangedEvent, 'type'>>): LibraryChangedEvent {
  return { type: 'library.changed', feeds: false, events: [], imports: false, cache: false, reference: false, keys: false, exports: false, external: false, ...changes };
}

export function createFakeTransport(handlers: FakeHandlers): FakeTransport {
  let receive: ((m: ServerMessage) => void) | null = null;
  let closeHandler: ((reason: string) => void) | null = null;
  let reconnectHandler: (() => void) | null = null;
  const calls: { channel: string; input: unknown }[] = [];
  return {
    calls,
    send(message) {
      if (message.kind !== 'request') return;
      calls.push({ channel: message.channel, input: message.input });
      const handler = handlers[message.channel as Channel] as ((i: unknown) => Envelope<unknown> | Promise<Envelope<unknown>>) | undefined;
      void Promise.resolve(handler ? handler(message.input) : fail('unknown-channel', `fake: no handler for ${message.channel}`)).then(
        (envelope) => receive?.({ kind: 'response', id: message.id, envelope }),
      );
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
    push(event) {
      // Asynchronous like a real push: it arrives on a later task than whatever the test just did.
      void Promise.resolve().then(() => receive?.({ kind: 'event', event }));
    },
    reconnect() {
      closeHandler?.('fake: the engine restarted');
      reconnectHandler?.();
    },
  };
}
