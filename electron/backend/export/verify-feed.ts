/**
 * Verify a feed before anything of it is read as events: every file against SHA256SUMS (what `sha256sum -c`
 * checks), and every event file against its manifest entry's `integrity:sha256`. The report names each file that
 * differs, is missing or was added; a feed without SHA256SUMS is `unchecked`, not passed.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { issue, type Issue } from '../../../shared/feed/issues';
import { parseManifest } from '../../../shared/feed/manifest';
import type { verifyReportSchema } from '../../../shared/ipc/verify-schemas';
import { failure, success, type Result } from '../result';
import type { FeedSource } from '../source/feed-source';
import type { SourceLimits } from '../source/limits';
import { locateFeed } from '../source/locate-feed';
import { readText } from '../source/open-feed';
import { openFeedSource } from '../source/open-source';
import { CHECKSUMS_FILE, parseChecksums } from './checksums';
import { checkDetached, type KeyInfo } from '../keys/openpgp-keys';

export type VerifyReport = z.output<typeof verifyReportSchema>;
type FileProblem = VerifyReport['files'][number];

/** Files beside the feed that SHA256SUMS cannot list: itself and the signatures made over it. */
const NOT_LISTED = new Set([CHECKSUMS_FILE, `${CHECKSUMS_FILE}.asc`, 'manifest.json.asc']);

async function hashEntry(source: FeedSource, name: string): Promise<Result<string>> {
  const stream = await source.stream(name);
  if (!stream.ok) return stream;
  const hash = createHash('sha256');
  try {
    for await (const chunk of stream.value) hash.update(chunk as Buffer);
  } catch (e) {
    return failure('bad-source', `${name}: cannot be read: ${(e as Error).message}`);
  }
  return success(hash.digest('hex'));
}

type SignatureReport = VerifyReport['signature'];

/** SHA256SUMS.asc (and manifest.json.asc beside it) against the known keys. */
async function checkSignatures(source: FeedSource, root: string, files: readonly string[], keys: readonly KeyInfo[], limits: SourceLimits): Promise<SignatureReport> {
  const signed = [CHECKSUMS_FILE, 'manifest.json'].filter((n) => files.includes(`${n}.asc`));
  if (!signed.includes(CHECKSUMS_FILE)) {
    return { status: 'unsigned', message: signed.length > 0 ? 'only manifest.json is signed; SHA256SUMS.asc is missing' : 'not signed', signer: null };
  }
  let signer: SignatureReport['signer'] = null;
  for (const name of signed) {
    const signature = await readText(source, `${root}${name}.asc`, limits.maxJsonBytes);
    const data = files.includes(name) ? await source.read(root + name, limits.maxJsonBytes) : null;
    if (!signature.ok) return { status: 'bad', message: `${name}.asc: ${signature.error.message}`, signer: null };
    if (!data?.ok) return { status: 'bad', message: `${name}.asc signs ${name}, which cannot be read`, signer: null };
    const check = await checkDetached(signature.value, data.value, keys);
    switch (check.status) {
      case 'unknown-key':
        return { status: 'unknown-key', message: `${name} is signed by key ${check.keyId}, which is not among this library's keys`, signer: null };
      case 'bad':
        return { status: 'bad', message: `${name}.asc does not match ${name}${check.fingerprint ? ` (key ${check.fingerprint})` : ''}: the feed was changed after it was signed`, signer: null };
      case 'good':
        signer = { fingerprint: check.fingerprint, userIds: [...check.userIds] };
        break;
      default: {
        const exhaustive: never = check;
        return exhaustive;
      }
    }
  }
  return { status: 'good', message: `signed by ${signer!.userIds[0] ?? signer!.fingerprint} (${signer!.fingerprint})`, signer };
}

/** `keys`: the public keys a signature may be checked with (the library's own and trusted keys). */
export async function verifyFeed(userPath: string, limits: SourceLimits, keys: readonly KeyInfo[] = []): Promise<Result<VerifyReport>> {
  const opened = await openFeedSource(userPath, limits);
  if (!opened.ok) return opened;
  try {
    return await verifySource(opened.value, userPath, limits, keys);
  } finally {
    await opened.value.close();
  }
}

/** Files of a feed that carry its integrity: an import verifies a feed that has any of them. */
export function hasIntegrityFiles(names: Iterable<string>): boolean {
  for (const n of names) if (/(^|\/)(SHA256SUMS(\.asc)?|manifest\.json\.asc)$/.test(n)) return true;
  return false;
}

/** The same checks on a source already open (the import's own), which stays open. */
export async function verifySource(source: FeedSource, shownAs: string, limits: SourceLimits, keys: readonly KeyInfo[]): Promise<Result<VerifyReport>> {
  const layout = locateFeed(source);
  if (!layout.ok) return layout;
  const { root } = layout.value;
  const files = [...source.entries.keys()].filter((n) => n.startsWith(root) && !n.slice(root.length).includes('/')).map((n) => n.slice(root.length));
  const problems: FileProblem[] = [];
  const issues: Issue[] = [];
  const computed = new Map<string, string>();
  const hashOf = async (name: string): Promise<string | null> => {
    const known = computed.get(name);
    if (known) return known;
    const h = await hashEntry(source, root + name);
    if (!h.ok) {
      issues.push(issue('error', 'verify.unreadable', name, h.error.message));
      return null;
    }
    computed.set(name, h.value);
    return h.value;
  };

  let checked = 0;
  const hasSums = files.includes(CHECKSUMS_FILE);
  if (hasSums) {
    const text = await readText(source, root + CHECKSUMS_FILE, limits.maxJsonBytes);
    if (!text.ok) return text;
    const parsed = parseChecksums(text.value);
    issues.push(...parsed.issues);
    for (const [name, expected] of parsed.sums) {
      if (!files.includes(name)) {
        problems.push({ name, problem: 'missing', message: `${name} is listed in ${CHECKSUMS_FILE} but not in the feed` });
        continue;
      }
      const actual = await hashOf(name);
      checked++;
      if (actual !== null && actual !== expected) {
        problems.push({ name, problem: 'differs', message: `${name} does not match its checksum in ${CHECKSUMS_FILE}` });
      }
    }
    for (const name of files) {
      if (!parsed.sums.has(name) && !NOT_LISTED.has(name)) {
        problems.push({ name, problem: 'added', message: `${name} is in the feed but not in ${CHECKSUMS_FILE}` });
      }
    }
  }

  // The manifest's own integrity fields: checked whether or not SHA256SUMS is there.
  if (files.includes('manifest.json')) {
    const text = await readText(source, layout.value.manifest, limits.maxJsonBytes);
    if (text.ok) {
      const manifest = parseManifest(text.value);
      for (const entry of manifest.value.entries) {
        if (entry.sha256 === undefined) continue;
        const name = `${entry.uuid}.json`;
        if (!files.includes(name)) continue;
        const actual = await hashOf(name);
        if (actual !== null && actual !== entry.sha256) {
          problems.push({ name, problem: 'integrity-differs', message: `${name} does not match integrity:sha256 in manifest.json` });
        }
      }
    }
  }

  const signature = await checkSignatures(source, root, files, keys, limits);
  const broken = problems.length > 0 || issues.some((i) => i.severity === 'error') || signature.status === 'bad';
  return success({
    source: shownAs,
    kind: source.kind,
    status: broken ? 'altered' : hasSums ? 'verified' : 'unchecked',
    checked,
    files: problems,
    signature,
    issues: hasSums ? issues : [...issues, issue('warning', 'verify.no-checksums', CHECKSUMS_FILE, `the feed has no ${CHECKSUMS_FILE}; its files cannot be checked`)],
  });
}
