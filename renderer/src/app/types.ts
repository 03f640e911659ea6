/** The engine's answers under the names the UI uses; all derived from the IPC contract, never restated. */
import type { ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';

export type FeedSummary = ChannelOutput<'feeds.get'>;
export type FeedSettings = FeedSummary['settings'];
export type NewFeedInput = ChannelInput<'feeds.add'>;
export type FeedPreview = ChannelOutput<'feeds.preview'>;
export type PreviewEvent = FeedPreview['events'][number];
/** An event as the pane opens it: header, counts, first page (stored: events.get; previewed: feeds.previewEvent). */
export type EventView = ChannelOutput<'events.get'>;
export type AttributePage = ChannelOutput<'events.attributes'>;
export type AttributeView = AttributePage['rows'][number];
/** An object without its attribute list, as pages carry them. */
export type ObjectView = AttributePage['objects'][number];
export type AttributeSort = NonNullable<ChannelInput<'events.attributes'>['sort']>;
export type EventList = ChannelOutput<'events.list'>;
export type EventRow = EventList['rows'][number];
export type EventSort = NonNullable<ChannelInput<'events.list'>['sort']>;
export type ImportRequest = ChannelInput<'feeds.import'>;
export type ImportMode = NonNullable<ImportRequest['mode']>;
export type ImportReport = ChannelOutput<'feeds.import'>;
export type ImportItem = ImportReport['items'][number];
export type ImportOutcome = ImportItem['outcome'];
export type ImportRun = ChannelOutput<'imports.list'>[number];
export type MetadataImportResult = ChannelOutput<'feeds.importMetadata'>;
export type ExportRequest = ChannelInput<'export.run'>;
export type ExportReport = ChannelOutput<'export.run'>;
export type ExportRun = ChannelOutput<'export.history'>[number];
export type ExportProfile = ChannelOutput<'export.profiles'>[number];
export type KeySummary = ChannelOutput<'keys.list'>[number];
export type VerifyReport = ChannelOutput<'feeds.verify'>;
