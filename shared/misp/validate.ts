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

interface Normalised {
  readonly value: string;
  readonly warnings: string[];
  /** Set when the text cannot be stored at all, whatever the type. */
  readonly unstorable: string | null;
}

/** Steps 1-4: the value as MISP would store it, before any check. */
function normalise(type: string, raw: string): Normalised {
  const warnings: string[] = [];
  const warn = (message: string): void => {
    if (!warnings.includes(message)) warnings.push(message);
  };
  const trimmed = phpTrim(raw);
  const rule = ruleFor(type);
  if (!rule) return { value: trimmed, warnings, unstorable: null };

  const astral = replaceAstralCharacters(refang(type, trimmed));
  if (astral.replaced > 0) {
    warn(`${astral.replaced} character(s) outside the Basic Multilingual Plane (emoji...) became "?", as MISP stores them`);
  }
  const unstorable = astral.unpairedSurrogates > 0 ? 'the value contains broken UTF-16 (an unpaired surrogate)' : null;
  const value = rule.normalise ? rule.normalise(astral.value, warn) : astral.value;
  return { value, warnings, unstorable };
}

/**
 * The value as MISP would store it for `type`, without judging whether it is valid. Meant for comparisons
 * and keys (see correlationKeys); unknown types only get trimmed.
 */
export function normaliseAttributeValue(type: string, value: string): string {
  return normalise(type, value).value;
}

/**
 * Normalise `value` as MISP does for `type`, then check it with MISP's rules.
 *
 * - Unknown types are accepted (trimmed only) with a warning; MISP itself would refuse them.
 * - Types newer than MISP 2.5.1 (uuid, suricata, edge-extension-id) are accepted with a warning, as are the
 *   cases where MISP's own rule is buggy (see typeRules.ts: filename|impfuzzy, integer, v3 onion addresses).
 * - Never throws, whatever the input.
 */
export function validateAttributeValue(type: string, value: string): ValueCheck {
  if (typeof value !== 'string') return { ok: false, reason: 'the value must be text' };
  const info = typeInfo(type);
  const { value: normalised, warnings, unstorable } = normalise(type, value);
  if (!info) {
    return { ok: true, value: normalised, warnings: [`"${type}" is not a MISP attribute type; MISP would refuse it`] };
  }
  if (!info.knownToMisp251) {
    warnings.unshift(`"${type}" is newer than MISP 2.5.1, which refuses it as an unknown type`);
  }
  if (unstorable) return { ok: false, reason: unstorable };

  const reason = genericProblem(type, normalised) ?? checkType(type, normalised, warnings);
  if (reason) return { ok: false, reason };
  if (utf8ByteLength(normalised) > MAX_VALUE_BYTES) {
    return { ok: false, reason: `the value is longer than ${MAX_VALUE_BYTES} bytes; MISP expects an attachment instead` };
  }
  return { ok: true, value: normalised, warnings };
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

function checkType(type: string, value: string, warnings: string[]): string | null {
  const rule = ruleFor(type);
  if (!rule) return null;
  const reason = rule.check(value, (message) => {
    if (!warnings.includes(message)) warnings.push(message);
  });
  // MISP lets an empty first half through (only the whole value must be non-empty), but nobody means it.
  if (!reason && isCompositeType(type) && value.startsWith('|')) warnings.push('the first part of the value is empty');
  return reason;
}
