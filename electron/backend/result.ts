/** Errors as values inside the engine; handlers turn them into IPC envelopes at the boundary. */
import type { ErrorCode } from '../../shared/ipc/envelope';
import type { Issue } from '../../shared/feed/issues';

export interface EngineError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly issues?: readonly Issue[];
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: EngineError };

export function success<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failure(code: ErrorCode, message: string, issues?: readonly Issue[]): { ok: false; error: EngineError } {
  return { ok: false, error: issues && issues.length > 0 ? { code, message, issues } : { code, message } };
}
