/**
 * Punycode (RFC 3492) encoding of one domain label. shared/ cannot use the URL class or Node's punycode
 * module, and MISP converts internationalised domains to their `xn--` form before storing them, so we need
 * the encoder to arrive at the same stored value.
 */

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;

/** Bias adaptation after each encoded code point (RFC 3492 section 6.1). */
function adapt(delta: number, pointCount: number, firstTime: boolean): number {
  let d = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / pointCount);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

/** Digit values 0-25 are a-z, 26-35 are 0-9. */
function digitChar(digit: number): string {
  return String.fromCharCode(digit < 26 ? 0x61 + digit : 0x30 + digit - 26);
}

/**
 * The Punycode form of `label` without the `xn--` prefix (`bücher` → `bcher-kva`). The label is taken as
 * given: callers lower-case and normalise it first. Returns null if the encoding would overflow, which only
 * absurdly long labels can cause.
 */
export function encodePunycode(label: string): string | null {
  const points = Array.from(label, (ch) => ch.codePointAt(0) ?? 0);
  let output = points.filter((p) => p < 0x80).map((p) => String.fromCharCode(p)).join('');
  const basicCount = output.length;
  if (basicCount > 0) output += '-';

  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  let handled = basicCount;
  while (handled < points.length) {
    const next = Math.min(...points.filter((p) => p >= n));
    delta += (next - n) * (handled + 1);
    n = next;
    for (const point of points) {
      if (point < n) delta++;
      if (point !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
        if (q < t) break;
        output += digitChar(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      output += digitChar(q);
      bias = adapt(delta, handled + 1, handled === basicCount);
      delta = 0;
      handled++;
    }
    if (!Number.isSafeInteger(delta)) return null;
    delta++;
    n++;
  }
  return output;
}
