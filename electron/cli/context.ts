import { openEngine, type Engine } from '../backend/engine';
import { resolveLibraryPath } from '../backend/library-path';
import type { HandlerContext } from '../backend/dispatch';
import type { Output } from './output';

export interface GlobalOptions {
  readonly db?: string;
  readonly json?: boolean;
}

/** Open the engine for one command; reports and returns null when the library cannot be opened. */
export function engineFor(options: GlobalOptions, output: Output): Engine | null {
  const opened = openEngine({ dbPath: resolveLibraryPath(options.db) });
  if (!opened.ok) {
    output.error(opened.error);
    return null;
  }
  return opened.value;
}

/** Progress goes to stderr, only when a person is watching. */
export function cliContext(output: Output): HandlerContext {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const tty = !output.json && process.stderr.isTTY;
  return {
    signal: controller.signal,
    progress(p) {
      if (!tty) return;
      const of = p.total !== null ? `/${p.total}` : '';
      process.stderr.write(`\r${p.phase} ${p.done}${of}${p.message ? ' ' + p.message : ''}\x1b[K`);
    },
  };
}
