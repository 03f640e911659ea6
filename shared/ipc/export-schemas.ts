/** The contract's shapes for writing feeds out (export) and checking feeds that come in (verify). */
import { z } from 'zod';
import { issueSchema, userPathSchema } from './schemas';
import { feedIdSchema, uuidSchema } from './library-schemas';

/** A moment as MISP's filters take it: `YYYY-MM-DD`, a date-time, Unix seconds or a span such as `30d`. */
const momentSchema = z.string().trim().min(1).max(40);

/** Which events leave, in MISP's terms (PyMISP's feed generator and the event index). */
export const exportFilterSchema = z
  .object({
    /** Tag expression on event tags: `tlp:white|feed-export|!privint` (any positive, no negative). */
    tags: z.string().trim().max(4000).optional(),
    /** Creator org expression, names or uuids: `CIRCL|!ACME`. */
    orgs: z.string().trim().max(4000).optional(),
    /** Only published (true) or only unpublished (false) events. */
    published: z.boolean().optional(),
    /** Event date bounds, inclusive. */
    dateFrom: momentSchema.optional(),
    dateUntil: momentSchema.optional(),
    /** Event timestamp (last change) bounds, inclusive. */
    changedFrom: momentSchema.optional(),
    changedUntil: momentSchema.optional(),
    /** Origin feeds; `local` stands for events made here. */
    origins: z.array(z.union([feedIdSchema, z.literal('local')])).max(1000).optional(),
    /** Only events made or edited here. */
    localOnly: z.boolean().optional(),
    /** Only these events (a selection in the event list). */
    events: z.array(uuidSchema).max(1_000_000).optional(),
  })
  .strict();

export const exportOptionsSchema = z
  .object({
    /** Distribution levels that leave (PyMISP's valid_attribute_distribution_levels; 5 = inherit). Default: all. */
    distributions: z.array(z.number().int().min(0).max(5)).min(1).max(6).optional(),
    /** Attribute types left out (generate.py's exclude_attribute_types). */
    excludeTypes: z.array(z.string().trim().min(1).max(100)).max(500).optional(),
    /** Keep tags attached locally (default: stripped, they are meant never to leave). */
    keepLocalTags: z.boolean().default(false),
    /**
     * hashes.csv lines: `pymisp` (default) the very line set PyMISP's to_feed writes (every value and every part of
     * a composite, deleted ones included), so any PyMISP-based tool agrees with the file; `correlating` only what
     * MISP correlates on (no port halves, no non-correlating types, nothing deleted).
     */
    hashes: z.enum(['pymisp', 'correlating']).default('pymisp'),
  })
  .strict();

export const exportCountRequestSchema = z.object({ filter: exportFilterSchema.prefault({}), options: exportOptionsSchema.prefault({}) }).strict();

export const exportCountSchema = z.object({
  events: z.number().int().nonnegative(),
  /** Attributes of those events as stored (before distribution and type rules drop some). */
  attributes: z.number().int().nonnegative(),
});

export const exportRequestSchema = z
  .object({
    /** A folder, or a file ending in `.zip`. */
    target: userPathSchema,
    filter: exportFilterSchema.prefault({}),
    options: exportOptionsSchema.prefault({}),
    /** Count and check only; nothing is written. With incremental, lists what would be added, changed and deleted. */
    dryRun: z.boolean().default(false),
    /**
     * Into a folder holding an earlier export: keep the files of events that did not change, carry events deleted
     * here as tombstones (every item deleted: true, newer timestamps), regenerate manifest, hashes and checksums.
     */
    incremental: z.boolean().default(false),
    /** The export profile this run comes from, for the history. */
    profile: z.string().trim().min(1).max(200).optional(),
    /** Save these settings (not the passphrase) as a profile of this name before exporting. */
    saveProfile: z.string().trim().min(1).max(200).optional(),
    /** Sign manifest.json and SHA256SUMS (detached, armoured) with an own key: its fingerprint or part of its user id. */
    sign: z.object({ key: z.string().trim().min(1).max(200), passphrase: z.string().max(1000) }).strict().optional(),
  })
  .strict();

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

export const exportReportSchema = z.object({
  target: z.string(),
  format: z.enum(['folder', 'zip']),
  dryRun: z.boolean(),
  /** Built on an earlier export in the folder (see the request's incremental). */
  incremental: z.boolean(),
  /** Fingerprint of the writing options: equal settings write equal files for equal events. */
  settings: z.string(),
  /** Events selected by the filter. */
  selected: z.number().int().nonnegative(),
  /** Events written (or, in a dry run, that would be). */
  events: z.number().int().nonnegative(),
  attributes: z.number().int().nonnegative(),
  hashes: z.number().int().nonnegative(),
  /** Left out whole by the distribution rule. */
  skipped: z.number().int().nonnegative(),
  /**
   * Against the earlier export (all `added` without one): unchanged events keep their file; deleted ones are
   * tombstones; dropped ones are still stored but no longer selected, so they are left out.
   */
  changes: z.object({
    added: z.number().int().nonnegative(),
    changed: z.number().int().nonnegative(),
    unchanged: z.number().int().nonnegative(),
    deleted: z.number().int().nonnegative(),
    dropped: z.number().int().nonnegative(),
  }),
  /** The events that were added, changed, deleted or dropped (the first 1,000). */
  changeList: z.array(z.object({ uuid: z.string(), info: z.string(), change: z.enum(['added', 'changed', 'unchanged', 'deleted', 'dropped']) })),
  /** Not written: MISP would refuse them. */
  invalid: z.array(z.object({ uuid: z.string(), info: z.string(), issues: z.array(issueSchema) })),
  /** Warnings about written events (values MISP will normalise…), capped. */
  issues: z.array(issueSchema),
  bytes: z.number().int().nonnegative(),
  /** SHA-256 of manifest.json and of SHA256SUMS as written; null in a dry run. */
  digests: z.object({ manifest: sha256Schema, checksums: sha256Schema }).nullable(),
  /** The key that signed manifest.json.asc and SHA256SUMS.asc; null when unsigned. */
  signedBy: z.object({ fingerprint: z.string(), userIds: z.array(z.string()) }).nullable(),
  durationMs: z.number().nonnegative(),
});

export const keySummarySchema = z.object({
  fingerprint: z.string(),
  /** own: a signing key made here (its private part stored encrypted); trusted: a producer's public key. */
  kind: z.enum(['own', 'trusted']),
  userIds: z.array(z.string()),
  algorithm: z.string(),
  createdAt: z.number(),
  addedAt: z.number(),
});

export const keyGenerateSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(200).optional(),
    /** Encrypts the private key; asked again at every signing. */
    passphrase: z.string().min(8, 'a passphrase of at least 8 characters').max(1000),
  })
  .strict();

export const keyImportSchema = z
  .object({ source: userPathSchema.optional(), armored: z.string().max(1024 * 1024).optional() })
  .strict()
  .refine((v) => (v.source === undefined) !== (v.armored === undefined), 'give either source (a file) or armored (the text)');

/** A key as a user names it: fingerprint (or its last 16+ hex digits), or part of a user id. */
export const keyQuerySchema = z.object({ key: z.string().trim().min(1).max(200) }).strict();

export const exportRunSchema = z.object({
  id: z.number().int(),
  profile: z.string().nullable(),
  target: z.string(),
  format: z.enum(['folder', 'zip']),
  startedAt: z.number(),
  finishedAt: z.number(),
  events: z.number().int(),
  attributes: z.number().int(),
  changes: exportReportSchema.shape.changes,
  digests: exportReportSchema.shape.digests,
  signedBy: exportReportSchema.shape.signedBy,
});

/** An export saved under a name: everything but the signing passphrase, which is asked at every run. */
export const exportProfileSettingsSchema = z
  .object({
    target: userPathSchema,
    filter: exportFilterSchema.prefault({}),
    options: exportOptionsSchema.prefault({}),
    incremental: z.boolean().default(false),
    /** An own key to sign with: fingerprint or part of its user id. */
    signKey: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const exportProfileSchema = z.object({
  name: z.string(),
  settings: exportProfileSettingsSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const profileNameSchema = z.string().trim().min(1).max(200);

export const runProfileSchema = z
  .object({
    name: profileNameSchema,
    /** For a profile that signs. */
    passphrase: z.string().max(1000).optional(),
    dryRun: z.boolean().default(false),
  })
  .strict();
