/** MISP attribute types: the type table, value validation and normalisation, and correlation keys. */
export {
  ATTRIBUTE_TYPES,
  CATEGORIES,
  COMPOSITE_HALVES,
  NON_CORRELATING_TYPES,
  PRIMARY_ONLY_CORRELATING_TYPES,
  TYPES_UNKNOWN_TO_MISP_2_5_1,
  isCategory,
  isCategoryAllowed,
  isCompositeType,
  isKnownType,
  typeInfo,
  type AttributeType,
  type AttributeTypeInfo,
  type Category,
  type CompositeType,
  type CorrelationMode,
} from './types';
export { MAX_VALUE_BYTES, normaliseAttributeValue, validateAttributeValue, type ValueCheck } from './validate';
export {
  attributeIpRange,
  correlationKeys,
  feedLookupKeys,
  ipKey,
  ipRange,
  isCorrelationDisabled,
  type CorrelationInput,
  type IpFamily,
  type IpRange,
} from './correlation';
export { canonicalIp, parseIp, parseNetwork, type ParsedIp, type ParsedNetwork } from './ipAddress';
export { normaliseDateTime, type NormalisedDateTime } from './dateTime';
export { domainToAscii, isMispDomain } from './domainName';
export { refang } from './refang';
