/**
 * The records `ferry generate ingest` reads, one JSON object per line:
 *   {"type": "ip-src", "value": "203.0.113.9", "comment": "…", "to_ids": true, "tags": ["…"], "first_seen": "…"}
 *   {"object": "cowrie", "fields": {"username": "root", "password": ["1234", "admin"]}, "comment": "…"}
 *   {"sighting": "203.0.113.9"}
 * or, with a mapping, any JSON lines a sensor logs (cowrie's JSON log, say): each rule of the mapping says which
 * lines it takes (`match`) and which of their keys become an object's fields or an attribute's value. A line no
 * rule takes is skipped, not refused: a sensor's log holds more kinds of lines than anyone maps.
 */
import { z } from 'zod';
import type { ObjectFields } from '../../../shared/misp-objects/build-object';
import { failure, success, type Result } from '../result';
import type { AttributeData, ObjectData } from './generator-items';

export type IngestLine =
  | { readonly kind: 'attribute'; readonly type: string; readonly value: string; readonly data: AttributeData }
  | { readonly kind: 'object'; readonly template: string; readonly fields: ObjectFields; readonly data: ObjectData }
  | { readonly kind: 'sighting'; readonly target: string }
  | { readonly kind: 'skip' }
  | { readonly kind: 'invalid'; readonly reason: string };

const scalar = z.union([z.string(), z.number()]);
const seen = { first_seen: z.string().optional(), last_seen: z.string().optional() };

const attributeRecord = z
  .object({
    type: z.string().min(1),
    value: scalar,
    category: z.string().optional(),
    comment: z.string().optional(),
    to_ids: z.boolean().optional(),
    distribution: z.number().int().optional(),
    disable_correlation: z.boolean().optional(),
    tags: z.array(z.string().min(1)).optional(),
    ...seen,
  })
  .strict();

const fieldValue = z.union([scalar, z.boolean(), z.array(scalar)]);
const objectRecord = z
  .object({ object: z.string().min(1), fields: z.record(z.string(), fieldValue), comment: z.string().optional(), distribution: z.number().int().optional(), ...seen })
  .strict();

const sightingRecord = z.object({ sighting: z.string().min(1) }).strict();

/** Which lines a rule takes: every listed key equal to the text, or starting with it when it ends in `*`. */
const matchSchema = z.record(z.string(), z.string()).optional();

const ruleSchema = z.union([
  z
    .object({
      match: matchSchema,
      object: z.string().min(1),
      /** object relation → key of the input line */
      fields: z.record(z.string(), z.string()),
      /** key of the input line holding the time it happened (ISO 8601): the items' first_seen. */
      time: z.string().optional(),
    })
    .strict(),
  z.object({ match: matchSchema, attribute: z.object({ type: z.string().min(1), value: z.string().min(1) }).strict(), time: z.string().optional() }).strict(),
]);

const mappingSchema = z.union([z.object({ rules: z.array(ruleSchema).min(1) }).strict(), ruleSchema.transform((rule) => ({ rules: [rule] }))]);

export type IngestMapping = z.infer<typeof mappingSchema>;
type Rule = IngestMapping['rules'][number];

function firstIssue(error: z.ZodError): string {
  const i = error.issues[0];
  return i ? `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}` : 'not understood';
}

export function readMapping(text: string, file: string): Result<IngestMapping> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return failure('invalid-input', `${file}: not JSON (${(e as Error).message})`);
  }
  const parsed = mappingSchema.safeParse(json);
  return parsed.success ? success(parsed.data) : failure('invalid-input', `${file}: ${firstIssue(parsed.error)}`);
}

function matches(rule: Rule, line: Record<string, unknown>): boolean {
  for (const [key, want] of Object.entries(rule.match ?? {})) {
    const got = line[key];
    if (typeof got !== 'string') return false;
    if (want.endsWith('*') ? !got.startsWith(want.slice(0, -1)) : got !== want) return false;
  }
  return true;
}

const isScalar = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

function mapped(rule: Rule, line: Record<string, unknown>): IngestLine {
  const time = rule.time !== undefined && typeof line[rule.time] === 'string' ? { firstSeen: line[rule.time] as string } : {};
  if ('attribute' in rule) {
    const value = line[rule.attribute.value];
    if (!isScalar(value)) return { kind: 'invalid', reason: `the mapped key ${JSON.stringify(rule.attribute.value)} is missing or not a value` };
    return { kind: 'attribute', type: rule.attribute.type, value: String(value), data: time };
  }
  const fields: Record<string, string | number | (string | number)[]> = {};
  for (const [relation, key] of Object.entries(rule.fields)) {
    const value = line[key];
    if (isScalar(value)) fields[relation] = value;
    else if (Array.isArray(value) && value.every(isScalar)) fields[relation] = value;
  }
  return { kind: 'object', template: rule.object, fields, data: time };
}

/** One line of input, as the generator will take it. */
export function parseIngestLine(text: string, mapping: IngestMapping | null): IngestLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { kind: 'invalid', reason: `not JSON (${(e as Error).message.slice(0, 120)})` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { kind: 'invalid', reason: 'not a JSON object' };
  const line = json as Record<string, unknown>;
  if (mapping) {
    const rule = mapping.rules.find((r) => matches(r, line));
    return rule ? mapped(rule, line) : { kind: 'skip' };
  }
  if ('sighting' in line) {
    const r = sightingRecord.safeParse(line);
    return r.success ? { kind: 'sighting', target: r.data.sighting } : { kind: 'invalid', reason: firstIssue(r.error) };
  }
  if ('object' in line) {
    const r = objectRecord.safeParse(line);
    if (!r.success) return { kind: 'invalid', reason: firstIssue(r.error) };
    const d = r.data;
    return {
      kind: 'object',
      template: d.object,
      fields: d.fields,
      data: { ...(d.comment !== undefined ? { comment: d.comment } : {}), ...(d.distribution !== undefined ? { distribution: d.distribution } : {}), ...(d.first_seen ? { firstSeen: d.first_seen } : {}), ...(d.last_seen ? { lastSeen: d.last_seen } : {}) },
    };
  }
  const r = attributeRecord.safeParse(line);
  if (!r.success) return { kind: 'invalid', reason: 'type' in line ? firstIssue(r.error) : 'neither an attribute ({"type", "value"}), an object ({"object", "fields"}) nor a sighting ({"sighting"})' };
  const d = r.data;
  return {
    kind: 'attribute',
    type: d.type,
    value: String(d.value),
    data: {
      ...(d.category !== undefined ? { category: d.category } : {}),
      ...(d.comment !== undefined ? { comment: d.comment } : {}),
      ...(d.to_ids !== undefined ? { toIds: d.to_ids } : {}),
      ...(d.distribution !== undefined ? { distribution: d.distribution } : {}),
      ...(d.disable_correlation !== undefined ? { disableCorrelation: d.disable_correlation } : {}),
      ...(d.tags ? { tags: d.tags } : {}),
      ...(d.first_seen ? { firstSeen: d.first_seen } : {}),
      ...(d.last_seen ? { lastSeen: d.last_seen } : {}),
    },
  };
}
