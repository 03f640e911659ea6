/** The export profile channels: save, list, remove, and run one (its settings, today's library, a fresh passphrase). */
import type { z } from 'zod';
import { exportProfileSettingsSchema, type exportProfileSchema, type runProfileSchema } from '../../../shared/ipc/export-schemas';
import type { ReadHandle } from '../db/handles';
import type { Writer } from '../db/writer';
import { getProfile, listProfiles, removeProfile, saveProfile, type StoredProfile } from '../db/queries/export-profiles';
import { nowSeconds } from '../db/queries/feed-store';
import type { HandlerContext } from '../dispatch';
import { failure, success, type Result } from '../result';
import type { Reader } from '../db/reader';
import { exportFeed, type ExportEnvironment, type ExportReport } from './export-feed';

type Profile = z.output<typeof exportProfileSchema>;
type Settings = z.output<typeof exportProfileSettingsSchema>;

/** A stored profile read back through its schema: one saved by an older version is refused by name, not half-used. */
function profileOf(stored: StoredProfile): Result<Profile> {
  const parsed = exportProfileSettingsSchema.safeParse(JSON.parse(stored.settings));
  if (!parsed.success) return failure('invalid-input', `export profile "${stored.name}" no longer reads: ${parsed.error.issues[0]?.message ?? 'invalid'}; save it again`);
  return success({ name: stored.name, settings: parsed.data, createdAt: stored.createdAt, updatedAt: stored.updatedAt });
}

export function profilesList(db: ReadHandle): Result<Profile[]> {
  const out: Profile[] = [];
  for (const stored of listProfiles(db)) {
    const p = profileOf(stored);
    if (p.ok) out.push(p.value);
  }
  return success(out);
}

export function profileSave(writer: Writer, name: string, settings: Settings): Promise<Result<Profile>> {
  return writer.write('export.saveProfile', (step) => {
    const stored = saveProfile(step.db, name, JSON.stringify(settings), nowSeconds());
    step.changed({ exports: true });
    return profileOf(stored);
  });
}

export function profileRemove(writer: Writer, name: string): Promise<Result<{ name: string }>> {
  return writer.write('export.removeProfile', (step) => {
    const removed = removeProfile(step.db, name);
    if (removed.ok) step.changed({ exports: true });
    return removed;
  });
}

export async function profileRun(
  env: ExportEnvironment,
  reader: Reader,
  input: z.output<typeof runProfileSchema>,
  ctx: HandlerContext,
): Promise<Result<ExportReport>> {
  const stored = reader.read((db) => getProfile(db, input.name));
  if (!stored.ok) return stored;
  const profile = profileOf(stored.value);
  if (!profile.ok) return profile;
  const { signKey, ...settings } = profile.value.settings;
  if (signKey !== undefined && input.passphrase === undefined) {
    return failure('invalid-input', `export profile "${profile.value.name}" signs with key ${signKey}: give its passphrase`);
  }
  return exportFeed(
    env,
    { ...settings, dryRun: input.dryRun, profile: profile.value.name, ...(signKey !== undefined ? { sign: { key: signKey, passphrase: input.passphrase ?? '' } } : {}) },
    ctx,
  );
}
