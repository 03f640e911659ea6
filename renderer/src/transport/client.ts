import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import { fail, type Envelope } from '../../../shared/ipc/envelope';
import type { ProgressEvent, ServerMessage } from '../../../shared/ipc/wire';
import type { Transport } from './transport';

export interface CallOptions {
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly signal?: AbortSignal;
}

export interface EngineClient {
  call<C extends Channel>(channel: C, input: ChannelInput<C>, options?: CallOptions): Promise<Envelope<ChannelOutput<C>>>;
}

interface Pending {
  resolve(envelope: Envelope<unknown>): void;
  onProgress?: (event: ProgressEvent) => void;
}

/** Typed calls over any transport. A call never rejects: failures come back as error envelopes. */
export function createClient(transport: Transport): EngineClient {
  let nextId = 1;
  const pending = new Map<number, Pending>();

  transport.onMessage((message: ServerMessage) => {
    switch (message.kind) {
      case 'response': {
        const p = pending.get(message.id);
        pending.delete(message.id);
        p?.resolve(message.envelope);
        return;
      }
      case 'event':
        pending.get(message.event.requestId)?.onProgress?.(message.event);
        return;
      default: {
        const exhaustive: never = message;
        return exhaustive;
      }
    }
  });
  transport.onClose((reason) => {
    for (const p of pending.values()) p.resolve(fail('unavailable', `lost the connection to the engine: ${reason}`));
    pending.clear();
  });

  return {
    call(channel, input, options = {}) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, {
          resolve: resolve as (e: Envelope<unknown>) => void,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
        options.signal?.addEventListener('abort', () => transport.send({ kind: 'cancel', id }), { once: true });
        transport.send({ kind: 'request', id, channel, input });
      });
    },
  };
}
