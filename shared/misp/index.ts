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
