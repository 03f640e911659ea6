/**
 * Starts the backend utility process, restarts it if it dies (with a back-off so a crash loop does not spin), and
 * connects every window to it with a fresh MessageChannel.
 */
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';

export interface BackendSupervisor {
  connect(contents: WebContents): void;
  stop(): void;
}

export function superviseBackend(entry: string, dbPath: string): BackendSupervisor {
  let child: UtilityProcess | null = null;
  let stopping = false;
  let restarts = 0;
  const windows = new Set<WebContents>();

  const handOver = (contents: WebContents) => {
    if (!child || contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    child.postMessage('ferry:connect', [port1]);
    contents.postMessage('ferry:port', null, [port2]);
  };

  const start = () => {
    child = utilityProcess.fork(entry, [], { serviceName: 'Ferry engine', env: { ...process.env, FERRY_DB: dbPath } });
    child.on('spawn', () => {
      restarts = 0;
      for (const w of windows) handOver(w);
    });
    child.on('exit', () => {
      child = null;
      if (stopping) return;
      const delay = Math.min(30_000, 250 * 2 ** restarts++);
      setTimeout(start, delay);
    });
  };
  start();

  return {
    connect(contents) {
      windows.add(contents);
      contents.once('destroyed', () => windows.delete(contents));
      handOver(contents);
    },
    stop() {
      stopping = true;
      child?.kill();
    },
  };
}
