/**
 * The renderer's one query cache (TanStack Query) over the engine, kept live by `library.changed`: every engine
 * read is a query keyed `[channel, input]`, and each pushed change invalidates exactly the queries it can have made
 * stale, so every open view refreshes itself — after this window's writes, another window's, or the command line's.
 * Features never fetch by hand and never say "refresh" to each other.
 */
import { QueryClient } from '@tanstack/react-query';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/envelope';
import type { LibraryChangedEvent } from '../../../shared/ipc/wire';
import type { EngineClient } from '../transport/client';

/** Channels that read a folder or zip on disk, not the library: no library change makes them stale. */
const SOURCE_CHANNELS: ReadonlySet<string> = new Set<Channel>(['feeds.preview', 'feeds.previewEvent', 'feeds.verify']);

export type EngineQueryKey<C extends Channel = Channel> = readonly [C, ChannelInput<C> | null];

export function engineQueryKey<C extends Channel>(channel: C, input: ChannelInput<C> | null): EngineQueryKey<C> {
  return [channel, input];
}

/** The part of the channel name before the dot: `events.get` → `events`. */
const areaOf = (channel: string) => channel.slice(0, channel.indexOf('.'));

function eventsAffected(events: LibraryChangedEvent['events'], input: unknown): boolean {
  if (events === 'all') return true;
  if (events.length === 0) return false;
  const uuid = typeof input === 'object' && input !== null ? (input as { uuid?: unknown }).uuid : undefined;
  // One event's view (events.get, its attributes…) only when that event changed; lists and counts always.
  return typeof uuid === 'string' ? events.includes(uuid) : true;
}

/**
 * Can this change have made the answer of the query with this key stale? The map, by channel area:
 * - feeds.*    feed settings or status changed, or a feed's cache (its value count, when)
 * - events.*   one event's queries when that event changed; every list when any did ('all': every events query)
 * - search.*   a feed's cache changed, or any event (search.value reports stored attributes too)
 * - imports.*  the import log changed
 * - reference.* reference data changed (no such channel yet)
 * - keys.*     the OpenPGP keys changed
 * - export.*   what an export would select: any event change (export.count), or the profiles and history
 * A change written by another process cannot say what it touched: it makes everything stale. Sources on disk
 * (feeds.preview, feeds.previewEvent) are never made stale by the library.
 */
export function isAffected(event: LibraryChangedEvent, key: readonly unknown[]): boolean {
  const [channel, input] = key;
  // A feed's signature reads differently once its producer's key is trusted (or forgotten).
  if (channel === 'feeds.verify') return event.keys || event.external;
  if (typeof channel !== 'string' || SOURCE_CHANNELS.has(channel)) return false;
  if (event.external) return true;
  switch (areaOf(channel)) {
    case 'feeds':
      return event.feeds || event.cache;
    case 'events':
      return eventsAffected(event.events, input);
    case 'search':
      return event.cache || event.events === 'all' || event.events.length > 0;
    case 'imports':
      return event.imports;
    case 'reference':
      return event.reference;
    case 'keys':
      return event.keys;
    case 'export':
      return event.exports || event.events === 'all' || event.events.length > 0;
    default:
      return false;
  }
}

/** Library answers stay fresh until a change says otherwise; a folder or zip is read again when reopened. */
export function staleTimeOf(channel: Channel): number {
  return SOURCE_CHANNELS.has(channel) ? 0 : Infinity;
}

/** An error envelope, carried through the query cache as the query's error (never thrown to an error boundary). */
export class EngineQueryError extends Error {
  constructor(readonly ipc: IpcError) {
    super(ipc.message);
    this.name = 'EngineQueryError';
  }
}

export function ipcErrorOf(error: unknown): IpcError | null {
  if (error === null || error === undefined) return null;
  if (error instanceof EngineQueryError) return error.ipc;
  return { code: 'internal', message: (error as Error)?.message ?? String(error) };
}

/** One engine call as a query function: the value, or the error envelope thrown as an EngineQueryError. */
export async function callForQuery<C extends Channel>(engine: EngineClient, channel: C, input: ChannelInput<C>, signal: AbortSignal): Promise<ChannelOutput<C>> {
  const result = await engine.call(channel, input, { signal });
  if (result.ok) return result.value;
  throw new EngineQueryError(result.error);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The engine is local: whether the machine has a network (an air-gapped one often has none) is irrelevant.
        networkMode: 'always',
        // Engine errors are answers (not found, invalid input), not flaky networks: asking again gives the same.
        retry: false,
        // Changes are pushed; focus and "online" events say nothing about the library.
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        staleTime: Infinity,
        // An unmounted view's answer (an event can be large) is kept a minute for going back, then dropped.
        gcTime: 60_000,
      },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}

/** Invalidate what each pushed change makes stale; active queries ask again at once, others when next shown. */
export function connectLiveQueries(engine: EngineClient, queryClient: QueryClient): () => void {
  return engine.onLibraryChanged((event) => {
    void queryClient.invalidateQueries({ predicate: (query) => isAffected(event, query.queryKey) });
  });
}
