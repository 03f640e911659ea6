/**
 * The only bridge between the sandboxed page and Electron: one `invoke` allow-listed to the host contract's channels
 * (host-bridge.ts) and the hand-off of the MessagePort to the backend. Nothing else of Node or Electron reaches the
 * page. Imports stay free of packages: a sandboxed preload can only run what is bundled into it.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createHostBridge } from './host-bridge';

contextBridge.exposeInMainWorld('ferryHost', createHostBridge((channel, input) => ipcRenderer.invoke(channel, input)));

// The preload runs in the page's process but is type-checked with the Node layer (no DOM lib), so the one DOM call
// it makes is typed here.
const page = globalThis as unknown as { postMessage(message: string, targetOrigin: string, transfer: unknown[]): void };

// A MessagePort cannot pass through contextBridge; window.postMessage with a transfer list is the documented way.
ipcRenderer.on('ferry:port', (event) => {
  page.postMessage('ferry:port', '*', event.ports);
});
