/**
 * Main's side of the host contract, without Electron (so it is tested as it is): an unknown channel or an input that
 * breaks its schema is refused with an envelope before any handler runs, a handler that throws becomes `internal`,
 * and an answer that breaks the output schema is not sent. host-ipc.ts wires it to ipcMain.
 */
import type { z } from 'zod';
import { fail, ok, type Envelope } from '../../shared/ipc/envelope';
import { isHostChannel, type HostChannel } from '../../shared/ipc/host-channels';
import { hostContract, type HostContract, type HostOutput } from '../../shared/ipc/host-contract';
import { issue } from '../../shared/feed/issues';

export type HostHandler<C extends HostChannel, Ctx> = (input: z.output<HostContract[C]['input']>, ctx: Ctx) => Promise<Envelope<HostOutput<C>>>;

/** Forgetting a channel's handler is a compile error. */
export type HostHandlers<Ctx> = { readonly [C in HostChannel]: HostHandler<C, Ctx> };

export async function dispatchHostCall<Ctx>(
  handlers: HostHandlers<Ctx>,
  channel: unknown,
  input: unknown,
  ctx: Ctx,
  onInternalError: (e: unknown) => void = () => {},
): Promise<Envelope<unknown>> {
  if (!isHostChannel(channel)) return fail('unknown-channel', `unknown host channel "${String(channel).slice(0, 100)}"`);
  const spec = hostContract[channel];
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? first.path.join('.') + ': ' : '';
    const issues = parsed.error.issues.map((i) => issue('error', 'input.invalid', i.path.join('.'), i.message));
    return fail('invalid-input', `${channel}: ${where}${first?.message ?? 'invalid input'}`, issues);
  }
  try {
    // The one place the mapped handler type meets a runtime channel name.
    const handler = handlers[channel] as HostHandler<HostChannel, Ctx>;
    const result = await handler(parsed.data as never, ctx);
    if (!result.ok) return result;
    const checked = spec.output.safeParse(result.value);
    if (!checked.success) {
      onInternalError(checked.error);
      return fail('internal', `${channel}: the host produced an answer that breaks the contract`);
    }
    return ok(checked.data);
  } catch (e) {
    onInternalError(e);
    return fail('internal', `${channel}: ${(e as Error)?.message ?? String(e)}`);
  }
}
