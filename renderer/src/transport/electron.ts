/**
 * Electron: the preload forwards a MessagePort (connected to the backend utility process) with
 * `window.postMessage('ferry:port')`, the only way a port can cross the context-isolation boundary.
 * When the backend restarts, main sends a new port and the old one is dropped.
 */
import type { ClientMessage, ServerMessage } from '../../../shared/ipc/wire';
import type { Transport } from './transport';

export function createElectronTransport(): Transport {
  let port: MessagePort | null = null;
  const queue: ClientMessage[] = [];
  let receive: ((m: ServerMessage) => void) | null = null;
  let closeHandler: ((reason: string) => void) | null = null;
  let reconnectHandler: (() => void) | null = null;

  window.addEventListener('message', (e: MessageEvent) => {
    if (e.source !== window || e.data !== 'ferry:port' || !e.ports[0]) return;
    const replaced = port;
    if (replaced) {
      replaced.onmessage = null;
      replaced.close();
      closeHandler?.('the engine restarted');
    }
    port = e.ports[0];
    port.onmessage = (m) => receive?.(m.data as ServerMessage);
    port.start();
    for (const m of queue.splice(0)) port.postMessage(m);
    if (replaced) reconnectHandler?.();
  });

  return {
    send(message) {
      if (port) port.postMessage(message);
      else queue.push(message);
    },
    onMessage(r) {
      receive = r;
    },
    onClose(h) {
      closeHandler = h;
    },
    onReconnect(h) {
      reconnectHandler = h;
    },
  };
}
