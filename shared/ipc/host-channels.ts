/**
 * The host channels' names and the bridge the preload exposes, without their schemas (those are in
 * host-contract.ts, which checks it declares exactly these names). Kept apart so the preload can import the
 * allow-list without zod: a sandboxed preload cannot load packages, only what is bundled into it.
 */
import type { Envelope } from './envelope';

export const HOST_CHANNELS = ['host.pickFeedSource', 'host.pickSavePath', 'host.revealPath'] as const;
export type HostChannel = (typeof HOST_CHANNELS)[number];

export function isHostChannel(name: unknown): name is HostChannel {
  return typeof name === 'string' && (HOST_CHANNELS as readonly string[]).includes(name);
}

/** What the preload puts on `window.ferryHost`; absent in browser mode. */
export interface HostBridge {
  readonly kind: 'electron';
  readonly channels: readonly HostChannel[];
  /** Never rejects: a refusal (unknown channel, invalid input, untrusted frame) comes back as an error envelope. */
  invoke(channel: HostChannel, input: unknown): Promise<Envelope<unknown>>;
}
