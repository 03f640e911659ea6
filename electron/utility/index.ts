/**
 * The backend in its own process (Electron utilityProcess: plain Node, no Electron API used), so a long import or a
 * big query never freezes a window. main hands over one MessagePort per window; each becomes a dispatcher connection.
 */
import { openEngine } from '../backend/engine';
import type { ServerMessage } from '../../shared/ipc/wire';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: MessagePortLike[] }) => void): void;
}
interface MessagePortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}

// Electron adds parentPort to `process` in a utility process; typed locally so this file needs no Electron import.
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const dbPath = process.env['FERRY_DB'];
if (!parentPort || !dbPath) {
  process.stderr.write('ferry backend: must be started by Ferry with FERRY_DB set\n');
  process.exit(2);
}

const sqliteBinding = process.env['FERRY_SQLITE_BINDING'];
const opened = openEngine({
  dbPath,
  ...(sqliteBinding ? { sqliteBinding } : {}),
  onInternalError: (e) => process.stderr.write(`ferry backend: ${String(e)}\n`),
});
if (!opened.ok) {
  process.stderr.write(`ferry backend: ${opened.error.message}\n`);
  process.exit(1);
}
const engine = opened.value;

parentPort.on('message', (e) => {
  if (e.data !== 'ferry:connect' || !e.ports[0]) return;
  const port = e.ports[0];
  const connection = engine.dispatcher.connect((m: ServerMessage) => port.postMessage(m));
  port.on('message', (m) => connection.receive(m.data));
  port.on('close', () => connection.close());
  port.start();
});

process.on('exit', () => engine.close());
