import type { HandlerContext, Progress } from '../dispatch';

/** Progress at most every `ms`, plus the last one: enough for a smooth bar without flooding the channel. */
export function throttledProgress(ctx: HandlerContext, ms = 100): (p: Progress, force?: boolean) => void {
  let last = 0;
  return (p, force = false) => {
    const now = Date.now();
    if (force || now - last >= ms) {
      last = now;
      ctx.progress(p);
    }
  };
}
