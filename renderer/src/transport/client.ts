import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import { fail, type Envelope } from '../../../shared/ipc/envelope';
import type { LibraryChangedEvent, ProgressEvent, ServerMessage } from '../../../shared/ipc/wire';
import type { Transport } from './transport';

export interface CallOptions {
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly signal?: AbortSignal;
}

export interface EngineClient {
  call<C extends Channel>(channel: C, input: ChannelInput<C>, options?: CallOptions): Promise<Envelope<ChannelOutput<C>>>;
  /**
   * Listen to `library.changed`, pushed by the engine after every commit (this window's writes, other windows',
   * other processes'). After a reconnection the listeners get one event saying everything changed, since what
   * happened while the link was down was never announced. Returns the way to stop listening.
   */
  onLibraryChanged(listener: (event: LibraryChangedEvent) => void): () => void;
}

/** What a listener hears when nobody can say what changed. */
export const EVERYTHING_CHANGED: LibraryChangedEvent = {
  type: 'library.changed',
  feeds: true,
  events: 'all',
  imports: true,
  cache: true,
  reference: true,
  keys: true,
  exports: true,
  external: true,
};

interface Pending {
  resolve(envelope: Envelope<unknown>): void;
  onProgress?: (event: ProgressEvent) => void;
}

/** Typed calls over any transport. A call never rejects: failures come back as error envelopes. */
export function createClient(transport: Transport): EngineClient {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: LibraryChangedEvent) => void>();

  const announce = (event: LibraryChangedEvent) => {
    for (const listener of [...listeners]) listener(event);
  };

  transport.onMessage((message: ServerMessage) => {
    switch (message.kind) {
      case 'response': {
        const p = pending.get(message.id);
        pending.delete(message.id);
        p?.resolve(message.envelope);
        return;
      }
      case 'event': {
        const event = message.event;
        switch (event.type) {
          case 'progress':
            pending.get(event.requestId)?.onProgress?.(event);
            return;
          case 'library.changed':
            announce(event);
            return;
          default: {
            const exhaustive: never = event;
            return exhaustive;
          }
        }
      }
      default: {
        const exhaustive: never = message;
        return exhaustive;
      }
    }
  });
  transport.onClose((reason) => {
    const waiting = [...pending.values()];
    pending.clear();
    for (const p of waiting) p.resolve(fail('unavailable', `lost the connection to the engine: ${reason}`));
  });
  transport.onReconnect(() => announce(EVERYTHING_CHANGED));

  return {
    call(channel, input, options = {}) {
      const id = nextId++;
      const { signal } = options;
      if (signal?.aborted) return Promise.resolve(fail('cancelled', `${channel}: cancelled`));
      return new Promise((resolve) => {
        const cancel = () => transport.send({ kind: 'cancel', id });
        pending.set(id, {
          resolve: (envelope) => {
            signal?.removeEventListener('abort', cancel);
            (resolve as (e: Envelope<unknown>) => void)(envelope);
          },
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
        signal?.addEventListener('abort', cancel, { once: true });
        transport.send({ kind: 'request', id, channel, input });
      });
    },
    onLibraryChanged(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
