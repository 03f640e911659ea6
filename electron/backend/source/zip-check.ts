/**
 * Is this file a zip? By its signature, not its name: a file that starts like a zip is opened as one whatever it
 * is called, and a file called .zip that does not is refused rather than read as something else (a 4 KB file of
 * random bytes named x.zip must not become a freetext feed of garbage). Pure: the first bytes in, a verdict out.
 */
import { failure, success, type Result } from '../result';

/** Bytes to read from the start of a file for `checkZip`. */
export const ZIP_SIGNATURE_BYTES = 4;

/** A local file header (PK\x03\x04), or the end-of-central-directory record of an empty archive (PK\x05\x06). */
export function hasZipSignature(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

/** true: a zip; false: not a zip, and not named like one; refused: named .zip without the signature. */
export function checkZip(head: Uint8Array, fileName: string): Result<boolean> {
  if (hasZipSignature(head)) return success(true);
  if (/\.zip$/i.test(fileName)) return failure('bad-source', `${fileName}: not a zip archive (no zip signature)`);
  return success(false);
}
