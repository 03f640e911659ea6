import { SingleBar, Presets } from 'cli-progress';
import { openEngine, type Engine } from '../backend/engine';
import { resolveLibraryPath } from '../backend/library-path';
import type { HandlerContext } from '../backend/dispatch';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { EXIT, settle, type Output } from './output';

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

/** Progress bars on stderr, only when a person is watching; Ctrl+C cancels cleanly (the library stays consistent). */
export function cliContext(output: Output): HandlerContext & { stop(): void } {
  const controller = new AbortController();
  const onInterrupt = () => {
    process.stderr.write('\ncancelling…\n');
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  const tty = !output.json && process.stderr.isTTY === true;
  let bar: SingleBar | null = null;
  let phase = '';
  return {
    signal: controller.signal,
    progress(p) {
      if (!tty) return;
      if (!bar || phase !== p.phase) {
        bar?.stop();
        phase = p.phase;
        bar = new SingleBar({ format: `${p.phase.padEnd(20)} {bar} {value}/{total} {message}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
        bar.start(p.total ?? 0, p.done, { message: '' });
      }
      if (p.total !== null) bar.setTotal(p.total);
      bar.update(p.done, { message: (p.message ?? '').slice(0, 40) });
    },
    stop() {
      bar?.stop();
      process.removeListener('SIGINT', onInterrupt);
    },
  };
}

export type Runner = (fn: (output: Output, options: GlobalOptions) => Promise<number>) => Promise<void>;

/**
 * The common shape of a command: open the engine, make one call through the same dispatcher the UI uses, print the
 * value (or the error) and choose the exit code.
 */
export async function callEngine<C extends Channel>(
  output: Output,
  options: GlobalOptions,
  channel: C,
  input: ChannelInput<C>,
  human: (value: ChannelOutput<C>) => string,
  problems: (value: ChannelOutput<C>) => boolean = () => false,
  /** Work on the value before it is printed (e.g. write it to a file); its failure is the command's failure. */
  use?: (value: ChannelOutput<C>) => Promise<void>,
): Promise<number> {
  const engine = engineFor(options, output);
  if (!engine) return EXIT.problems;
  const ctx = cliContext(output);
  try {
    const settled = settle(await engine.dispatcher.call(channel, input, ctx), output);
    ctx.stop();
    if ('exit' in settled) return settled.exit;
    const value = settled.value as ChannelOutput<C>;
    if (use) {
      try {
        await use(value);
      } catch (e) {
        return output.error({ code: 'unavailable', message: (e as Error).message });
      }
    }
    output.value(value, human);
    return problems(value) ? EXIT.problems : EXIT.ok;
  } finally {
    ctx.stop();
    engine.close();
  }
}
