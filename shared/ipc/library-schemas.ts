/** Schemas of the library channels: feeds, imports, events. */
import { z } from 'zod';
import { FeedSettingsObjectSchema } from '../model/feed-settings';
import { issueSchema, manifestTagSchema, userPathSchema } from './schemas';

export const feedIdSchema = z.number().int().positive();
export const uuidSchema = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'not a uuid');

/** Settings a caller may give when adding a feed: name, provider and url/path required, MISP's defaults for the rest. */
export const newFeedInputSchema = FeedSettingsObjectSchema.partial().extend({
  name: z.string().trim().min(1, 'a feed needs a name'),
  provider: z.string().trim().min(1, 'a feed needs a provider'),
  url: z.string().trim().min(1, 'a feed needs a url or path'),
});

export const feedChangesSchema = FeedSettingsObjectSchema.partial();

export const feedStatusSchema = z.object({
  eventCount: z.number(),
  attributeCount: z.number(),
  cachedValues: z.number(),
  lastImportedAt: z.number().nullable(),
  lastCachedAt: z.number().nullable(),
  lastSource: z.string().nullable(),
  /** The feed's newest import run, to open its report. */
  lastImportId: z.number().nullable(),
  lastDigest: z.string().nullable(),
  signer: z.string().nullable(),
});

export const feedSummarySchema = z.object({
  id: feedIdSchema,
  settings: FeedSettingsObjectSchema,
  status: feedStatusSchema,
});

export const importModeSchema = z.enum(['fetch', 'cache']);

export const importOutcomeSchema = z.enum(['added', 'updated', 'unchanged', 'filtered', 'rejected', 'conflict']);

export const importItemSchema = z.object({
  uuid: z.string(),
  info: z.string(),
  outcome: importOutcomeSchema,
  attributes: z.number(),
  issues: z.array(issueSchema),
});

export const importCountsSchema = z.object({
  selected: z.number(),
  added: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  filtered: z.number(),
  rejected: z.number(),
  conflicts: z.number(),
  attributes: z.number(),
  /** cache mode: md5 values indexed for the feed. */
  cachedValues: z.number(),
});

export const importReportSchema = z.object({
  importId: z.number(),
  feedId: feedIdSchema,
  feedName: z.string(),
  mode: importModeSchema,
  source: z.string(),
  status: z.enum(['done', 'failed', 'cancelled']),
  startedAt: z.number(),
  finishedAt: z.number(),
  counts: importCountsSchema,
  /** Per event (fetch): every event not plainly added (filtered, rejected, updated, conflict), and every one with issues. */
  items: z.array(importItemSchema),
  /** About the source as a whole: manifest, hashes.csv, missing files. */
  issues: z.array(issueSchema),
  /** How the cache was filled: hashes.csv, the events (hashes.csv missing or unusable), or a freetext/CSV feed's values. */
  cacheSource: z.enum(['hashes.csv', 'events', 'values']).nullable(),
});

export const importRequestSchema = z
  .object({
    source: userPathSchema,
    /** An existing feed; or `feedName` to use (or create) one by name; neither: found by path or created. */
    feedId: feedIdSchema.optional(),
    feedName: z.string().trim().min(1).max(200).optional(),
    mode: importModeSchema.default('fetch'),
    /** Only these events (fetch); all when absent. */
    events: z.array(uuidSchema).max(1_000_000).optional(),
  })
  .strict();

export const eventSortSchema = z.enum(['date', 'timestamp', 'info', 'org', 'attributes']);

export const eventListRequestSchema = z
  .object({
    feedId: feedIdSchema.optional(),
    search: z.string().max(500).optional(),
    /** Facets: creator org name, a tag name (both exact, case-insensitive) and a date range (YYYY-MM-DD, inclusive). */
    org: z.string().max(255).optional(),
    tag: z.string().max(255).optional(),
    dateFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD').optional(),
    dateTo: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD').optional(),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    sort: eventSortSchema.default('date'),
    direction: z.enum(['asc', 'desc']).default('desc'),
  })
  .strict();

export const eventRowSchema = z.object({
  uuid: z.string(),
  info: z.string(),
  date: z.string(),
  timestamp: z.number(),
  orgName: z.string().nullable(),
  tags: z.array(manifestTagSchema),
  attributeCount: z.number(),
  objectCount: z.number(),
  distribution: z.number().nullable(),
  published: z.boolean(),
  feedId: z.number().nullable(),
  feedName: z.string().nullable(),
  locallyEdited: z.boolean(),
});

export const eventListSchema = z.object({ total: z.number(), rows: z.array(eventRowSchema) });

const tagViewSchema = z.object({ name: z.string(), colour: z.string().optional(), local: z.boolean() });

export const attributeViewSchema = z.object({
  uuid: z.string(),
  type: z.string(),
  category: z.string(),
  value: z.string(),
  toIds: z.boolean(),
  comment: z.string(),
  timestamp: z.number(),
  distribution: z.number().nullable(),
  objectRelation: z.string().nullable(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  deleted: z.boolean(),
  disableCorrelation: z.boolean(),
  tags: z.array(tagViewSchema),
});

export const objectViewSchema = z.object({
  uuid: z.string(),
  name: z.string(),
  metaCategory: z.string(),
  description: z.string(),
  templateUuid: z.string(),
  templateVersion: z.number(),
  comment: z.string(),
  timestamp: z.number(),
  distribution: z.number().nullable(),
  deleted: z.boolean(),
  attributes: z.array(attributeViewSchema),
  references: z.array(
    z.object({ uuid: z.string(), referencedUuid: z.string(), relationshipType: z.string(), comment: z.string(), deleted: z.boolean() }),
  ),
});

export const eventViewSchema = z.object({
  uuid: z.string(),
  info: z.string(),
  date: z.string(),
  timestamp: z.number(),
  publishTimestamp: z.number(),
  published: z.boolean(),
  analysis: z.number(),
  threatLevelId: z.number(),
  distribution: z.number().nullable(),
  orgName: z.string().nullable(),
  orgUuid: z.string().nullable(),
  feedId: z.number().nullable(),
  feedName: z.string().nullable(),
  locallyEdited: z.boolean(),
  tags: z.array(tagViewSchema),
  attributes: z.array(attributeViewSchema),
  objects: z.array(objectViewSchema),
  /** Preview only: problems the reader found in the file. */
  issues: z.array(issueSchema),
});

export const valueSearchSchema = z.object({
  value: z.string(),
  keys: z.array(z.string()),
  attributes: z.array(
    z.object({ eventUuid: z.string(), eventInfo: z.string(), attributeUuid: z.string(), type: z.string(), value: z.string(), feedName: z.string().nullable() }),
  ),
  cacheHits: z.array(z.object({ feedId: z.number(), feedName: z.string(), eventUuid: z.string().nullable() })),
});

export const importRunSchema = z.object({
  id: z.number(),
  feedId: z.number().nullable(),
  feedName: z.string().nullable(),
  source: z.string(),
  mode: importModeSchema,
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  counts: importCountsSchema.nullable(),
});

export const metadataImportSchema = z.object({
  added: z.array(z.object({ id: z.number(), name: z.string() })),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
  issues: z.array(issueSchema),
});

export { userPathSchema };
