/**
 * Attribute value validation and normalisation, in the order MISP 2.5.1 applies it when it saves an attribute
 * (MispAttribute::beforeValidateMassage, then the `value` rules):
 *
 * 1. trim (PHP's trim: spaces, tabs, line breaks, NUL, vertical tab);
 * 2. refang (`hxxp`, `[.]`, `[at]`...) for the URL, address, domain and e-mail types;
 * 3. replace characters outside the Basic Multilingual Plane by `?` (MISP's columns hold 3-byte UTF-8 only);
 * 4. the type's own rewrite (lower-casing hashes, compressing IPv6, reformatting datetimes...);
 * 5. checks: not empty, not only control characters, exactly one `|` in composite values (and no half made of
 *    control characters), the type's own rule, at most 65535 bytes.
 *
 * The result is the value MISP would store, so storing it here keeps correlation and hashes.csv lookups in
 * step with MISP. Rejections carry a reason for the analyst; accepted values may carry warnings.
 */

import { isOnlyControlCharacters, phpTrim, replaceAstralCharacters, utf8ByteLength } from './phpText';
import { refang } from './refang';
import { ruleFor } from './typeRules';
import { isCompositeType, typeInfo } from './types';

/** Outcome of validateAttributeValue: the normalised value and warnings, or why MISP would reject it. */
export type ValueCheck = { ok: true; value: string; warnings: string[] } | { ok: false; reason: string };

/** MISP refuses values longer than this many bytes (its `value` column is a TEXT). */
export const MAX_VALUE_BYTES = 65535;

/** Collects warnings once each, in the order they arise. */
class Notes {
  readonly warnings: string[] = [];
  readonly warn = (message: string): void => {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  };
}

const UNPAIRED_SURROGATE = 'the value contains broken UTF-16 (an unpaired surrogate)';

/** Steps 1-4 once: the value as one MISP save would store it. */
function rewriteOnce(type: string, value: string, notes: Notes): string {
  const rule = ruleFor(type);
  if (!rule) return phpTrim(value);
  const astral = replaceAstralCharacters(refang(type, phpTrim(value)));
  if (astral.replaced > 0) {
    notes.warn('characters outside the Basic Multilingual Plane (emoji...) became "?", as MISP stores them');
  }
  return rule.normalise ? rule.normalise(astral.value, notes.warn) : astral.value;
}

/**
 * A few of MISP's rewrites are not idempotent: `tel 0049 30 1234` becomes `0049301234` on the first save and
 * `+49301234` on the next, and refanging `[[.]]` yields `[.]`. A value we store travels on to other MISP
 * instances, each of which rewrites it again, so we repeat the rewrite until it no longer changes: the result
 * is the value every MISP keeps, and the one hashes.csv must carry. Four passes are more than any rule needs.
 */
function rewriteToFixedPoint(type: string, value: string, notes: Notes): string {
  let current = value;
  for (let pass = 0; pass < 4; pass++) {
    const next = rewriteOnce(type, current, notes);
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * The value as MISP would store it for `type`, without judging whether it is valid. Meant for comparisons
 * and keys (see correlationKeys); unknown types only get trimmed.
 */
export function normaliseAttributeValue(type: string, value: string): string {
  // Typed as string, but callers pass JSON straight from feeds; a number must not crash the import.
  const text = typeof value === 'string' ? value : String(value);
  return rewriteToFixedPoint(type, rewriteOnce(type, text, new Notes()), new Notes());
}

/**
 * Normalise `value` as MISP does for `type`, then check it with MISP's rules.
 *
 * - Unknown types are accepted (trimmed only) with a warning; MISP itself would refuse them.
 * - Types newer than MISP 2.5.1 (uuid, suricata, edge-extension-id) are accepted with a warning, as are the
 *   cases where MISP's own rule is buggy (see typeRules.ts: filename|impfuzzy, integer, v3 onion addresses).
 * - The value MISP decides on is the one after its first rewrite; the value returned is the settled one
 *   (see rewriteToFixedPoint), which must pass as well.
 * - Never throws, whatever the input.
 */
export function validateAttributeValue(type: string, value: string): ValueCheck {
  // Most feed values are already in MISP's canonical form (lower-case hex hashes, plain IPv4 addresses): for those
  // the whole pipeline below would return the value unchanged with no warning, so say so at once. A property test
  // holds this shortcut to the full pipeline's answer.
  const canonical = CANONICAL_FORMS.get(type);
  if (canonical !== undefined && typeof value === 'string' && canonical.test(value)) return { ok: true, value, warnings: [] };
  return validateFully(type, value);
}

const IPV4_CANONICAL = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const hex = (length: number) => new RegExp(`^[0-9a-f]{${length}}$`);
/** Values of these types that match are their own normalised, valid form. */
export const CANONICAL_FORMS: ReadonlyMap<string, RegExp> = new Map([
  ['md5', hex(32)],
  ['sha1', hex(40)],
  ['sha224', hex(56)],
  ['sha256', hex(64)],
  ['sha384', hex(96)],
  ['sha512', hex(128)],
  ['ip-src', IPV4_CANONICAL],
  ['ip-dst', IPV4_CANONICAL],
]);

/** The whole pipeline, without the canonical-form shortcut (the shortcut's tests compare against it). */
export function validateFully(type: string, value: string): ValueCheck {
  if (typeof value !== 'string') return { ok: false, reason: 'the value must be text' };
  const info = typeInfo(type);
  const notes = new Notes();
  if (!info) {
    notes.warn(`"${type}" is not a MISP attribute type; MISP would refuse it`);
    return { ok: true, value: phpTrim(value), warnings: notes.warnings };
  }
  if (!info.knownToMisp251) notes.warn(`"${type}" is newer than MISP 2.5.1, which refuses it as an unknown type`);
  if (replaceAstralCharacters(value).unpairedSurrogates > 0) return { ok: false, reason: UNPAIRED_SURROGATE };

  const firstSave = rewriteOnce(type, value, notes);
  const firstReason = problemWith(type, firstSave, notes);
  if (firstReason) return { ok: false, reason: firstReason };
  const settled = rewriteToFixedPoint(type, firstSave, notes);
  if (settled !== firstSave) {
    const laterReason = problemWith(type, settled, notes);
    if (laterReason) {
      return { ok: false, reason: `MISP would store ${JSON.stringify(firstSave)} but refuse it when it arrives again: ${laterReason}` };
    }
  }
  return { ok: true, value: settled, warnings: notes.warnings };
}

/** Every check MISP makes on a rewritten value; null when it passes. */
function problemWith(type: string, value: string, notes: Notes): string | null {
  const reason = genericProblem(type, value) ?? checkType(type, value, notes);
  if (reason) return reason;
  if (utf8ByteLength(value) > MAX_VALUE_BYTES) {
    return `the value is longer than ${MAX_VALUE_BYTES} bytes; MISP expects an attachment instead`;
  }
  return null;
}

/** MISP's checks that do not depend on the type's own rule. */
function genericProblem(type: string, value: string): string | null {
  if (phpTrim(value) === '') return 'the value is empty';
  if (isOnlyControlCharacters(value)) return 'the value consists only of control characters';
  if (!isCompositeType(type)) return null;
  const pipes = value.split('|').length - 1;
  if (pipes !== 1) return `a ${type} value needs exactly one "|" between its two parts (found ${pipes})`;
  const [first = '', second = ''] = value.split('|');
  if (isOnlyControlCharacters(first) || isOnlyControlCharacters(second)) {
    return 'a part of the value consists only of control characters';
  }
  return null;
}

function checkType(type: string, value: string, notes: Notes): string | null {
  const rule = ruleFor(type);
  if (!rule) return null;
  const reason = rule.check(value, notes.warn);
  // MISP lets an empty first half through (only the whole value must be non-empty), but nobody means it.
  if (!reason && isCompositeType(type) && value.startsWith('|')) notes.warn('the first part of the value is empty');
  return reason;
}
