import type { ErrorCode } from '../../shared/ipc/envelope';

/** 0 ok, 1 problems found (in the data, or the engine failed), 2 usage or unusable input. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeFor(code: ErrorCode): ExitCode {
  switch (code) {
    case 'unknown-channel':
    case 'invalid-input':
    case 'not-found':
    case 'bad-source':
    case 'bad-target':
      return EXIT.usage;
    case 'conflict':
    case 'busy':
    case 'cancelled':
    case 'unavailable':
    case 'internal':
      return EXIT.problems;
    default: {
      const exhaustive: never = code;
      return exhaustive;
    }
  }
}
