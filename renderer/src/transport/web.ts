/**
 * Browser mode: a WebSocket back to the host that served the page. The token arrives in the page URL once; it is
 * kept in sessionStorage and removed from the address bar so it is not left in history or screenshots.
 */
import { hostUpload, type UploadResponse } from '../../../shared/ipc/host-contract';
import type { ClientMessage, ServerMessage } from '../../../shared/ipc/wire';
import type { Transport } from './transport';

const TOKEN_KEY = 'ferry.token';
const CLOSED_REASON = 'the Ferry host stopped or refused the connection';

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

/** One socket for the page's life: when the host stops, reloading the page (with a new host's address) reconnects. */
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
  socket.addEventListener('close', () => closeHandler?.(CLOSED_REASON));

  return {
    send(message) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
      else if (socket.readyState === WebSocket.CONNECTING) queue.push(message);
      // Closed for good: fail what is waiting (this request included) instead of leaving it queued forever.
      else closeHandler?.(CLOSED_REASON);
    },
    onMessage(r) {
      receive = r;
    },
    onClose(h) {
      closeHandler = h;
    },
    // A closed socket is not reopened (see above), so there is no reconnection to announce.
    onReconnect() {},
  };
}

/** Send a dropped file's bytes to the host (hostUpload in the host contract); it answers with a path the engine may open. */
export async function uploadFile(file: File, token: string): Promise<UploadResponse> {
  if (file.size > hostUpload.maxBytes) return { error: `larger than the ${hostUpload.maxBytes / 1024 ** 3} GiB the host accepts` };
  try {
    const response = await fetch(hostUpload.path, { method: hostUpload.method, body: file, headers: { [hostUpload.tokenHeader]: token } });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // A refusal (401, 403) is plain text.
    }
    const parsed = hostUpload.response.safeParse(body);
    if (parsed.success) return parsed.data;
    return { error: `the host refused the upload (${response.status}): ${text.trim().slice(0, 200)}` };
  } catch (e) {
    return { error: `the upload failed: ${(e as Error).message}` };
  }
}
