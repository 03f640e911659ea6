/**
 * In-memory transport for component tests: answers requests from a map of channel → function, asynchronously like
 * the real ones, so components see the same envelopes and timing shape.
 */
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import { fail, type Envelope } from '../../../shared/ipc/envelope';
import type { ServerMessage } from '../../../shared/ipc/wire';
import type { Transport } from './transport';

export type FakeHandlers = { [C in Channel]?: (input: ChannelInput<C>) => Envelope<ChannelOutput<C>> | Promise<Envelope<ChannelOutput<C>>> };

export function createFakeTransport(handlers: FakeHandlers): Transport & { readonly calls: { channel: string; input: unknown }[] } {
  let receive: ((m: ServerMessage) => void) | null = null;
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
    onClose() {},
  };
}
