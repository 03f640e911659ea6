/**
 * The engine's only door. Every request is checked against the contract (known channel, valid input), run with a
 * cancel signal and a progress callback, and always answered with an envelope: a handler that throws becomes an
 * `internal` error here instead of an exception crossing a process boundary.
 */
import type { z } from 'zod';
import { contract, isChannel, type Channel, type ChannelOutput, type Contract } from '../../shared/ipc/contract';
import { fail, ok, type Envelope } from '../../shared/ipc/envelope';
import { clientMessageSchema, type LibraryChangedEvent, type ServerMessage } from '../../shared/ipc/wire';
import { issue } from '../../shared/feed/issues';
import type { Result } from './result';

export interface Progress {
  readonly phase: string;
  readonly done: number;
  readonly total: number | null;
  readonly message?: string;
}

export interface HandlerContext {
  readonly signal: AbortSignal;
  progress(p: Progress): void;
}

export type Handler<C extends Channel> = (
  input: z.output<Contract[C]['input']>,
  ctx: HandlerContext,
) => Promise<Result<ChannelOutput<C>>>;

/** A mapped type over the contract: forgetting a channel's handler is a compile error. */
export type Handlers = { readonly [C in Channel]: Handler<C> };

export interface Dispatcher {
  call(channel: string, input: unknown, ctx: HandlerContext): Promise<Envelope<unknown>>;
  /** One client connection (a window's MessagePort, a WebSocket): parses raw messages, tracks cancellation. */
  connect(send: (message: ServerMessage) => void): Connection;
  /** Push a change to every open connection. */
  broadcast(event: LibraryChangedEvent): void;
}

export interface Connection {
  receive(raw: unknown): void;
  close(): void;
}

const NEVER_ABORTED = new AbortController().signal;

export function createDispatcher(handlers: Handlers, onInternalError: (e: unknown) => void = () => {}): Dispatcher {
  async function call(channel: string, input: unknown, ctx: HandlerContext): Promise<Envelope<unknown>> {
    if (!isChannel(channel)) return fail('unknown-channel', `unknown channel "${channel.slice(0, 100)}"`);
    const spec = contract[channel];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first && first.path.length > 0 ? first.path.join('.') + ': ' : '';
      const issues = parsed.error.issues.map((i) => issue('error', 'input.invalid', i.path.join('.'), i.message));
      return fail('invalid-input', `${channel}: ${where}${first?.message ?? 'invalid input'}`, issues);
    }
    try {
      // The cast is the one place the mapped handler type meets a runtime channel name.
      const handler = handlers[channel] as Handler<Channel>;
      const result = await handler(parsed.data as never, ctx);
      if (!result.ok) return result;
      const checked = spec.output.safeParse(result.value);
      if (!checked.success) {
        onInternalError(checked.error);
        return fail('internal', `${channel}: the engine produced an answer that breaks the contract`);
      }
      return ok(checked.data);
    } catch (e) {
      if (ctx.signal.aborted) return fail('cancelled', `${channel}: cancelled`);
      onInternalError(e);
      return fail('internal', `${channel}: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  const connections = new Set<(m: ServerMessage) => void>();

  function connect(send: (message: ServerMessage) => void): Connection {
    const inFlight = new Map<number, AbortController>();
    let closed = false;
    const safeSend = (m: ServerMessage) => {
      if (!closed) send(m);
    };
    connections.add(safeSend);
    return {
      receive(raw) {
        const message = clientMessageSchema.safeParse(raw);
        if (!message.success) {
          // Answer when we can tell which request it was; otherwise there is nobody to answer.
          const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
          if (typeof id === 'number') safeSend({ kind: 'response', id, envelope: fail('invalid-input', 'malformed message') });
          return;
        }
        const m = message.data;
        switch (m.kind) {
          case 'cancel':
            inFlight.get(m.id)?.abort();
            return;
          case 'request': {
            const controller = new AbortController();
            inFlight.set(m.id, controller);
            const ctx: HandlerContext = {
              signal: controller.signal,
              progress: (p) => safeSend({ kind: 'event', event: { type: 'progress', requestId: m.id, ...p } }),
            };
            void call(m.channel, m.input, ctx).then((envelope) => {
              inFlight.delete(m.id);
              safeSend({ kind: 'response', id: m.id, envelope });
            });
            return;
          }
          default: {
            const exhaustive: never = m;
            return exhaustive;
          }
        }
      },
      close() {
        closed = true;
        connections.delete(safeSend);
        for (const c of inFlight.values()) c.abort();
        inFlight.clear();
      },
    };
  }

  function broadcast(event: LibraryChangedEvent): void {
    for (const send of connections) send({ kind: 'event', event });
  }

  return { call, connect, broadcast };
}

/** For in-process callers (CLI, tests) that have no progress to show and nothing to cancel. */
export const quietContext: HandlerContext = { signal: NEVER_ABORTED, progress: () => {} };
