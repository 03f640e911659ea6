/**
 * One generator per feed at a time: two would each write their own idea of today's event, and the later flush
 * would drop the other's items. The lock is a file holding the owner's pid, made with O_EXCL; one left by a
 * process that is gone (killed) is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../process-alive';
import { failure, success, type Result } from '../result';

export interface Lock {
  release(): Promise<void>;
}

/** Locks this process holds: its own pid in the file says nothing about which of its generators holds one. */
const held = new Set<string>();

export async function acquireLock(stateDir: string, shownAs: string): Promise<Result<Lock>> {
  await mkdir(stateDir, { recursive: true });
  const path = join(stateDir, 'lock');
  if (held.has(path)) return failure('conflict', `${shownAs}: a generator of this process is already writing this feed; close it first`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      held.add(path);
      return success({
        release: async () => {
          held.delete(path);
          await rm(path, { force: true });
        },
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return failure('unavailable', `${shownAs}: cannot take the generator lock ${path}: ${(e as Error).message}`);
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      // A lock with this process's pid and not held here is a leftover of an earlier generator that never closed.
      if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && isProcessAlive(owner)) {
        return failure('conflict', `${shownAs}: another generator (process ${owner}) is writing this feed; stop it first`);
      }
      await rm(path, { force: true });
    }
  }
  return failure('conflict', `${shownAs}: the generator lock ${path} keeps coming back; is another generator starting?`);
}

/** The live process holding the lock of this state folder, if any. */
export async function lockHolder(stateDir: string): Promise<number | null> {
  const owner = Number((await readFile(join(stateDir, 'lock'), 'utf8').catch(() => '')).trim());
  return Number.isSafeInteger(owner) && owner > 0 && isProcessAlive(owner) ? owner : null;
}
