/**
 * A transport only moves wire messages; the client (client.ts) does ids, pending calls, progress and library
 * changes. Three of them: Electron (a MessagePort to the backend utility process), web (a WebSocket to the
 * browser-mode host) and fake (in memory, for component tests).
 */
import type { ClientMessage, ServerMessage } from '../../../shared/ipc/wire';

export interface Transport {
  send(message: ClientMessage): void;
  /** Register the one receiver; messages that arrived before are delivered then. */
  onMessage(receive: (message: ServerMessage) => void): void;
  /** Called when the link to the engine is lost (backend restarting, host stopped). */
  onClose(handler: (reason: string) => void): void;
  /**
   * Called when a link lost before is back (Electron: the backend restarted and main sent a new port). Whatever
   * changed meanwhile was never announced, so the client treats it as "everything may have changed".
   */
  onReconnect(handler: () => void): void;
}
