/**
 * What crosses a process boundary: always an envelope, never a thrown error. A renderer cannot catch an exception
 * thrown in another process in any useful way, and an error code lets the UI choose what to show.
 */
import type { Issue } from '../feed/issues';

export const ERROR_CODES = [
  'unknown-channel',
  'invalid-input',
  'not-found',
  'bad-source',
  /** An export's target is not a place a feed may be written (a non-empty folder that is not a feed…). */
  'bad-target',
  'conflict',
  /** The library's write lock stayed taken (by another process) for longer than the engine waits. */
  'busy',
  'cancelled',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface IpcError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly issues?: readonly Issue[];
}

export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

export function ok<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, issues?: readonly Issue[]): { ok: false; error: IpcError } {
  return { ok: false, error: issues && issues.length > 0 ? { code, message, issues } : { code, message } };
}
