/**
 * Refanging: analysts "defang" indicators (`hxxp://evil[.]com`, `bob[at]evil[.]com`) so nobody clicks them.
 * MISP undoes the common spellings before validating, but only for the types below, and we must do exactly
 * the same: refanging a type MISP leaves alone would change a value MISP stores verbatim.
 */

interface RefangRule {
  readonly pattern: RegExp;
  readonly replacement: string;
  readonly types: ReadonlySet<string>;
}

const URL_TYPES = ['url', 'link'];
const EMAIL_TYPES = ['email', 'email-src', 'email-dst'];
const DOTTED_TYPES = [...URL_TYPES, 'ip-src', 'ip-dst', 'domain', 'domain|ip', 'hostname', ...EMAIL_TYPES];

// Applied in this order, each to every occurrence (except the scheme rule, which only looks at the start).
const REFANG_RULES: readonly RefangRule[] = [
  { pattern: /^(?:hxxp|hxtp|htxp|meow|h\[tt\]p)/i, replacement: 'http', types: new Set(URL_TYPES) },
  { pattern: /\[\.\]|\[dot\]|\(dot\)/g, replacement: '.', types: new Set(DOTTED_TYPES) },
  { pattern: /\[hxxp:\/\/\]/g, replacement: 'http://', types: new Set(URL_TYPES) },
  { pattern: /\[@\]|\[at\]/g, replacement: '@', types: new Set(EMAIL_TYPES) },
  { pattern: /\[:\]/g, replacement: ':', types: new Set(URL_TYPES) },
];

/** `value` with MISP's refanging for `type` applied; unchanged for types MISP does not refang. */
export function refang(type: string, value: string): string {
  let out = value;
  for (const rule of REFANG_RULES) {
    if (rule.types.has(type)) out = out.replace(rule.pattern, rule.replacement);
  }
  return out;
}
