/**
 * A feed's configuration: every column of MISP's `feeds` table, in the shape the app works with (camelCase,
 * numbers as numbers, JSON-in-a-string columns already decoded). Reading and writing MISP's own spelling of it
 * (snake_case keys, `rules` and `settings` as JSON text) is shared/feed/feed-metadata.ts's job; filter rules are
 * compiled for matching by shared/feed/filters.ts.
 *
 * The schema is the strict side of the lenient-import / strict-export split: readers coerce what they find and
 * report issues, then anything stored or written must pass this schema.
 */
import { z } from 'zod';
import type { Distribution } from './levels';

/** How the feed's content is interpreted. */
export const FEED_SOURCE_FORMATS = ['misp', 'freetext', 'csv'] as const;
export type FeedSourceFormat = (typeof FEED_SOURCE_FORMATS)[number];
export const FeedSourceFormatSchema = z.enum(FEED_SOURCE_FORMATS);

/** Where the feed is read from: a URL, or a path on this machine (the usual case on an air-gapped workstation). */
export const FEED_INPUT_SOURCES = ['network', 'local'] as const;
export type FeedInputSource = (typeof FEED_INPUT_SOURCES)[number];
export const FeedInputSourceSchema = z.enum(FEED_INPUT_SOURCES);

/** 0..5; on a feed, 5 means "keep the distribution each event carries" (MISP's "Inherit from feed"). */
export const FeedDistributionSchema = z
  .number()
  .int()
  .min(0)
  .max(5)
  .transform((n) => n as Distribution);

/** A positive database id, or null for "none" (MISP stores 0 for that). */
const OptionalIdSchema = z.number().int().positive().nullable();

/** A list of names that must match (any of `or`) and must not match (none of `not`); empty lists impose nothing. */
export const FeedNameRuleSchema = z.strictObject({
  or: z.array(z.string()),
  not: z.array(z.string()),
});
export type FeedNameRule = z.infer<typeof FeedNameRuleSchema>;

/**
 * A time filter as MISP accepts it: Unix seconds, a delta such as `30d` / `12h` / `15m` / `90s` meaning "that long
 * before now", a date or date-time string, or a `[from, to]` pair of those. Kept unresolved because a delta is
 * relative to the moment the rules are applied, not the moment they were written.
 */
const TimePointSchema = z.union([z.number().int(), z.string().min(1)]);
export const FeedTimeFilterSchema = z.union([TimePointSchema, z.tuple([TimePointSchema, TimePointSchema])]);
export type FeedTimeFilter = z.infer<typeof FeedTimeFilterSchema>;

/** MISP's `url_params`: the only keys its feed code reads are `timestamp` and `publish_timestamp`. */
export const FeedUrlParamsSchema = z.strictObject({
  timestamp: FeedTimeFilterSchema.optional(),
  publishTimestamp: FeedTimeFilterSchema.optional(),
});
export type FeedUrlParams = z.infer<typeof FeedUrlParamsSchema>;

/**
 * The feed's `rules` column. `typeAttributesNot` / `typeObjectsNot` appear in some of MISP's default feeds but
 * MISP 2.5.1 never reads them; they are kept only so that writing the feed back loses nothing.
 */
export const FeedFilterRulesSchema = z.strictObject({
  tags: FeedNameRuleSchema,
  orgs: FeedNameRuleSchema,
  urlParams: FeedUrlParamsSchema,
  typeAttributesNot: z.array(z.string()).optional(),
  typeObjectsNot: z.array(z.string()).optional(),
});
export type FeedFilterRules = z.infer<typeof FeedFilterRulesSchema>;

/** Rules that let everything through: MISP's default for a new feed. */
export function emptyFeedFilterRules(): FeedFilterRules {
  return { tags: { or: [], not: [] }, orgs: { or: [], not: [] }, urlParams: {} };
}

/**
 * The `settings` column. For CSV feeds `valueColumns` are the 1-based columns holding indicators (empty: every
 * column) and `delimiter` is kept in MISP's spelling (`''` for the default comma, the two characters `\t` for a
 * tab) so the value round-trips. `excludeRegex` is a delimited PCRE such as `/^#/i`, or ''.
 */
export const FeedSourceSettingsSchema = z.strictObject({
  csv: z.strictObject({
    valueColumns: z.array(z.number().int().min(1)),
    delimiter: z.string(),
  }),
  excludeRegex: z.string(),
  disableCorrelation: z.boolean(),
  unpublishEvent: z.boolean(),
});
export type FeedSourceSettings = z.infer<typeof FeedSourceSettingsSchema>;

export function defaultFeedSourceSettings(): FeedSourceSettings {
  return { csv: { valueColumns: [], delimiter: ',' }, excludeRegex: '', disableCorrelation: false, unpublishEvent: false };
}

/** The tag MISP attaches to every event the feed brings in (the `Tag` next to `Feed` in feed metadata). */
export const FeedTagSchema = z.strictObject({
  name: z.string().min(1).max(255),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must be #rrggbb'),
  exportable: z.boolean(),
  hideTag: z.boolean(),
});
export type FeedTag = z.infer<typeof FeedTagSchema>;

/** Without the cross-field rules: for partial inputs (edits); anything stored must still pass FeedSettingsSchema. */
export const FeedSettingsObjectSchema = z.strictObject({
  /** MISP's row id when the feed came from a MISP export; null for feeds defined here. */
  id: OptionalIdSchema,
  name: z.string().trim().min(1, 'a feed needs a name'),
  provider: z.string().trim().min(1, 'a feed needs a provider'),
  /** A URL for network feeds; a directory (misp) or a file (freetext / csv) for local feeds. */
  url: z.string().trim().min(1, 'a feed needs a url or path'),
  sourceFormat: FeedSourceFormatSchema,
  inputSource: FeedInputSourceSchema,
  enabled: z.boolean(),
  cachingEnabled: z.boolean(),
  lookupVisible: z.boolean(),
  distribution: FeedDistributionSchema,
  /** Only meaningful with distribution 4; MISP forces it to 0 otherwise. */
  sharingGroupId: OptionalIdSchema,
  /** MISP's id of the default tag; the tag itself travels as `defaultTag`. */
  tagId: OptionalIdSchema,
  tagCollectionId: OptionalIdSchema,
  defaultTag: FeedTagSchema.nullable(),
  rules: FeedFilterRulesSchema,
  /** freetext / csv only: reuse one event (`eventId`) instead of creating one per fetch. */
  fixedEvent: z.boolean(),
  /** freetext / csv with a fixed event: soft-delete attributes no longer present in the source. */
  deltaMerge: z.boolean(),
  eventId: OptionalIdSchema,
  /** freetext / csv only: publish the event after import. */
  publish: z.boolean(),
  /** freetext / csv only: import every attribute with to_ids = false. */
  overrideIds: z.boolean(),
  /** A MISP column that appears in its default feeds but that no MISP 2.5.1 code reads; kept for fidelity. */
  forceToIds: z.boolean(),
  /** Local feeds: delete processed files after a fetch. */
  deleteLocalFile: z.boolean(),
  /** Extra HTTP headers, one `Name: value` per line; kept for metadata fidelity, an air-gapped app sends none. */
  headers: z.string(),
  settings: FeedSourceSettingsSchema,
  /** Creator organisation of events that freetext / csv feeds create. */
  orgcId: OptionalIdSchema,
  /** MISP's `default` flag: the feed came from MISP's default feed list. */
  isDefault: z.boolean(),
  /** Unix seconds of MISP's last caching run, when the export carried one. */
  cacheTimestamp: z.number().int().nonnegative().nullable(),
});

/** The feed settings, with the cross-field rules MISP applies when it saves a feed. */
export const FeedSettingsSchema = FeedSettingsObjectSchema.superRefine((feed, ctx) => {
  if (feed.sharingGroupId !== null && feed.distribution !== 4) {
    ctx.addIssue({
      code: 'custom',
      path: ['sharingGroupId'],
      message: 'a sharing group only applies with distribution 4 (MISP resets it otherwise)',
    });
  }
  if (feed.distribution === 4 && feed.sharingGroupId === null) {
    ctx.addIssue({ code: 'custom', path: ['sharingGroupId'], message: 'distribution 4 needs a sharing group' });
  }
  if (feed.sourceFormat === 'misp' && feed.orgcId !== null) {
    ctx.addIssue({
      code: 'custom',
      path: ['orgcId'],
      message: 'misp feeds keep the creator org of each event; orgcId only applies to freetext and csv feeds',
    });
  }
});
export type FeedSettings = z.infer<typeof FeedSettingsObjectSchema>;

/** What a caller must supply to define a feed; everything else takes MISP's defaults for a new feed. */
export type NewFeedSettings = Pick<FeedSettings, 'name' | 'provider' | 'url'> & Partial<FeedSettings>;

/**
 * A feed with MISP's defaults for everything not given: disabled, not cached, distribution 0 ("your organisation
 * only"), network source, MISP format, no tag, rules that let everything through.
 */
export function newFeedSettings(init: NewFeedSettings): FeedSettings {
  return {
    id: null,
    sourceFormat: 'misp',
    inputSource: 'network',
    enabled: false,
    cachingEnabled: false,
    lookupVisible: false,
    distribution: 0,
    sharingGroupId: null,
    tagId: null,
    tagCollectionId: null,
    defaultTag: null,
    rules: emptyFeedFilterRules(),
    fixedEvent: false,
    deltaMerge: false,
    eventId: null,
    publish: false,
    overrideIds: false,
    forceToIds: false,
    deleteLocalFile: false,
    headers: '',
    settings: defaultFeedSourceSettings(),
    orgcId: null,
    isDefault: false,
    cacheTimestamp: null,
    ...init,
  };
}
