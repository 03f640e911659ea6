/**
 * Read from the engine for display: the answer for the current input, whether it is still coming, and a way to ask
 * again. An answer that arrives after the input changed is dropped, so a slow reply never overwrites a newer one.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';
import type { IpcError } from '../../../shared/ipc/envelope';
import { useEnvironment } from './engine-context';

export interface EngineQuery<T> {
  readonly data: T | null;
  readonly error: IpcError | null;
  readonly loading: boolean;
  reload(): void;
}

interface Answer<T> {
  readonly key: string;
  readonly data: T | null;
  readonly error: IpcError | null;
}

/** `input` null means "nothing to ask yet". `refresh` is any value that, when it changes, asks again. */
export function useEngineQuery<C extends Channel>(channel: C, input: ChannelInput<C> | null, refresh: unknown = 0): EngineQuery<ChannelOutput<C>> {
  const { engine } = useEnvironment();
  const [reloads, setReloads] = useState(0);
  const key = input === null ? '' : JSON.stringify([channel, input, refresh, reloads]);
  const [answer, setAnswer] = useState<Answer<ChannelOutput<C>>>({ key: '', data: null, error: null });

  useEffect(() => {
    if (key === '') return;
    let live = true;
    const [c, i] = JSON.parse(key) as [C, ChannelInput<C>];
    void engine.call(c, i).then((r) => {
      if (!live) return;
      setAnswer(r.ok ? { key, data: r.value, error: null } : { key, data: null, error: r.error });
    });
    return () => {
      live = false;
    };
  }, [engine, key]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const current = answer.key === key;
  return {
    // Keep showing the previous answer while the next one comes: lists do not flash empty on every keystroke.
    data: key === '' ? null : answer.data,
    error: current ? answer.error : null,
    loading: key !== '' && !current,
    reload,
  };
}
