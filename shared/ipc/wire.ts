/**
 * Messages on the wire between a UI client and the engine, the same over a MessagePort (Electron) and a WebSocket
 * (browser mode). The engine validates every incoming message with `clientMessageSchema` before looking at it.
 */
import { z } from 'zod';
import type { Envelope } from './envelope';

export const clientMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('request'),
    id: z.number().int().nonnegative(),
    channel: z.string().max(100),
    input: z.unknown(),
  }),
  z.object({ kind: z.literal('cancel'), id: z.number().int().nonnegative() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** Progress of long work (import, cache, export), pushed while the request is open. */
export interface ProgressEvent {
  readonly type: 'progress';
  /** The id of the request doing the work, so the UI can cancel it. */
  readonly requestId: number;
  readonly phase: string;
  readonly done: number;
  readonly total: number | null;
  readonly message?: string;
}

export type PushedEvent = ProgressEvent;

export type ServerMessage =
  | { readonly kind: 'response'; readonly id: number; readonly envelope: Envelope<unknown> }
  | { readonly kind: 'event'; readonly event: PushedEvent };
