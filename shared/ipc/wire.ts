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

/**
 * Something in the library changed: pushed to every client after a commit, for this process's writes and for other
 * processes' writes (found through `PRAGMA data_version`). Clients refresh what they show from it; nothing here is
 * the new data itself, only what to ask again. Many changes close together arrive as one event.
 */
export interface LibraryChangedEvent {
  readonly type: 'library.changed';
  /** Feed settings or status changed (added, edited, removed, imported, cached). */
  readonly feeds: boolean;
  /**
   * Events that were added, changed or deleted: their uuids, or 'all' when there were too many to list or the change
   * came from another process (which cannot say what it touched).
   */
  readonly events: readonly string[] | 'all';
  /** The import log changed (a run started or ended). */
  readonly imports: boolean;
  /** A feed's cache of values changed. */
  readonly cache: boolean;
  /** Reference data (object templates, taxonomies, galaxies, warninglists) changed. */
  readonly reference: boolean;
  /** OpenPGP keys were added or removed. */
  readonly keys: boolean;
  /** Export profiles or the export history changed. */
  readonly exports: boolean;
  /** Written by another process (the command line, a producer), not by this engine. */
  readonly external: boolean;
}

export type PushedEvent = ProgressEvent | LibraryChangedEvent;

export type ServerMessage =
  | { readonly kind: 'response'; readonly id: number; readonly envelope: Envelope<unknown> }
  | { readonly kind: 'event'; readonly event: PushedEvent };
