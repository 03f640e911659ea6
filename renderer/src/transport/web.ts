/**
 * Browser mode: a WebSocket back to the host that served the page. The token arrives in the page URL once; it is
 * kept in sessionStorage and removed from the address bar so it is not left in history or screenshots.
 */
import type { ClientMessage, ServerMessage } from '../../../shared/ipc/wire';
import type { Transport } from './transport';

const TOKEN_KEY = 'ferry.token';

export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function createWebTransport(token: string): Transport {
  const socket = new WebSocket(`ws://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
  const queue: ClientMessage[] = [];
  let receive: ((m: ServerMessage) => void) | null = null;
  let closeHandler: ((reason: string) => void) | null = null;

  socket.addEventListener('open', () => {
    for (const m of queue.splice(0)) socket.send(JSON.stringify(m));
  });
  socket.addEventListener('message', (e) => {
    if (typeof e.data === 'string') receive?.(JSON.parse(e.data) as ServerMessage);
  });
  socket.addEventListener('close', () => closeHandler?.('the Ferry host stopped or refused the connection'));

  return {
    send(message) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
      else queue.push(message);
    },
    onMessage(r) {
      receive = r;
    },
    onClose(h) {
      closeHandler = h;
    },
  };
}

/** Send a dropped file's bytes to the host; it answers with a path the engine may open. */
export async function uploadFile(file: File, token: string): Promise<{ path: string } | { error: string }> {
  const response = await fetch('/api/upload', { method: 'POST', body: file, headers: { 'X-Ferry-Token': token } });
  return (await response.json()) as { path: string } | { error: string };
}
