/**
 * THE contract between the UI and the engine: channel → input schema and output schema. Client types and the
 * backend's handler map are derived from this object, so a channel without a handler does not compile.
 */
import { z } from 'zod';
import {
  attributePageSchema,
  eventAttributesRequestSchema,
  eventListRequestSchema,
  eventListSchema,
  eventPageSchema,
  feedChangesSchema,
  feedIdSchema,
  feedSummarySchema,
  importReportSchema,
  importRequestSchema,
  importRunSchema,
  metadataImportSchema,
  newFeedInputSchema,
  previewAttributesRequestSchema,
  uuidSchema,
  valueSearchSchema,
} from './library-schemas';
import { feedPreviewSchema, userPathSchema } from './schemas';
import {
  exportCountRequestSchema,
  exportCountSchema,
  exportReportSchema,
  exportRequestSchema,
  exportRunSchema,
  exportProfileSchema,
  exportProfileSettingsSchema,
  profileNameSchema,
  runProfileSchema,
  keyGenerateSchema,
  keyImportSchema,
  keyQuerySchema,
  keySummarySchema,
} from './export-schemas';
import { verifyReportSchema } from './verify-schemas';

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
  'feeds.previewEvent': channel(
    z.object({ source: userPathSchema, uuid: uuidSchema }).strict(),
    eventPageSchema,
    'Read one event of a feed folder or zip: header, counts and the first page of attributes (as events.get). Nothing is stored.',
  ),
  'feeds.previewAttributes': channel(
    previewAttributesRequestSchema,
    attributePageSchema,
    'A page of a previewed event\'s attributes, sorted and filtered (as events.attributes). Nothing is stored.',
  ),
  'feeds.list': channel(z.object({}).strict(), z.array(feedSummarySchema), 'All feeds with their status (cached, imported, counts).'),
  'feeds.get': channel(z.object({ id: feedIdSchema }).strict(), feedSummarySchema, 'One feed with its status.'),
  'feeds.add': channel(newFeedInputSchema, feedSummarySchema, "Define a feed; settings not given take MISP's defaults."),
  'feeds.edit': channel(
    z.object({ id: feedIdSchema, changes: feedChangesSchema }).strict(),
    feedSummarySchema,
    'Change some settings of a feed; the result must still be a valid feed.',
  ),
  'feeds.setEnabled': channel(
    z.object({ id: feedIdSchema, enabled: z.boolean().optional(), cachingEnabled: z.boolean().optional() }).strict(),
    feedSummarySchema,
    'Enable or disable a feed, or its caching.',
  ),
  'feeds.remove': channel(
    z.object({ id: feedIdSchema, deleteEvents: z.boolean().default(false) }).strict(),
    z.object({ removedEvents: z.number(), removedCacheValues: z.number() }),
    "Remove a feed and its cache; its imported events stay (as local events) unless deleteEvents is set.",
  ),
  'feeds.exportMetadata': channel(
    z.object({ ids: z.array(feedIdSchema).optional() }).strict(),
    z.object({ json: z.string(), count: z.number() }),
    "Feed metadata JSON in MISP's format (a list of {Feed, Tag}), for the given feeds or all.",
  ),
  'feeds.importMetadata': channel(
    z.object({ source: userPathSchema.optional(), json: z.string().max(64 * 1024 * 1024).optional(), markDefault: z.boolean().default(false) }).strict(),
    metadataImportSchema,
    "Add feeds from MISP feed metadata JSON (a file path or the text); MISP's default feed list is such a file.",
  ),
  'feeds.import': channel(
    importRequestSchema,
    importReportSchema,
    'Fetch (import events) or cache (index values for correlation) a feed folder or zip. Long: progress and cancel.',
  ),
  'imports.list': channel(
    z.object({ limit: z.number().int().min(1).max(500).default(50), feedId: feedIdSchema.optional() }).strict(),
    z.array(importRunSchema),
    'The import log, newest first; only one feed\'s runs when feedId is given.',
  ),
  'imports.get': channel(z.object({ id: z.number().int().positive() }).strict(), importReportSchema, 'The full report of one import.'),
  'events.list': channel(eventListRequestSchema, eventListSchema, 'A page of events from the library, sorted and searched.'),
  'events.get': channel(
    z.object({ uuid: uuidSchema }).strict(),
    eventPageSchema,
    'One stored event: header, tags, counts and the first page of its attributes, with the objects of that page.',
  ),
  'events.attributes': channel(
    eventAttributesRequestSchema,
    attributePageSchema,
    "A page of a stored event's attributes (in objects or not), sorted and filtered in SQL, with its total and objects.",
  ),
  'search.value': channel(
    z.object({ value: z.string().min(1).max(10_000) }).strict(),
    valueSearchSchema,
    'Where a value occurs: stored attributes (by correlation key) and cached feeds (by md5).',
  ),
  'export.count': channel(
    exportCountRequestSchema,
    exportCountSchema,
    'How many events and attributes an export filter selects, before anything is written.',
  ),
  'export.run': channel(
    exportRequestSchema,
    exportReportSchema,
    'Write the selected events as a MISP feed (folder, or a .zip target) with manifest, hashes.csv and SHA256SUMS, put in place atomically. Long: progress and cancel.',
  ),
  'export.history': channel(
    z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    z.array(exportRunSchema),
    'The exports written, newest first, with their counts, digests and signer.',
  ),
  'export.profiles': channel(z.object({}).strict(), z.array(exportProfileSchema), 'Saved export profiles, by name.'),
  'export.saveProfile': channel(
    z.object({ name: profileNameSchema, settings: exportProfileSettingsSchema }).strict(),
    exportProfileSchema,
    'Save an export\'s settings under a name (replacing a profile of that name); the passphrase is never saved.',
  ),
  'export.removeProfile': channel(z.object({ name: profileNameSchema }).strict(), z.object({ name: z.string() }), 'Forget an export profile.'),
  'export.runProfile': channel(runProfileSchema, exportReportSchema, 'Run a saved export profile on the library as it is now. Long: progress and cancel.'),
  'feeds.verify': channel(
    z.object({ source: userPathSchema }).strict(),
    verifyReportSchema,
    'Check a feed folder or zip against its SHA256SUMS and its manifest integrity fields; names every file that differs, is missing or was added.',
  ),
  'keys.list': channel(z.object({}).strict(), z.array(keySummarySchema), 'The OpenPGP keys: own signing keys and trusted producers\' public keys.'),
  'keys.generate': channel(keyGenerateSchema, keySummarySchema, 'Make an own signing key (Ed25519), its private part encrypted with the passphrase.'),
  'keys.import': channel(keyImportSchema, z.array(keySummarySchema), 'Trust the public keys in an armoured file (or text) from a producer.'),
  'keys.export': channel(keyQuerySchema, z.object({ fingerprint: z.string(), armored: z.string() }), 'A key\'s armoured public part, to give to the receiving side.'),
  'keys.remove': channel(keyQuerySchema, z.object({ fingerprint: z.string() }), 'Forget a key (an own key\'s private part is gone for good).'),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export const CHANNELS = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}
