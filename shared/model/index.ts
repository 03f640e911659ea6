export { ANALYST_DATA_KINDS, type AnalystData, type AnalystDataHolder, type AnalystDataKind, type JsonRecord, type WithAnalystData } from './analyst-data';
export type { Attribute } from './attribute';
export type { Event, EventReport, Orgc } from './event';
export type { MispObject, ObjectReference } from './object';
export type { Tag } from './tag';
export {
  ANALYSIS_LABELS,
  DISTRIBUTIONS,
  DISTRIBUTION_LABELS,
  THREAT_LEVEL_LABELS,
  isAnalysis,
  isDistribution,
  isThreatLevel,
  type Analysis,
  type Distribution,
  type ThreatLevel,
} from './levels';
export { GALAXY_TAG_PREFIX, exportableTags, galaxyTagName, isGalaxyTag, tagKey, withTag } from './tag';
export { isIsoDate, nextTimestamp, touchEvent, utcDate } from './timestamps';
export { isUuid, newUuidV4, normaliseUuid, type RandomBytes } from './uuid';
export { allAttributes, countAttributes, isEmptyEvent, referenceTargets, type AttributeSite } from './walk';
