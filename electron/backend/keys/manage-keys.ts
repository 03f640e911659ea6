/** The keys channels: make an own signing key, trust producers' public keys, give a public key out, forget one. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { z } from 'zod';
import type { keyGenerateSchema, keyImportSchema } from '../../../shared/ipc/export-schemas';
import type { Reader } from '../db/reader';
import type { Writer } from '../db/writer';
import { nowSeconds } from '../db/queries/feed-store';
import { findKey, listKeys, removeKey, saveKey, type StoredKey } from '../db/queries/key-store';
import { failure, success, type Result } from '../result';
import { generateSigningKey, readPublicKeys } from './openpgp-keys';

/** An armoured key file is a few kilobytes; anything far larger is not one. */
const MAX_KEY_FILE = 1024 * 1024;

type Summary = Omit<StoredKey, 'publicArmored' | 'userIds'> & { userIds: string[] };
const summary = ({ publicArmored: _armored, userIds, ...rest }: StoredKey): Summary => ({ ...rest, userIds: [...userIds] });

export function keysList(reader: Reader): Result<Summary[]> {
  return reader.read((db) => success(listKeys(db).map(summary)));
}

export async function keysGenerate(writer: Writer, input: z.output<typeof keyGenerateSchema>): Promise<Result<Summary>> {
  const made = await generateSigningKey(input.name, input.email, input.passphrase);
  if (!made.ok) return made;
  const { privateArmored, ...info } = made.value;
  return writer.write('keys.generate', (step) => {
    const saved = saveKey(step.db, info, 'own', nowSeconds(), privateArmored);
    if (saved.ok) step.changed({ keys: true });
    return saved.ok ? success(summary(saved.value)) : saved;
  });
}

export async function keysImport(writer: Writer, input: z.output<typeof keyImportSchema>): Promise<Result<Summary[]>> {
  let text: string;
  let where: string;
  if (input.source !== undefined) {
    where = input.source;
    try {
      const bytes = await readFile(resolve(input.source));
      if (bytes.length > MAX_KEY_FILE) return failure('invalid-input', `${where}: ${bytes.length} bytes is too large for a key file`);
      text = bytes.toString('utf8');
    } catch (e) {
      return failure('not-found', `${where}: cannot be read: ${(e as Error).message}`);
    }
  } else {
    where = 'the pasted key';
    text = input.armored ?? '';
  }
  const keys = await readPublicKeys(text, where);
  if (!keys.ok) return keys;
  return writer.write('keys.import', (step) => {
    const saved: Summary[] = [];
    for (const key of keys.value) {
      const r = saveKey(step.db, key, 'trusted', nowSeconds(), null);
      if (!r.ok) return r;
      saved.push(summary(r.value));
    }
    step.changed({ keys: true });
    return success(saved);
  });
}

export function keysExport(reader: Reader, query: string): Result<{ fingerprint: string; armored: string }> {
  return reader.read((db) => {
    const key = findKey(db, query);
    return key.ok ? success({ fingerprint: key.value.fingerprint, armored: key.value.publicArmored }) : key;
  });
}

export function keysRemove(writer: Writer, query: string): Promise<Result<{ fingerprint: string }>> {
  return writer.write('keys.remove', (step) => {
    const key = findKey(step.db, query);
    if (!key.ok) return key;
    const removed = removeKey(step.db, key.value.fingerprint);
    if (!removed.ok) return removed;
    step.changed({ keys: true });
    return success({ fingerprint: key.value.fingerprint });
  });
}
