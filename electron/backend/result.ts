/**
 * Errors as values inside the engine. The engine's result is the IPC envelope itself (shared/ipc/envelope.ts):
 * a handler's answer crosses the boundary as it is, with no second shape to keep in step.
 */
import { fail, ok, type Envelope, type IpcError } from '../../shared/ipc/envelope';

export type EngineError = IpcError;
export type Result<T> = Envelope<T>;
export const success = ok;
export const failure = fail;
