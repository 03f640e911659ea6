/**
 * Domain and host names: MISP's (loose) shape check and its conversion of internationalised names to
 * Punycode, which MISP does with PHP's idn_to_ascii (ICU, UTS #46, default flags) when a domain fails the
 * shape check.
 */

import { encodePunycode } from './punycode';

/**
 * MISP's shape rule for domain, hostname and the name halves of domain|ip / hostname|port: ASCII letters,
 * digits, `.`, `-` and `_`, then a dot and a last label of two or more letters, digits or hyphens. It does
 * not check label lengths or empty labels, so neither do we (we only warn, see domainShapeWarnings).
 */
export function isMispDomain(value: string): boolean {
  return /^[A-Za-z0-9._-]+\.[A-Za-z0-9-]{2,}$/.test(value);
}

/** Things MISP accepts in a domain but that no resolver will: reported as warnings, never as rejections. */
export function domainShapeWarnings(value: string): string[] {
  const warnings: string[] = [];
  const labels = value.split('.');
  if (labels.some((label) => label === '')) warnings.push('the name has an empty label (two dots in a row)');
  if (labels.some((label) => label.length > 63)) warnings.push('a label is longer than 63 characters');
  if (value.length > 253) warnings.push('the name is longer than 253 characters');
  return warnings;
}

// Full stops that UTS #46 treats as label separators besides the ASCII one (ideographic, fullwidth, halfwidth).
const ALTERNATIVE_DOTS = /[\u3002\uFF0E\uFF61]/g;

/**
 * The ASCII (`xn--`) form of an internationalised domain, or null when ICU would report an error and
 * idn_to_ascii would return false (MISP then keeps the original text, which its shape check rejects).
 *
 * Mapping approximates UTS #46 transitional processing, which is what idn_to_ascii's defaults select:
 * NFKC, case folding, `ß` → `ss`, final sigma → sigma, joiners removed. ICU's full tables of disallowed code
 * points are not reproduced, so a few exotic characters that ICU refuses are converted here instead.
 */
export function domainToAscii(value: string): string | null {
  const mapped = value
    .normalize('NFKC')
    .replace(ALTERNATIVE_DOTS, '.')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ς/g, 'σ')
    .replace(/[\u200C\u200D]/g, '')
    .normalize('NFC');
  const labels = mapped.split('.');
  // A single trailing dot (the DNS root) is allowed; any other empty label is an ICU error.
  if (labels.length > 1 && labels[labels.length - 1] === '') labels.pop();
  const out: string[] = [];
  for (const label of labels) {
    const ascii = labelToAscii(label);
    if (ascii === null) return null;
    out.push(ascii);
  }
  const result = out.join('.');
  return result.length > 253 ? null : result;
}

function labelToAscii(label: string): string | null {
  if (label === '' || label.startsWith('-') || label.endsWith('-')) return null;
  // ICU reserves `??--` for encodings like `xn--`; other labels may not have hyphens in positions 3 and 4.
  if (label.slice(2, 4) === '--' && !label.startsWith('xn--')) return null;
  if (isAscii(label)) return label.length > 63 ? null : label;
  // Every code point costs at least one output character, so longer labels cannot fit in 63 after `xn--`.
  if (Array.from(label).length > 59) return null;
  const encoded = encodePunycode(label);
  if (encoded === null) return null;
  const ascii = `xn--${encoded}`;
  return ascii.length > 63 ? null : ascii;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
