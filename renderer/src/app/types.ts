/** The engine's answers under the names the UI uses; all derived from the IPC contract, never restated. */
import type { ChannelInput, ChannelOutput } from '../../../shared/ipc/contract';

export type FeedSummary = ChannelOutput<'feeds.get'>;
export type FeedSettings = FeedSummary['settings'];
export type NewFeedInput = ChannelInput<'feeds.add'>;
export type FeedPreview = ChannelOutput<'feeds.preview'>;
export type PreviewEvent = FeedPreview['events'][number];
export type EventView = ChannelOutput<'events.get'>;
export type AttributeView = EventView['attributes'][number];
export type ObjectView = EventView['objects'][number];
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
