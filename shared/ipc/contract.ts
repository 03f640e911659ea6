/**
 * THE contract between the UI and the engine: channel → input schema and output schema. Client types and the
 * backend's handler map are derived from this object, so a channel without a handler does not compile.
 */
import { z } from 'zod';
import { feedPreviewSchema, userPathSchema } from './schemas';

function channel<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) {
  return { input, output, doc } as const;
}

export const contract = {
  'app.info': channel(
    z.object({}).strict(),
    z.object({ version: z.string(), dbPath: z.string(), schemaVersion: z.number() }),
    'Version of the engine and where the library lives.',
  ),
  'feeds.preview': channel(
    z.object({ source: userPathSchema }).strict(),
    feedPreviewSchema,
    'Open a feed folder or zip and list the events its manifest announces. Nothing is stored.',
  ),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
