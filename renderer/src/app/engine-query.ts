/**
 * Read from the engine for display, through the window's query cache (live-queries.ts): the answer for the current
 * input, whether it is still coming, and a way to ask again. The cache shares one request between views asking the
 * same thing, drops (and cancels) answers to an input that is no longer asked, keeps showing the previous answer
 * while the next one comes, and asks again by itself when `library.changed` says the answer may be stale.
 */
import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/envelope';
import { useEnvironment } from './engine-context';
import { callForQuery, engineQueryKey, ipcErrorOf, staleTimeOf, type EngineQueryError } from './live-queries';

export interface EngineQuery<T> {
  readonly data: T | null;
  readonly error: IpcError | null;
  /** No answer for the current input yet (the previous input's answer may still be shown meanwhile). */
  readonly loading: boolean;
  reload(): void;
}

/** `input` null means "nothing to ask yet". */
export function useEngineQuery<C extends Channel>(channel: C, input: ChannelInput<C> | null): EngineQuery<ChannelOutput<C>> {
  const { engine } = useEnvironment();
  const query = useQuery<ChannelOutput<C>, EngineQueryError>({
    queryKey: engineQueryKey(channel, input),
    queryFn: input === null ? skipToken : ({ signal }) => callForQuery(engine, channel, input, signal),
    // Lists do not flash empty on every keystroke.
    placeholderData: keepPreviousData,
    staleTime: staleTimeOf(channel),
  });
  const { refetch } = query;
  const asking = input !== null;
  const reload = useCallback(() => {
    if (asking) void refetch();
  }, [asking, refetch]);
  return {
    data: asking ? (query.data ?? null) : null,
    error: asking ? ipcErrorOf(query.error) : null,
    loading: asking && (query.isPending || query.isPlaceholderData),
    reload,
  };
}
