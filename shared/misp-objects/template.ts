/**
 * MISP object templates as the misp-objects repository defines them (`objects/<name>/definition.json`), read
 * into a checked, camelCase form that buildObject and an authoring UI can rely on.
 *
 * Parsing is lenient where a newer template may simply be ahead of us and strict where the template could not
 * be used correctly: a relation whose `misp-attribute` this MISP type list lacks is dropped with a warning (the
 * rest of the template still works), while a template without a name, uuid or version, or whose `required`
 * names a relation we cannot build, is refused, because any object built from it would be wrong.
 */
import { isCategory, isCategoryAllowed, typeInfo, validateAttributeValue, type AttributeType, type Category } from '../misp';
import { normaliseUuid } from '../model/uuid';

/** One template field: what an object attribute with this `object_relation` gets. */
export interface TemplateAttribute {
  /** The MISP attribute type (`misp-attribute`). */
  readonly type: AttributeType;
  readonly description: string;
  /** True when the object may carry several attributes with this relation. */
  readonly multiple: boolean;
  /**
   * The categories the template offers, in its order, limited to those MISP allows for the type (a few
   * templates list others, which MISP would refuse). Absent when the template names none that fit.
   */
  readonly categories?: readonly Category[];
  /** The only values MISP accepts for this relation (as written in the template). */
  readonly valuesList?: readonly string[];
  /** Suggested values; any other valid value is accepted too. */
  readonly saneDefault?: readonly string[];
  readonly disableCorrelation: boolean;
  /** The template's `to_ids`; absent when it leaves the choice to the type's default. */
  readonly toIds?: boolean;
  /** Display order hint; higher comes first in MISP's form. */
  readonly uiPriority: number;
  /** misp-objects' hint that a field is worth filling even though nothing requires it. */
  readonly recommended: boolean;
}

export interface ObjectTemplate {
  readonly name: string;
  /** Lower-case uuid; objects built from the template carry it as `template_uuid`. */
  readonly uuid: string;
  readonly version: number;
  readonly description: string;
  readonly metaCategory: string;
  /** Keyed by object relation, in the template's order. A Map so that a relation called `constructor` is just a key. */
  readonly attributes: ReadonlyMap<string, TemplateAttribute>;
  /** Relations that must all be present. */
  readonly required: readonly string[];
  /** Relations of which at least one must be present; empty when the template has no such rule. */
  readonly requiredOneOf: readonly string[];
}

export type TemplateParse =
  | { readonly ok: true; readonly template: ObjectTemplate; readonly warnings: string[] }
  | { readonly ok: false; readonly problems: string[] };

const TEMPLATE_KEYS = new Set(['name', 'uuid', 'version', 'description', 'meta-category', 'attributes', 'required', 'requiredOneOf']);
const ATTRIBUTE_KEYS = new Set([
  'misp-attribute',
  'ui-priority',
  'description',
  'multiple',
  'categories',
  'values_list',
  'sane_default',
  'disable_correlation',
  'to_ids',
  'recommended',
]);

type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}

/** Problems and warnings, each prefixed with the file and the field it concerns. */
class Findings {
  readonly problems: string[] = [];
  readonly warnings: string[] = [];
  constructor(private readonly file: string) {}
  problem(field: string, message: string): void {
    this.problems.push(`${this.file}: ${field}: ${message}`);
  }
  warn(field: string, message: string): void {
    this.warnings.push(`${this.file}: ${field}: ${message}`);
  }
}

function readText(raw: JsonObject, key: string, found: Findings): string | undefined {
  const value = raw[key];
  if (typeof value === 'string' && value.trim() !== '') return value;
  found.problem(key, `is ${describeValue(value)}; the template needs it as non-empty text`);
  return undefined;
}

/** The schema says integer; the format's RFC says text, so a string of digits is accepted as well. */
function readVersion(raw: JsonObject, found: Findings): number | undefined {
  const value = raw['version'];
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
  found.problem('version', `is ${describeValue(value)}; the template needs a whole number`);
  return undefined;
}

/** A list of distinct strings, or undefined (with a warning) when the field is present but unusable. */
function readStringList(value: unknown, field: string, found: Findings): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    found.warn(field, `is ${describeValue(value)}, not a list; ignored`);
    return undefined;
  }
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') found.warn(field, `entry ${describeValue(item)} is not text; ignored`);
    else if (!out.includes(item)) out.push(item);
  }
  return out;
}

function readFlag(raw: JsonObject, key: string, field: string, found: Findings): boolean | undefined {
  const value = raw[key];
  if (value === undefined || typeof value === 'boolean') return value;
  found.warn(`${field}.${key}`, `is ${describeValue(value)}, not true or false; ignored`);
  return undefined;
}

function readCategories(raw: unknown, type: AttributeType, field: string, found: Findings): Category[] | undefined {
  const listed = readStringList(raw, `${field}.categories`, found);
  if (listed === undefined) return undefined;
  const kept: Category[] = [];
  for (const name of listed) {
    if (!isCategory(name)) found.warn(`${field}.categories`, `"${name}" is not a MISP category; ignored`);
    else if (!isCategoryAllowed(type, name)) found.warn(`${field}.categories`, `MISP does not allow "${name}" for ${type} attributes; ignored`);
    else kept.push(name);
  }
  return kept.length > 0 ? kept : undefined;
}

/**
 * values_list entries the type itself refuses could never be chosen. When none survive, the list is dropped
 * rather than kept empty: an empty list would make the relation impossible to fill, and what the template
 * means by the type is the more useful reading.
 */
function readValuesList(raw: unknown, type: AttributeType, field: string, found: Findings): string[] | undefined {
  const listed = readStringList(raw, `${field}.values_list`, found);
  if (listed === undefined) return undefined;
  const valid = listed.filter((value) => validateAttributeValue(type, value).ok);
  const invalid = listed.filter((value) => !valid.includes(value));
  if (invalid.length > 0) {
    const names = invalid.map((value) => JSON.stringify(value)).join(', ');
    const outcome = valid.length > 0 ? 'they are left out' : `the list is ignored, so any valid ${type} value is accepted`;
    found.warn(`${field}.values_list`, `${names} ${invalid.length === 1 ? 'is not a valid' : 'are not valid'} ${type} value${invalid.length === 1 ? '' : 's'}; ${outcome}`);
  }
  return valid.length > 0 ? valid : undefined;
}

function readAttribute(relation: string, raw: unknown, found: Findings): TemplateAttribute | undefined {
  const field = `attributes.${relation}`;
  if (!isJsonObject(raw)) {
    found.warn(field, `is ${describeValue(raw)}, not an object; the relation is left out`);
    return undefined;
  }
  const typeName = raw['misp-attribute'];
  if (typeof typeName !== 'string') {
    found.warn(field, `"misp-attribute" is ${describeValue(typeName)}; the relation is left out`);
    return undefined;
  }
  const info = typeInfo(typeName);
  if (!info) {
    found.warn(field, `"misp-attribute" is "${typeName}", not a MISP attribute type; the relation is left out`);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!ATTRIBUTE_KEYS.has(key)) found.warn(`${field}.${key}`, 'is not a template field; ignored');
  }

  let description = '';
  if (typeof raw['description'] === 'string') description = raw['description'];
  else found.warn(`${field}.description`, `is ${describeValue(raw['description'])}; left empty`);
  let uiPriority = 0;
  const priority = raw['ui-priority'];
  if (typeof priority === 'number' && Number.isFinite(priority)) uiPriority = priority;
  else found.warn(`${field}.ui-priority`, `is ${describeValue(priority)}, not a number; 0 used`);

  const attribute: { -readonly [K in keyof TemplateAttribute]: TemplateAttribute[K] } = {
    type: info.type,
    description,
    multiple: readFlag(raw, 'multiple', field, found) ?? false,
    disableCorrelation: readFlag(raw, 'disable_correlation', field, found) ?? false,
    uiPriority,
    recommended: readFlag(raw, 'recommended', field, found) ?? false,
  };
  const toIds = readFlag(raw, 'to_ids', field, found);
  if (toIds !== undefined) attribute.toIds = toIds;
  const categories = readCategories(raw['categories'], info.type, field, found);
  if (categories !== undefined) attribute.categories = categories;
  const valuesList = readValuesList(raw['values_list'], info.type, field, found);
  if (valuesList !== undefined) attribute.valuesList = valuesList;
  const saneDefault = readStringList(raw['sane_default'], `${field}.sane_default`, found);
  if (saneDefault !== undefined && saneDefault.length > 0) attribute.saneDefault = saneDefault;
  if (valuesList !== undefined && attribute.saneDefault !== undefined) {
    found.warn(field, 'has both values_list and sane_default; values_list is the one enforced');
  }
  return attribute;
}

/**
 * `required` and `requiredOneOf` must name relations we can build: an object missing a relation MISP
 * requires would be refused there, so a rule we cannot meet makes the template unusable.
 */
function readRequirement(
  raw: JsonObject,
  key: 'required' | 'requiredOneOf',
  attributes: ReadonlyMap<string, TemplateAttribute>,
  declared: ReadonlySet<string>,
  found: Findings,
): string[] {
  const listed = readStringList(raw[key], key, found) ?? [];
  const unusable = listed.filter((relation) => !attributes.has(relation));
  for (const relation of unusable) {
    const why = declared.has(relation) ? 'was left out (see its warning)' : 'is not among the attributes';
    if (key === 'required') found.problem(key, `"${relation}" ${why}, so no object could meet the template`);
    else found.warn(key, `"${relation}" ${why}; it cannot count towards the rule`);
  }
  const usable = listed.filter((relation) => attributes.has(relation));
  if (key === 'requiredOneOf' && listed.length > 0 && usable.length === 0) {
    found.problem(key, 'none of its relations can be built, so no object could meet the template');
  }
  return usable;
}

/**
 * Check a parsed definition.json. `file` is only used to name the source in messages
 * (`objects/cowrie/definition.json: attributes.dst_ip: ...`). Never throws.
 */
export function parseTemplate(json: unknown, file: string): TemplateParse {
  const found = new Findings(file);
  if (!isJsonObject(json)) {
    return { ok: false, problems: [`${file}: the template is ${describeValue(json)}, not a JSON object`] };
  }
  const name = readText(json, 'name', found);
  const rawUuid = json['uuid'];
  const uuid = normaliseUuid(rawUuid);
  if (uuid === undefined) found.problem('uuid', `is ${describeValue(rawUuid)}, not a uuid`);
  const version = readVersion(json, found);
  const metaCategory = readText(json, 'meta-category', found);
  let description = '';
  if (typeof json['description'] === 'string') description = json['description'];
  else found.warn('description', `is ${describeValue(json['description'])}; left empty`);
  for (const key of Object.keys(json)) {
    if (!TEMPLATE_KEYS.has(key)) found.warn(key, 'is not a template field; ignored');
  }

  const attributes = new Map<string, TemplateAttribute>();
  const rawAttributes = json['attributes'];
  if (!isJsonObject(rawAttributes)) {
    found.problem('attributes', `is ${describeValue(rawAttributes)}; the template needs an object of relations`);
  } else {
    for (const [relation, raw] of Object.entries(rawAttributes)) {
      const attribute = readAttribute(relation, raw, found);
      if (attribute) attributes.set(relation, attribute);
    }
    if (attributes.size === 0) found.problem('attributes', 'no relation can be built, so the template is of no use');
  }
  // Without attributes every requirement would fail too, which says nothing new.
  const declared = new Set(isJsonObject(rawAttributes) ? Object.keys(rawAttributes) : []);
  const required = declared.size > 0 ? readRequirement(json, 'required', attributes, declared, found) : [];
  const requiredOneOf = declared.size > 0 ? readRequirement(json, 'requiredOneOf', attributes, declared, found) : [];

  if (found.problems.length > 0 || name === undefined || uuid === undefined || version === undefined || metaCategory === undefined) {
    return { ok: false, problems: found.problems };
  }
  return {
    ok: true,
    template: { name, uuid, version, description, metaCategory, attributes, required, requiredOneOf },
    warnings: found.warnings,
  };
}
