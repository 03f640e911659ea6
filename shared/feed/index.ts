/**
 * MISP feed files: read leniently (manifest.json, `<uuid>.json`, hashes.csv) and write strictly in PyMISP's
 * shape. Filter rules, freetext/CSV feeds and feed metadata live in their own modules next to this one.
 */
export { hasErrors, issue, type Issue, type IssueSeverity, type Parsed } from './issues';
export {
  checkFeedListing,
  compareWithManifest,
  parseManifest,
  type Manifest,
  type ManifestEntry,
  type ManifestTag,
} from './manifest';
export { readEvent, type ReadEventOptions } from './event-reader';
export {
  prepareFeedEvent,
  pythonIsoDateTime,
  writeFeedEvent,
  type FeedEventFiles,
  type FeedReadyEvent,
  type FeedWriteOptions,
  type WriteFeedEventOptions,
  type WriteResult,
} from './event-writer';
export {
  DEFAULT_TAG_COLOUR,
  feedEventJson,
  feedEventText,
  manifestEntryJson,
  manifestEntryOf,
  manifestText,
  type FeedJsonOptions,
} from './feed-json';
export { eventHashes, type HashMode, type Md5 } from './event-hashes';
export {
  checkHashesCoverage,
  createHashesReader,
  formatHashLine,
  formatHashes,
  parseHashesCsv,
  parseHashesLine,
  type HashEntry,
  type HashLine,
  type HashLineQuirk,
  type HashesReader,
  type HashesReaderOptions,
  type HashesSummary,
} from './hashes-csv';
export { pyJsonDumps, pyJsonString, type PyJson } from './py-json';
