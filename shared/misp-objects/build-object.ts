/**
 * Building a MISP object from a template and plain field values, checked the way MISP and PyMISP check it, so
 * that what a feed generator or the authoring UI produces is an object MISP will take as it is.
 *
 * Defaults follow PyMISP's MISPObject.add_attribute: the category is the template's first category or else the
 * type's default; `to_ids` is the template's flag or else the type's default; `disable_correlation` is the
 * template's flag. PyMISP falls back to the type's default when the first category does not fit the type,
 * where we take the first that fits (parseTemplate keeps only those); no misp-objects template lists a fitting
 * category after one that does not, so the two agree on every real template.
 *
 * PyMISP checks the requirements only in strict mode and never looks at the values; here every value is
 * validated and normalised as MISP stores it, and every broken rule is reported at once.
 */
import { pythonIsoDateTime } from '../feed/event-writer';
import { isCategoryAllowed, normaliseAttributeValue, typeInfo, validateAttributeValue } from '../misp';
import type { Attribute } from '../model/attribute';
import { isDistribution, type Distribution } from '../model/levels';
import type { MispObject } from '../model/object';
import { normaliseUuid } from '../model/uuid';
import type { ObjectTemplate, TemplateAttribute } from './template';

/** One value with the per-attribute settings a caller may choose instead of the template's. */
export interface ObjectFieldDetail {
  readonly value: string | number;
  readonly comment?: string;
  readonly toIds?: boolean;
  readonly category?: string;
}

/** A field's input: one value, or a list of them for relations the template marks `multiple`. */
export type ObjectFieldInput = string | number | boolean | ObjectFieldDetail | readonly (string | number | ObjectFieldDetail)[];

/**
 * Field values keyed by object relation. A field given as undefined or null (or an empty list) counts as
 * absent, so that callers can pass optional columns straight through.
 */
export type ObjectFields = Readonly<Record<string, ObjectFieldInput | null | undefined>>;

export interface BuildObjectOptions {
  /** Called once for the object and once per attribute. */
  readonly newUuid: () => string;
  /** Unix seconds, given to the object and all its attributes. */
  readonly timestamp: number;
  /** The object's own comment. */
  readonly comment?: string;
  /** The object's distribution; left unset when absent. 4 (sharing group) draws a warning, see buildObject. */
  readonly distribution?: Distribution;
  /** ISO 8601. */
  readonly firstSeen?: string;
  readonly lastSeen?: string;
}

export type BuildObjectResult =
  | { readonly ok: true; readonly object: MispObject; readonly warnings: string[] }
  | { readonly ok: false; readonly reasons: string[] };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Separators and case are the usual slips (`dst-port` in one template, `dst_port` in the next). */
function looseKey(name: string): string {
  return name.toLowerCase().replace(/[-_ ]/g, '');
}

function closestName(wanted: string, names: Iterable<string>): string | undefined {
  const key = looseKey(wanted);
  for (const name of names) if (looseKey(name) === key) return name;
  return undefined;
}

function isDetail(value: unknown): value is ObjectFieldDetail {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as text, or a reason it cannot be one. */
function asText(value: unknown): { text: string } | { reason: string } {
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') return Number.isFinite(value) ? { text: String(value) } : { reason: `${value} is not a finite number` };
  if (typeof value === 'boolean') return { text: value ? 'true' : 'false' };
  return { reason: `${show(value)} is not a value; give text or a number` };
}

/** Checks a `seen` option and gives the instant it names, for the order check. */
function seenInstant(value: unknown, option: string, reasons: string[]): number | undefined {
  if (value === undefined) return undefined;
  const iso = typeof value === 'string' ? pythonIsoDateTime(value) : undefined;
  const instant = iso === undefined ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(instant)) {
    reasons.push(`${option} ${show(value)} is not an ISO 8601 date-time; write it like 2024-03-01T10:00:00Z`);
    return undefined;
  }
  return instant;
}

class Builder {
  readonly reasons: string[] = [];
  readonly warnings: string[] = [];
  readonly attributes: Attribute[] = [];
  /**
   * Relations given a value, kept or not, for the required rules: a rejected value already has its reason, and
   * "src-ip is required" on top of "src-ip: value rejected" would only send the reader looking for a missing field.
   */
  readonly given = new Set<string>();

  constructor(
    private readonly template: ObjectTemplate,
    private readonly options: BuildObjectOptions,
  ) {}

  newUuid(what: string): string {
    const minted = this.options.newUuid();
    const uuid = normaliseUuid(minted);
    if (uuid !== undefined) return uuid;
    this.reasons.push(`newUuid gave ${show(minted)} for the ${what}, which is not a uuid; pass a function that returns uuids`);
    return '';
  }

  field(relation: string, input: ObjectFieldInput | null | undefined): void {
    if (input === undefined || input === null || (Array.isArray(input) && input.length === 0)) return;
    const spec = this.template.attributes.get(relation);
    if (spec === undefined) {
      const guess = closestName(relation, this.template.attributes.keys());
      this.reasons.push(
        `"${relation}" is not a field of the ${this.template.name} template; ${guess ? `did you mean "${guess}"?` : 'remove it or pick one of the template\'s fields'}`,
      );
      return;
    }
    this.given.add(relation);
    if (Array.isArray(input)) {
      if (!spec.multiple) {
        this.reasons.push(`${relation} takes a single value but was given a list of ${input.length}; pass one value`);
        return;
      }
      const seen = new Set<string>();
      for (const item of input as readonly unknown[]) {
        const draft = this.attribute(relation, spec, item);
        if (draft === undefined) continue;
        if (seen.has(draft.value)) {
          this.warnings.push(`${relation}: ${show(draft.value)} is listed more than once; kept once`);
          continue;
        }
        seen.add(draft.value);
        this.keep(draft);
      }
      return;
    }
    const draft = this.attribute(relation, spec, input);
    if (draft !== undefined) this.keep(draft);
  }

  /** Uuids are minted only for attributes kept, so a dropped duplicate does not use one up. */
  private keep(draft: Omit<Attribute, 'uuid'>): void {
    this.attributes.push({ uuid: this.newUuid(`${draft.objectRelation ?? ''} attribute`), ...draft });
  }

  private attribute(relation: string, spec: TemplateAttribute, input: unknown): Omit<Attribute, 'uuid'> | undefined {
    if (isDetail(input) && !('value' in input)) {
      this.reasons.push(`${relation}: the object given has no "value"; write { value: ... }`);
      return undefined;
    }
    const detail: Partial<ObjectFieldDetail> = isDetail(input) ? input : {};
    const raw = isDetail(input) ? input.value : input;
    const text = asText(raw);
    if ('reason' in text) {
      this.reasons.push(`${relation}: ${text.reason}`);
      return undefined;
    }
    const check = validateAttributeValue(spec.type, text.text);
    if (!check.ok) {
      this.reasons.push(`${relation}: ${spec.type} value ${show(text.text)} rejected: ${check.reason}; correct it or leave ${relation} out`);
      return undefined;
    }
    for (const warning of check.warnings) this.warnings.push(`${relation}: ${warning}`);
    if (spec.valuesList !== undefined && !this.inValuesList(spec, check.value)) {
      const near = spec.valuesList.find((allowed) => allowed.toLowerCase() === check.value.toLowerCase());
      const hint = near !== undefined ? `did you mean "${near}"?` : `use one of ${spec.valuesList.map((v) => JSON.stringify(v)).join(', ')}`;
      this.reasons.push(`${relation}: ${show(check.value)} is not one of the template's values; ${hint}`);
      return undefined;
    }

    const category = this.category(relation, spec, detail.category);
    if (category === undefined) return undefined;
    if (detail.toIds !== undefined && typeof detail.toIds !== 'boolean') {
      this.reasons.push(`${relation}: toIds is ${show(detail.toIds)}; give true or false`);
      return undefined;
    }
    if (detail.comment !== undefined && typeof detail.comment !== 'string') {
      this.reasons.push(`${relation}: comment is ${show(detail.comment)}; give text`);
      return undefined;
    }
    const info = typeInfo(spec.type);
    return {
      type: spec.type,
      category,
      value: check.value,
      toIds: detail.toIds ?? spec.toIds ?? info?.defaultToIds ?? false,
      comment: detail.comment ?? '',
      timestamp: this.options.timestamp,
      disableCorrelation: spec.disableCorrelation,
      objectRelation: relation,
      tags: [],
    };
  }

  /** Compared in stored form on both sides, so a list entry MISP would rewrite still matches. */
  private inValuesList(spec: TemplateAttribute, value: string): boolean {
    return (spec.valuesList ?? []).some((allowed) => allowed === value || normaliseAttributeValue(spec.type, allowed) === value);
  }

  private category(relation: string, spec: TemplateAttribute, chosen: unknown): string | undefined {
    if (chosen === undefined) return spec.categories?.[0] ?? typeInfo(spec.type)?.defaultCategory ?? 'Other';
    if (typeof chosen === 'string' && isCategoryAllowed(spec.type, chosen)) return chosen;
    const allowed = typeInfo(spec.type)?.categories.join(', ') ?? '';
    this.reasons.push(`${relation}: MISP does not file ${spec.type} attributes under ${show(chosen)}; use one of ${allowed}, or leave the category out`);
    return undefined;
  }

  requirements(): void {
    const { required, requiredOneOf, name } = this.template;
    for (const relation of required) {
      if (!this.given.has(relation)) this.reasons.push(`${relation} is required by the ${name} template; give a value for it`);
    }
    if (requiredOneOf.length > 0 && !requiredOneOf.some((relation) => this.given.has(relation))) {
      const list = requiredOneOf.join(', ');
      this.reasons.push(
        requiredOneOf.length === 1
          ? `${list} is required by the ${name} template; give a value for it`
          : `the ${name} template needs at least one of ${list}; give a value for one of them`,
      );
    }
  }
}

/**
 * An object of `template` carrying `fields`, or every reason it cannot be built. Never throws on bad input.
 *
 * Distribution 4 passes with a warning: it needs a sharing group, which is not one of the options, yet a feed
 * written without distributions never carries it anyway. Attributes get no distribution of their own.
 * Only the object carries firstSeen and lastSeen.
 */
export function buildObject(template: ObjectTemplate, fields: ObjectFields, options: BuildObjectOptions): BuildObjectResult {
  const reasons: string[] = [];
  const { timestamp, distribution, comment } = options;
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) reasons.push(`timestamp ${show(timestamp)} is not Unix seconds; give a whole number of seconds`);
  if (distribution !== undefined && !isDistribution(distribution)) reasons.push(`distribution ${show(distribution)} is not one of 0-5`);
  if (comment !== undefined && typeof comment !== 'string') reasons.push(`comment is ${show(comment)}; give text`);
  const first = seenInstant(options.firstSeen, 'firstSeen', reasons);
  const last = seenInstant(options.lastSeen, 'lastSeen', reasons);
  if (first !== undefined && last !== undefined && last < first) reasons.push('lastSeen is before firstSeen; swap them or correct one');
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    return { ok: false, reasons: [...reasons, `fields is ${show(fields)}; give an object of relation: value`] };
  }

  const builder = new Builder(template, options);
  const uuid = builder.newUuid('object');
  for (const [relation, input] of Object.entries(fields)) builder.field(relation, input);
  builder.requirements();
  reasons.push(...builder.reasons);
  if (reasons.length > 0) return { ok: false, reasons };

  const object: Mutable<MispObject> = {
    uuid,
    name: template.name,
    metaCategory: template.metaCategory,
    description: template.description,
    templateUuid: template.uuid,
    templateVersion: template.version,
    comment: comment ?? '',
    timestamp,
    attributes: builder.attributes,
    references: [],
  };
  if (distribution !== undefined) object.distribution = distribution;
  if (options.firstSeen !== undefined) object.firstSeen = options.firstSeen;
  if (options.lastSeen !== undefined) object.lastSeen = options.lastSeen;
  if (distribution === 4) {
    builder.warnings.push('distribution 4 needs a sharing group, which buildObject does not set; add one before the object goes to MISP, or use 0-3 or 5');
  }
  return { ok: true, object, warnings: builder.warnings };
}

/**
 * buildObject by template name, for callers holding a loaded template set
 * (`buildNamedObject(templates, 'cowrie', { session: ... }, options)`).
 */
export function buildNamedObject(
  templates: ReadonlyMap<string, ObjectTemplate>,
  name: string,
  fields: ObjectFields,
  options: BuildObjectOptions,
): BuildObjectResult {
  const template = templates.get(name);
  if (template !== undefined) return buildObject(template, fields, options);
  const guess = closestName(name, templates.keys());
  const hint = guess !== undefined ? `did you mean "${guess}"?` : 'check the name against the misp-objects folder';
  return { ok: false, reasons: [`there is no object template called ${show(name)}; ${hint}`] };
}
