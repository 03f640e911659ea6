/**
 * Is this file text? A freetext or CSV feed is read as UTF-8 text; a file that is not (an image, an executable, a
 * zip under another name, UTF-16) would otherwise "parse" into garbage values. Pure: bytes in, text or a refusal out.
 *
 * - A NUL byte: not text (no text format this reads has one; UTF-16 has them everywhere).
 * - Invalid UTF-8: tolerated up to MAX_INVALID_SEQUENCES, or up to MAX_INVALID_RATIO of the characters if that is
 *   more, so a Latin-1 list with a few accented names still imports (each odd byte becomes U+FFFD), while random
 *   bytes or a binary file are refused.
 * - A UTF-8 byte order mark is accepted and dropped.
 */
import { failure, success, type Result } from '../result';

/** Invalid UTF-8 sequences always tolerated, whatever the size of the file. */
export const MAX_INVALID_SEQUENCES = 8;
/** Share of the characters that may be invalid UTF-8 sequences, for files large enough for it to exceed the above. */
export const MAX_INVALID_RATIO = 0.01;

export function checkText(bytes: Uint8Array, fileName: string): Result<string> {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
    return failure(
      'bad-source',
      utf16 ? `${fileName}: not a text file this can read: UTF-16 (save it as UTF-8)` : `${fileName}: not a text file: NUL byte at offset ${nul}`,
    );
  }
  try {
    // The common case, valid UTF-8, is decided by the native decoder alone.
    return success(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    // invalid somewhere: count how much
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  const { invalid, first } = invalidSequences(bytes);
  const tolerated = Math.max(MAX_INVALID_SEQUENCES, Math.floor(text.length * MAX_INVALID_RATIO));
  if (invalid > tolerated) {
    return failure(
      'bad-source',
      `${fileName}: not a text file: ${invalid} invalid UTF-8 sequences in ${bytes.length} bytes, the first at offset ${first} ` +
        `(at most ${tolerated} tolerated; save it as UTF-8)`,
    );
  }
  return success(text);
}

/**
 * Count the invalid sequences the way the decoder replaces them (one U+FFFD per "maximal subpart", as the WHATWG
 * Encoding standard says), and where the first one starts.
 */
export function invalidSequences(bytes: Uint8Array): { invalid: number; first: number } {
  let invalid = 0;
  let first = -1;
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 1;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      if (b0 === 0xe0) lo = 0xa0;
      else if (b0 === 0xed) hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      if (b0 === 0xf0) lo = 0x90;
      else if (b0 === 0xf4) hi = 0x8f;
    }
    let n = 1;
    while (n <= need) {
      const b = bytes[i + n];
      if (b === undefined || b < lo || b > hi) break;
      lo = 0x80;
      hi = 0xbf;
      n++;
    }
    if (need === 0 || n <= need) {
      invalid++;
      if (first < 0) first = i;
    }
    i += n;
  }
  return { invalid, first };
}
