/**
 * What the preload exposes as `window.ferryHost`: one `invoke` limited to the host contract's channel names.
 * Without Electron (the preload passes ipcRenderer.invoke in), so the allow-list is tested as it runs.
 */
import { fail, type Envelope } from '../../shared/ipc/envelope';
import { HOST_CHANNELS, isHostChannel, type HostBridge } from '../../shared/ipc/host-channels';

export type IpcInvoke = (channel: string, input: unknown) => Promise<unknown>;

export function createHostBridge(invoke: IpcInvoke): HostBridge {
  return {
    kind: 'electron',
    channels: [...HOST_CHANNELS],
    invoke(channel, input) {
      if (!isHostChannel(channel)) return Promise.resolve(fail('unknown-channel', `unknown host channel "${String(channel).slice(0, 100)}"`));
      return (invoke(channel, input) as Promise<Envelope<unknown>>).catch((e: unknown) =>
        fail('unavailable', `${channel}: the desktop host did not answer: ${(e as Error)?.message ?? String(e)}`),
      );
    },
  };
}
