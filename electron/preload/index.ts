/**
 * The only bridge between the sandboxed page and Electron: an allow-listed host API (native dialogs) and the hand-off
 * of the MessagePort to the backend. Nothing else of Node or Electron reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('ferryHost', {
  kind: 'electron',
  pickFeedSource: (kind: 'folder' | 'zip'): Promise<string | null> =>
    ipcRenderer.invoke('host:pick-feed-source', kind === 'zip' ? 'zip' : 'folder'),
});

// The preload runs in the page's process but is type-checked with the Node layer (no DOM lib), so the one DOM call
// it makes is typed here.
const page = globalThis as unknown as { postMessage(message: string, targetOrigin: string, transfer: unknown[]): void };

// A MessagePort cannot pass through contextBridge; window.postMessage with a transfer list is the documented way.
ipcRenderer.on('ferry:port', (event) => {
  page.postMessage('ferry:port', '*', event.ports);
});
