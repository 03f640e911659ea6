/**
 * OpenPGP through OpenPGP.js: keys made, read and used here, signatures any `gpg --verify` accepts. Keys are
 * version 4 Ed25519 (the kind Debian's and every other gpg of the last decade reads); detached signatures are
 * ASCII-armoured, as `gpg --detach-sign --armor` writes them. Every failure comes back as a value naming the key
 * or the file.
 */
import type * as OpenPGP from 'openpgp';
import { failure, success, type Result } from '../result';

// Loaded on first use: most commands and most of a session never sign or check a signature, and the library is
// a noticeable part of a process's start-up memory.
let loaded: Promise<typeof OpenPGP> | null = null;
const pgp = () => (loaded ??= import('openpgp'));

export interface KeyInfo {
  /** Lower-case hex. */
  readonly fingerprint: string;
  readonly userIds: readonly string[];
  readonly algorithm: string;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly publicArmored: string;
}

export interface GeneratedKey extends KeyInfo {
  /** The private key, encrypted with the passphrase it was made with. */
  readonly privateArmored: string;
}

function infoOf(key: OpenPGP.Key): KeyInfo {
  const algorithm = key.getAlgorithmInfo();
  return {
    fingerprint: key.getFingerprint().toLowerCase(),
    userIds: key.getUserIDs(),
    algorithm: 'curve' in algorithm && algorithm.curve ? `${algorithm.algorithm} ${algorithm.curve}` : algorithm.algorithm,
    createdAt: Math.floor(key.getCreationTime().getTime() / 1000),
    publicArmored: key.toPublic().armor(),
  };
}

export async function generateSigningKey(name: string, email: string | undefined, passphrase: string): Promise<Result<GeneratedKey>> {
  const openpgp = await pgp();
  try {
    const made = await openpgp.generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [email ? { name, email } : { name }],
      passphrase,
      format: 'object',
    });
    return success({ ...infoOf(made.publicKey), privateArmored: made.privateKey.armor() });
  } catch (e) {
    return failure('internal', `the key could not be made: ${(e as Error).message}`);
  }
}

/** Every public key in an armoured text (a file may hold several); private keys are refused, by what they are. */
export async function readPublicKeys(armored: string, source: string): Promise<Result<KeyInfo[]>> {
  const openpgp = await pgp();
  let keys: OpenPGP.Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys: armored });
  } catch (e) {
    return failure('invalid-input', `${source}: not an armoured OpenPGP public key: ${(e as Error).message}`);
  }
  if (keys.some((k) => k.isPrivate())) {
    return failure('invalid-input', `${source}: holds a private key; import the producer's public key only`);
  }
  return success(keys.map(infoOf));
}

/** An own key, unlocked: makes detached, armoured signatures. */
export interface Signer {
  readonly fingerprint: string;
  readonly userIds: readonly string[];
  sign(data: Uint8Array): Promise<Result<string>>;
}

/** Unlocks an own key with its passphrase, before any work that would be wasted if it does not. */
export async function unlockSigner(privateArmored: string, passphrase: string, fingerprint: string): Promise<Result<Signer>> {
  const openpgp = await pgp();
  let key: OpenPGP.PrivateKey;
  try {
    key = await openpgp.decryptKey({ privateKey: await openpgp.readPrivateKey({ armoredKey: privateArmored }), passphrase });
  } catch {
    return failure('invalid-input', `the passphrase does not unlock key ${fingerprint}`);
  }
  return success({
    fingerprint,
    userIds: key.getUserIDs(),
    async sign(data) {
      try {
        const message = await openpgp.createMessage({ binary: data });
        return success(await openpgp.sign({ message, signingKeys: key, detached: true, format: 'armored' }));
      } catch (e) {
        return failure('internal', `signing with key ${fingerprint} failed: ${(e as Error).message}`);
      }
    },
  });
}

export type SignatureCheck =
  | { readonly status: 'good'; readonly fingerprint: string; readonly userIds: readonly string[] }
  /** Made by a known key, but not over these bytes (or not a valid signature at all). */
  | { readonly status: 'bad'; readonly fingerprint: string | null; readonly message: string }
  /** Made by a key that is not among the known ones: whose it is cannot be checked. */
  | { readonly status: 'unknown-key'; readonly keyId: string };

/** Checks a detached signature against the known public keys. */
export async function checkDetached(signatureArmored: string, data: Uint8Array, known: readonly KeyInfo[]): Promise<SignatureCheck> {
  const openpgp = await pgp();
  let signature: OpenPGP.Signature;
  try {
    signature = await openpgp.readSignature({ armoredSignature: signatureArmored });
  } catch (e) {
    return { status: 'bad', fingerprint: null, message: `not an armoured OpenPGP signature: ${(e as Error).message}` };
  }
  const keyIds = signature.getSigningKeyIDs().map((id) => id.toHex().toLowerCase());
  const candidates: { info: KeyInfo; key: OpenPGP.Key }[] = [];
  for (const info of known) {
    const key = await openpgp.readKey({ armoredKey: info.publicArmored });
    const ids = [key.getKeyID(), ...key.getSubkeys().map((s) => s.getKeyID())].map((id) => id.toHex().toLowerCase());
    if (ids.some((id) => keyIds.includes(id))) candidates.push({ info, key });
  }
  if (candidates.length === 0) return { status: 'unknown-key', keyId: keyIds[0] ?? 'unknown' };
  const message = await openpgp.createMessage({ binary: data });
  for (const { info, key } of candidates) {
    try {
      const verified = await openpgp.verify({ message, signature, verificationKeys: key, expectSigned: true });
      await verified.signatures[0]?.verified;
      return { status: 'good', fingerprint: info.fingerprint, userIds: info.userIds };
    } catch (e) {
      return { status: 'bad', fingerprint: info.fingerprint, message: (e as Error).message };
    }
  }
  return { status: 'unknown-key', keyId: keyIds[0] ?? 'unknown' };
}
