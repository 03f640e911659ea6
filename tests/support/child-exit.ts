/**
 * Kill a child and wait for it to be gone. The wait is set up when the child starts, not after the kill: a child
 * that ended by itself first (an export that finished before its kill came) has already sent its exit event,
 * and waiting for it afterwards would wait forever.
 */
import type { ChildProcess } from 'node:child_process';

export interface Watched {
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) once the child is gone. */
  readonly exited: Promise<number | null>;
  kill(): Promise<number | null>;
}

export function watch(child: ChildProcess): Watched {
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    child,
    exited,
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}
