/**
 * A generated feed's settings and bookkeeping. They live beside the feed, in a hidden `.<name>.ferry-generator`
 * folder, never in it: everything in the feed folder is listed in SHA256SUMS and travels to the consumer, and a
 * producer's local paths and journal have no business on the USB key.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { failure, success, type Result } from '../result';

export const generatorSettingsSchema = z
  .object({
    /** The creator organisation of every event. */
    org: z.object({ name: z.string().trim().min(1).max(255), uuid: z.string().uuid() }).strict(),
    /** Event title; `{date}` becomes the event's day (YYYY-MM-DD). */
    info: z.string().trim().min(1).max(255).default('Feed of {date}'),
    analysis: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
    threatLevel: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).default(4),
    /** Written only with `withDistribution`; MISP takes the distribution from its own feed settings otherwise. */
    distribution: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).default(3),
    tags: z.array(z.string().trim().min(1).max(255)).max(100).default([]),
    /** Where days begin and end: `UTC` or an IANA zone such as `Europe/Luxembourg`. */
    timeZone: z
      .string()
      .default('UTC')
      .refine((zone) => isTimeZone(zone), { message: 'not a time zone this machine knows (UTC, or an IANA name such as Europe/Luxembourg)' }),
    /** A misp-objects folder for addObject. */
    templates: z.string().min(1).optional(),
    /** Same type and value again today moves the existing attribute's last_seen instead of adding a copy. */
    dedup: z.boolean().default(true),
    /** Every accepted item is also appended to a journal, so a kill between flushes loses nothing. */
    journal: z.boolean().default(false),
  })
  .strict();

export type GeneratorSettings = z.infer<typeof generatorSettingsSchema>;
export type GeneratorSettingsInput = z.input<typeof generatorSettingsSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What the generator remembers between runs besides its settings: which event is which day's. */
export const generatorStateSchema = z.object({
  days: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.string().uuid()),
  sightings: z.record(z.string(), z.number().int().nonnegative()).default({}),
});
export type GeneratorState = z.infer<typeof generatorStateSchema>;

/** The hidden folder beside the feed. */
export function stateDirOf(feedDir: string): string {
  return join(dirname(feedDir), `.${basename(feedDir)}.ferry-generator`);
}

const SETTINGS = 'settings.json';
const STATE = 'state.json';

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, text, { flush: true });
  await rename(temp, path);
}

export async function writeSettings(feedDir: string, settings: GeneratorSettings): Promise<void> {
  const dir = stateDirOf(feedDir);
  await mkdir(dir, { recursive: true });
  await writeAtomically(join(dir, SETTINGS), `${JSON.stringify(settings, null, 2)}\n`);
}

export async function readSettings(feedDir: string): Promise<Result<GeneratorSettings>> {
  const path = join(stateDirOf(feedDir), SETTINGS);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return failure('not-found', `${feedDir}: not a generated feed (no ${path}); run \`ferry generate init ${feedDir}\` first`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return failure('invalid-input', `${path}: not JSON (${(e as Error).message})`);
  }
  const parsed = generatorSettingsSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return failure('invalid-input', `${path}: ${first?.path.join('.') || 'settings'}: ${first?.message ?? 'invalid'}`);
  }
  return success(parsed.data);
}

export async function readState(feedDir: string): Promise<GeneratorState> {
  try {
    const parsed = generatorStateSchema.safeParse(JSON.parse(await readFile(join(stateDirOf(feedDir), STATE), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // No state yet (a new feed), or an unreadable one: the days are found again from the manifest.
  }
  return { days: {}, sightings: {} };
}

export async function writeState(feedDir: string, state: GeneratorState): Promise<void> {
  await writeAtomically(join(stateDirOf(feedDir), STATE), JSON.stringify(state));
}

const formats = new Map<string, Intl.DateTimeFormat>();
let last: { zone: string; seconds: number; day: string } | null = null;

/**
 * The day of `epochSeconds` in `timeZone`, as YYYY-MM-DD. Asked for every item, mostly for the same second:
 * the formatter is made once per zone and the last answer kept (making a formatter costs far more than an item).
 */
export function dayIn(timeZone: string, epochSeconds: number): string {
  if (last && last.zone === timeZone && last.seconds === epochSeconds) return last.day;
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const day = format.format(new Date(epochSeconds * 1000));
  last = { zone: timeZone, seconds: epochSeconds, day };
  return day;
}
