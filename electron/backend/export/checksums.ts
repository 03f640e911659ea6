/**
 * SHA256SUMS, the file `sha256sum -c` checks: one `<hex>  <name>` line per file of the feed, sorted by name, so
 * that the receiving side needs nothing but coreutils to prove the feed arrived as it left.
 */
import { createHash, hash } from 'node:crypto';
import { issue, type Issue } from '../../../shared/feed/issues';

export const CHECKSUMS_FILE = 'SHA256SUMS';

export function sha256Hex(data: string | Uint8Array | readonly Uint8Array[]): string {
  if (typeof data === 'string' || data instanceof Uint8Array) return hash('sha256', data, 'hex');
  const h = createHash('sha256');
  for (const chunk of data) h.update(chunk);
  return h.digest('hex');
}

export function formatChecksums(files: ReadonlyMap<string, string>): string {
  // Byte order, as `sort` in the C locale gives it, so the file is the same whoever writes it.
  const names = [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => `${files.get(name)!}  ${name}\n`).join('');
}

const LINE = /^([0-9a-fA-F]{64}) [ *](.+)$/;

/** Reads SHA256SUMS as sha256sum writes it (text ` ` or binary `*` mode); bad lines become errors naming the line. */
export function parseChecksums(text: string, file = CHECKSUMS_FILE): { readonly sums: Map<string, string>; readonly issues: Issue[] } {
  const sums = new Map<string, string>();
  const issues: Issue[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const m = LINE.exec(line);
    const where = `${file}:${i + 1}`;
    if (!m) {
      issues.push(issue('error', 'verify.checksum-line-invalid', where, `not a "<sha256>  <file>" line: ${JSON.stringify(line.slice(0, 80))}`));
      return;
    }
    const name = m[2]!;
    // A feed is one flat folder: a listed path that climbs out or goes down is not ours to check.
    if (name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
      issues.push(issue('error', 'verify.checksum-name-invalid', where, `${JSON.stringify(name.slice(0, 80))} is not a file of the feed folder`));
      return;
    }
    if (sums.has(name)) issues.push(issue('warning', 'verify.checksum-duplicate', where, `${name} is listed twice; the last line counts`));
    sums.set(name, m[1]!.toLowerCase());
  });
  return { sums, issues };
}
