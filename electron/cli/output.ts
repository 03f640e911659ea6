/**
 * How a command speaks: with --json, exactly one JSON document on stdout (the value, or {"error": …}); without it,
 * text for people. Diagnostics always go to stderr so stdout stays parseable.
 */
import type { Envelope, IpcError } from '../../shared/ipc/envelope';
import { EXIT, exitCodeFor, type ExitCode } from './exit-codes';

export interface Output {
  readonly json: boolean;
  /** Print a successful value; `human` renders it for people. */
  value<T>(value: T, human: (value: T) => string): void;
  error(error: IpcError): ExitCode;
  note(message: string): void;
}

export function createOutput(json: boolean, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Output {
  return {
    json,
    value(value, human) {
      out.write(json ? JSON.stringify(value) + '\n' : human(value));
    },
    error(error) {
      if (json) out.write(JSON.stringify({ error }) + '\n');
      err.write(`ferry: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return exitCodeFor(error.code);
    },
    note(message) {
      err.write(message + '\n');
    },
  };
}

/** Unwrap an envelope: the value, or the exit code after reporting the error. */
export function settle<T>(envelope: Envelope<T>, output: Output): { value: T } | { exit: ExitCode } {
  if (envelope.ok) return { value: envelope.value };
  return { exit: output.error(envelope.error) };
}

export { EXIT };
