/**
 * The contract between the UI and its host, declared like the engine's (contract.ts): each host channel maps to an
 * input and an output schema, the renderer's `HostClient` and main's handler map are derived from it, main
 * validates every input with it and always answers an envelope. In Electron the channels go through the preload's
 * one `invoke` (allow-listed by host-channels.ts); browser mode has no host channels (no native dialogs, nothing to
 * reveal), only the upload below, which is an HTTP POST because a dropped file's bytes do not belong on the socket.
 */
import { z } from 'zod';
import type { Envelope } from './envelope';
import { HOST_CHANNELS, type HostBridge, type HostChannel } from './host-channels';
import { userPathSchema } from './schemas';

interface HostChannelSpec {
  readonly input: z.ZodType;
  readonly output: z.ZodType;
  readonly doc: string;
}

function hostChannel<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) {
  return { input, output, doc } as const;
}

/** A bare file name, for a save dialog's suggestion: no folders, so the page cannot steer where it points. */
const fileNameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !/[/\\\0]/.test(n), 'a file name, without folders');

const fileFilterSchema = z
  .object({
    name: z.string().min(1).max(100),
    /** Without the dot: `zip`, `json`; `*` for any. */
    extensions: z
      .array(z.string().regex(/^(\*|[A-Za-z0-9][A-Za-z0-9_-]{0,15})$/, 'an extension without the dot'))
      .min(1)
      .max(20),
  })
  .strict();

export const hostContract = {
  'host.pickFeedSource': hostChannel(
    z.object({ kind: z.enum(['folder', 'zip']) }).strict(),
    z.string().nullable(),
    'Ask for a feed folder or zip with the native open dialog; null when the user cancels.',
  ),
  'host.pickSavePath': hostChannel(
    z.object({ title: z.string().max(200).optional(), defaultName: fileNameSchema.optional(), filters: z.array(fileFilterSchema).max(20).optional() }).strict(),
    z.string().nullable(),
    'Ask where to save a file with the native save dialog; null when the user cancels.',
  ),
  'host.revealPath': hostChannel(
    z.object({ path: userPathSchema }).strict(),
    z.void(),
    'Show a file or folder in the system file manager.',
  ),
} as const satisfies { readonly [C in HostChannel]: HostChannelSpec };

export type HostContract = typeof hostContract;
export type HostInput<C extends HostChannel> = z.input<HostContract[C]['input']>;
export type HostOutput<C extends HostChannel> = z.output<HostContract[C]['output']>;

type MethodOf<C extends HostChannel> = C extends `host.${infer M}` ? M : never;

/** The renderer's typed host: `host.pickFeedSource({ kind: 'zip' })`. Never rejects; failures are error envelopes. */
export type HostClient = { readonly [C in HostChannel as MethodOf<C>]: (input: HostInput<C>) => Promise<Envelope<HostOutput<C>>> };

export function createHostClient(bridge: HostBridge): HostClient {
  const methods = HOST_CHANNELS.map((channel) => [channel.slice('host.'.length), (input: unknown) => bridge.invoke(channel, input)]);
  return Object.freeze(Object.fromEntries(methods)) as HostClient;
}

/** Browser mode's upload: the page POSTs a dropped file's bytes and gets back a path the engine may open. */
export const uploadResponseSchema = z.union([z.object({ path: z.string() }).strict(), z.object({ error: z.string() }).strict()]);
export type UploadResponse = z.infer<typeof uploadResponseSchema>;

export const hostUpload = {
  method: 'POST',
  path: '/api/upload',
  /**
   * Must be present on every upload, carrying the page's token: a custom header cannot be sent cross-origin without
   * a CORS preflight, which the host never answers, so this also stops cross-site request forgery.
   */
  tokenHeader: 'X-Ferry-Token',
  /** The body is the file's bytes, nothing else; the host stops reading past this. */
  maxBytes: 4 * 1024 ** 3,
  response: uploadResponseSchema,
} as const;
