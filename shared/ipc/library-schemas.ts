/** Schemas of the library channels: feeds, imports, events. */
import { z } from 'zod';
import { FeedSettingsObjectSchema } from '../model/feed-settings';
import { issueSchema, manifestTagSchema, userPathSchema } from './schemas';
import { verifyReportSchema } from './verify-schemas';

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
  /** Checksums and signature, checked before any event was read; null when the feed carries neither. */
  verification: verifyReportSchema.nullable().default(null),
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
    /** Import a feed whose checksums or signature do not match all the same (refused otherwise, naming the files). */
    acceptAltered: z.boolean().default(false),
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

/** Most rows (and objects) one page of an event's attributes carries: every answer stays small enough to check. */
export const MAX_PAGE_ROWS = 1000;
/** An object summary lists this many of its references; `referenceCount` says how many it has. */
export const MAX_OBJECT_REFERENCES = 100;
/** A previewed event lists this many of the reader's issues (which already summarises repeats per code). */
export const MAX_EVENT_ISSUES = 1000;

/** One attribute as a row of the paged event view: the attribute, where it sits, and its row id for ordering. */
export const attributeRowSchema = attributeViewSchema.extend({
  /** The row's id in the library (or in the preview's scratch copy): the tie-break of every order, the `after` cursor. */
  id: z.number().int(),
  /** The object it belongs to; null for the event's own attributes. */
  objectUuid: z.string().nullable(),
});

export const objectReferenceViewSchema = z.object({
  uuid: z.string(),
  referencedUuid: z.string(),
  relationshipType: z.string(),
  comment: z.string(),
  deleted: z.boolean(),
  /** What the reference points at, in words ("domain evil.example.com", "file object"); null when it is not stored. */
  target: z.string().nullable(),
});

/** An object without its attribute list: its attributes are rows of the pages, found by `objectUuid`. */
export const objectSummarySchema = z.object({
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
  /** Its attributes, deleted ones included. */
  attributeCount: z.number(),
  /** Of those, how many pass the page's filter (attributeCount when there is none). */
  matching: z.number(),
  references: z.array(objectReferenceViewSchema).max(MAX_OBJECT_REFERENCES),
  referenceCount: z.number(),
});

/**
 * A page of an event's attributes (objects' attributes included, each row saying which object it is in), with the
 * summaries of the objects its rows belong to, so a page is complete on its own and bounded by its size.
 */
export const attributePageSchema = z.object({
  /** Rows matching the filter, in all pages. */
  total: z.number(),
  /** Position of the first row in the order; null for a page asked with the `after` cursor. */
  offset: z.number().nullable(),
  rows: z.array(attributeRowSchema).max(MAX_PAGE_ROWS),
  objects: z.array(objectSummarySchema).max(MAX_PAGE_ROWS),
});

export const eventCountsSchema = z.object({
  /** Every attribute, in objects or not, deleted ones included. */
  attributes: z.number(),
  deleted: z.number(),
  /** Every object, deleted ones included. */
  objects: z.number(),
  deletedObjects: z.number(),
});

export const eventHeaderSchema = z.object({
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
  /** Preview only: problems the reader found in the file. */
  issues: z.array(issueSchema).max(MAX_EVENT_ISSUES),
});

/**
 * What the event pane opens with (events.get, feeds.previewEvent): the header, the counts, and the first page of
 * attributes in the default order (the event's own order, deleted attributes included). Further pages, other
 * orders and filters come from events.attributes / feeds.previewAttributes.
 */
export const eventPageSchema = eventHeaderSchema.extend({
  counts: eventCountsSchema,
  page: attributePageSchema,
});

/** Orders of the attribute table; every one ends with the row id, so equal keys keep a stable order. */
export const attributeSortSchema = z.enum(['id', 'type', 'category', 'value', 'timestamp', 'toIds', 'comment']);

export const attributeFilterSchema = z
  .object({
    /** Case-insensitive substring of the value, type, category, comment, relation, a tag name, or the object's name or comment. */
    text: z.string().max(500).optional(),
    type: z.string().max(100).optional(),
    category: z.string().max(100).optional(),
    toIds: z.boolean().optional(),
    /** Only this object's attributes; null: only the event's own attributes (none in objects). */
    objectUuid: uuidSchema.nullable().optional(),
    /** Deleted attributes are shown (greyed) unless this is false. */
    includeDeleted: z.boolean().default(true),
  })
  .strict();

const attributePagingShape = {
  offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  /** Keyset cursor for reading a whole event in order: the rows after the row with this id. Only with sort `id`, offset 0. */
  after: z.number().int().optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_ROWS).default(200),
  sort: attributeSortSchema.default('id'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  filter: attributeFilterSchema.default({ includeDeleted: true }),
};

const cursorOk = (r: { after?: number | undefined; sort: string; offset: number }) => r.after === undefined || (r.sort === 'id' && r.offset === 0);
const cursorRule = { message: 'the after cursor goes with sort "id" and offset 0', path: ['after'] };

export const eventAttributesRequestSchema = z
  .object({ uuid: uuidSchema, ...attributePagingShape })
  .strict()
  .refine(cursorOk, cursorRule);

export const previewAttributesRequestSchema = z
  .object({ source: userPathSchema, uuid: uuidSchema, ...attributePagingShape })
  .strict()
  .refine(cursorOk, cursorRule);

/** The paging part of a request, as the page queries take it. */
export type AttributePageRequest = Omit<z.output<typeof eventAttributesRequestSchema>, 'uuid'>;

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
