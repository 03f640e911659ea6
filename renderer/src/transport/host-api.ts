/**
 * The desktop host (native dialogs, reveal in folder), typed from the host contract (shared/ipc/host-contract.ts)
 * over the preload's one allow-listed `invoke`. Absent in browser mode, which has no native host.
 */
import type { HostBridge } from '../../../shared/ipc/host-channels';
import { createHostClient, type HostClient } from '../../../shared/ipc/host-contract';

export type { HostClient } from '../../../shared/ipc/host-contract';

declare global {
  interface Window {
    ferryHost?: HostBridge;
  }
}

export function hostClient(): HostClient | null {
  const bridge = window.ferryHost;
  return bridge?.kind === 'electron' ? createHostClient(bridge) : null;
}
