/**
 * Where an export lands, written so that nothing ever looks like a complete feed before it is one: every file goes
 * into a hidden sibling on the same volume (a folder, or a zip file), is fsynced, and the sibling is renamed into
 * place at the end. A kill, a full disk or a pulled USB key leaves only a hidden `.ferry-` sibling, which the next
 * export into the same place removes.
 *
 * A folder that already holds a feed is replaced in two renames (old feed aside, new feed in). Should the process
 * die between them, the next export puts the old feed back before it starts (restoreInterrupted).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { link, lstat, mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { createHash, hash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { failure, success, type Result } from '../result';
import { looksLikeZip } from '../source/open-source';
import { isProcessAlive } from '../process-alive';

export type TargetFormat = 'folder' | 'zip';

/** A file's content: text (written as UTF-8), bytes, or bytes in pieces (a generator's event, see DayEvent). */
export type FileData = string | Uint8Array | readonly Uint8Array[];

function byteLength(data: Uint8Array | readonly Uint8Array[]): number {
  return data instanceof Uint8Array ? data.length : data.reduce((n, c) => n + c.length, 0);
}

export function targetFormatOf(path: string): TargetFormat {
  return path.toLowerCase().endsWith('.zip') ? 'zip' : 'folder';
}

export interface FeedTarget {
  readonly format: TargetFormat;
  readonly path: string;
  /** Bytes put so far. */
  readonly bytes: number;
  /** Add one file of the feed (a plain name, no folders); `data` may come in pieces, written one after the other. */
  put(name: string, data: FileData): Promise<void>;
  /**
   * Add an earlier export's file as it is, when its bytes still have this SHA-256; false (nothing added) when they
   * do not, so the caller writes it anew instead of passing on an altered file.
   */
  keep(name: string, from: string, sha256: string): Promise<boolean>;
  /** Add an earlier export's file as it is, its checksum already checked by the caller. */
  adopt(name: string, from: string): Promise<void>;
  /**
   * Append to a file of the feed that grows as the export goes (hashes.csv), so it is never held in memory whole;
   * the file exists from the first call, even an empty one. Returns nothing; `appendedSha256` says what it holds.
   */
  append(name: string, text: string): Promise<void>;
  /** SHA-256 of everything appended to `name` so far (written out first). */
  appendedSha256(name: string): Promise<string>;
  /** Make the feed appear at its path, whole. */
  commit(): Promise<Result<void>>;
  /** Drop everything written; the path is left as it was. */
  discard(): Promise<void>;
}

/** Files a feed folder holds: what Ferry and PyMISP write, and signatures beside them. */
const FEED_FILE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.json(?:\.asc)?|manifest\.json(?:\.asc)?|hashes\.csv|SHA256SUMS(?:\.asc)?)$/i;

const MARK = '.ferry-';

function sibling(path: string, kind: 'tmp' | 'old'): string {
  const rand = Math.random().toString(36).slice(2, 8);
  return join(dirname(path), `.${basename(path)}${MARK}${kind}-${process.pid}-${rand}`);
}


async function exists(path: string) {
  return lstat(path).then(
    (st) => st,
    () => null,
  );
}

/**
 * Siblings left by an export that died: a set-aside old feed goes back where it was when nothing replaced it;
 * unfinished new ones are removed. Siblings of a live process are left alone (it may still be writing).
 */
export async function restoreInterrupted(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `.${basename(path)}${MARK}`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(tmp|old)-(\d+)-/.exec(name.slice(prefix.length));
    if (!m || isProcessAlive(Number(m[2]))) continue;
    const full = join(dir, name);
    if (m[1] === 'old' && !(await exists(path))) await rename(full, path);
    else await rm(full, { recursive: true, force: true });
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Checks the place, then opens a target there. Every refusal names the path and says why. */
export async function openTarget(userPath: string): Promise<Result<FeedTarget>> {
  const path = resolve(userPath);
  const format = targetFormatOf(path);
  const parent = await exists(dirname(path));
  if (!parent?.isDirectory()) return failure('not-found', `${dirname(userPath)}: no such folder to export into`);
  try {
    await restoreInterrupted(path);
  } catch (e) {
    return failure('unavailable', `${userPath}: cannot tidy up after an interrupted export: ${(e as Error).message}`);
  }
  const st = await exists(path);
  if (st?.isSymbolicLink()) return failure('bad-target', `${userPath}: is a symbolic link; export to its target instead`);
  if (format === 'folder' && st) {
    if (!st.isDirectory()) return failure('bad-target', `${userPath}: is a file, not a folder`);
    const names = await readdir(path);
    const stranger = names.find((n) => !FEED_FILE.test(n));
    if (stranger !== undefined) {
      return failure('bad-target', `${userPath}: not empty and not a feed (it holds ${JSON.stringify(stranger)}); choose an empty folder`);
    }
    if (names.length > 0 && !names.includes('manifest.json')) {
      return failure('bad-target', `${userPath}: holds feed-like files but no manifest.json; choose an empty folder`);
    }
  }
  if (format === 'zip' && st) {
    if (!st.isFile()) return failure('bad-target', `${userPath}: is not a regular file`);
    const zip = await looksLikeZip(path, userPath);
    if (!zip.ok) return zip;
    if (!zip.value) return failure('bad-target', `${userPath}: exists and is not a zip; it is not replaced`);
  }
  try {
    return success(format === 'folder' ? await FolderTarget.create(path, st !== null) : await ZipTarget.create(path));
  } catch (e) {
    return failure('unavailable', `${userPath}: cannot write here: ${(e as Error).message}`);
  }
}

/** Appended text is written out in pieces of about this size: one write per event would be a syscall per event. */
const APPEND_CHUNK = 4 * 1024 * 1024;

/** Files written piece by piece, each with the running SHA-256 of what it holds. */
class Appender {
  private readonly files = new Map<string, { handle: FileHandle; sha: Hash; bytes: number; pending: string[]; pendingChars: number }>();

  constructor(private readonly pathOf: (name: string) => string) {}

  async append(name: string, text: string): Promise<number> {
    let f = this.files.get(name);
    if (!f) {
      f = { handle: await open(this.pathOf(name), 'wx'), sha: createHash('sha256'), bytes: 0, pending: [], pendingChars: 0 };
      this.files.set(name, f);
    }
    if (text === '') return 0;
    f.pending.push(text);
    f.pendingChars += text.length;
    return f.pendingChars >= APPEND_CHUNK ? this.flush(f) : 0;
  }

  /** Writes what waits; returns the bytes written. */
  private async flush(f: { handle: FileHandle; sha: Hash; bytes: number; pending: string[]; pendingChars: number }): Promise<number> {
    if (f.pending.length === 0) return 0;
    const bytes = Buffer.from(f.pending.join(''), 'utf8');
    f.pending = [];
    f.pendingChars = 0;
    await f.handle.write(bytes);
    f.sha.update(bytes);
    f.bytes += bytes.length;
    return bytes.length;
  }

  /** Writes out everything appended so far; returns the bytes written now. */
  async flushAll(): Promise<number> {
    let n = 0;
    for (const f of this.files.values()) n += await this.flush(f);
    return n;
  }

  /** SHA-256 of what is written; call flushAll first. */
  sha256(name: string): string {
    return this.files.get(name)?.sha.copy().digest('hex') ?? hash('sha256', '', 'hex');
  }

  names(): string[] {
    return [...this.files.keys()];
  }

  /** fsync and close every appended file (before the feed is put in place); `sync: false` only closes. */
  async close(sync: boolean): Promise<void> {
    if (sync) await this.flushAll();
    for (const f of this.files.values()) {
      if (sync) await f.handle.sync();
      await f.handle.close().catch(() => undefined);
    }
    this.files.clear();
  }
}

/** fsyncs in flight at once: each waits for the disk, so overlapping them hides most of that wait. */
const SYNCS_IN_FLIGHT = 16;

class FolderTarget implements FeedTarget {
  readonly format = 'folder' as const;
  bytes = 0;
  private readonly syncing = new Set<Promise<void>>();
  private syncError: Error | null = null;
  private readonly appender: Appender;

  private constructor(
    readonly path: string,
    private readonly temp: string,
    private readonly replacing: boolean,
  ) {
    this.appender = new Appender((name) => join(this.temp, name));
  }

  async append(name: string, text: string): Promise<void> {
    this.bytes += await this.appender.append(name, text);
  }

  async appendedSha256(name: string): Promise<string> {
    this.bytes += await this.appender.flushAll();
    return this.appender.sha256(name);
  }

  static async create(path: string, replacing: boolean): Promise<FolderTarget> {
    const temp = sibling(path, 'tmp');
    await mkdir(temp);
    return new FolderTarget(path, temp, replacing);
  }

  async put(name: string, data: FileData): Promise<void> {
    if (this.syncError) throw this.syncError;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const handle = await open(join(this.temp, name), 'wx');
    try {
      if (bytes instanceof Uint8Array) await handle.writeFile(bytes);
      else await handle.writev(bytes);
    } catch (e) {
      await handle.close();
      throw e;
    }
    this.bytes += byteLength(bytes);
    // The file is durable before commit() renames anything: commit waits for every one of these.
    const sync: Promise<void> = handle
      .sync()
      .catch((e: Error) => {
        this.syncError ??= e;
      })
      .finally(() => {
        this.syncing.delete(sync);
        return handle.close();
      });
    this.syncing.add(sync);
    if (this.syncing.size >= SYNCS_IN_FLIGHT) await Promise.race(this.syncing);
  }

  async keep(name: string, from: string, sha256: string): Promise<boolean> {
    const bytes = await readFile(from).catch(() => null);
    if (!bytes || hash('sha256', bytes, 'hex') !== sha256) return false;
    await this.adopt(name, from, bytes);
    return true;
  }

  async adopt(name: string, from: string, read?: Buffer): Promise<void> {
    try {
      // A hard link costs no copy and no fsync of data already on disk; FAT and exFAT keys have none, so copy there.
      await link(from, join(this.temp, name));
      this.bytes += read?.length ?? (await lstat(from)).size;
    } catch {
      await this.put(name, read ?? (await readFile(from)));
    }
  }

  private async synced(): Promise<void> {
    await Promise.all(this.syncing);
    await this.appender.close(true);
    if (this.syncError) throw this.syncError;
  }

  async commit(): Promise<Result<void>> {
    try {
      await this.synced();
      await fsyncPath(this.temp);
      const parent = dirname(this.path);
      if (this.replacing && (await exists(this.path))) {
        const old = sibling(this.path, 'old');
        await rename(this.path, old);
        await rename(this.temp, this.path);
        await fsyncPath(parent);
        await rm(old, { recursive: true, force: true });
      } else {
        await rename(this.temp, this.path);
      }
      await fsyncPath(parent);
      return success(undefined);
    } catch (e) {
      await this.discard();
      return failure('unavailable', `${this.path}: the feed could not be put in place: ${(e as Error).message}`);
    }
  }

  async discard(): Promise<void> {
    await Promise.all(this.syncing);
    await this.appender.close(false);
    await rm(this.temp, { recursive: true, force: true });
  }
}

/** At most this many files wait in the zip's queue: the rest of the export waits, so memory stays flat. */
const ZIP_QUEUE = 8;

class ZipTarget implements FeedTarget {
  readonly format = 'zip' as const;
  bytes = 0;
  private readonly zip = new ZipFile();
  private readonly done: Promise<void>;
  private queued = 0;
  private wake: (() => void) | null = null;
  private failed: Error | null = null;
  private readonly mtime = new Date();
  /** Appended files are spooled beside the zip and added as the last entries at commit. */
  private readonly appender: Appender;

  private constructor(
    readonly path: string,
    private readonly temp: string,
    private readonly out: WriteStream,
  ) {
    this.appender = new Appender((name) => `${this.temp}.${name}`);
    const fail = (e: Error) => {
      this.failed ??= e;
      this.wake?.();
    };
    this.zip.on('error', fail);
    this.done = new Promise<void>((resolveDone, reject) => {
      out.on('error', (e) => {
        fail(e);
        reject(e);
      });
      out.on('close', () => resolveDone());
    });
    // The stream's own error path rejects `done`; commit() awaits it, discard() does not care.
    this.done.catch(() => undefined);
    this.zip.outputStream.pipe(out);
  }

  static async create(path: string): Promise<ZipTarget> {
    const temp = `${sibling(path, 'tmp')}.zip`;
    const out = createWriteStream(temp, { flags: 'wx' });
    await new Promise<void>((ok, ko) => {
      out.once('open', () => ok());
      out.once('error', ko);
    });
    return new ZipTarget(path, temp, out);
  }

  async put(name: string, data: FileData): Promise<void> {
    if (this.failed) throw this.failed;
    while (this.queued >= ZIP_QUEUE) {
      await new Promise<void>((r) => (this.wake = r));
      if (this.failed) throw this.failed;
    }
    let held: Uint8Array | null = typeof data === 'string' ? Buffer.from(data, 'utf8') : data instanceof Uint8Array ? data : Buffer.concat(data);
    this.queued++;
    this.bytes += held.length;
    // Lazily: yazl asks for the bytes when the entry's turn comes, which is when it leaves the queue. It keeps
    // this function with the entry until the zip ends, so the function must let go of the bytes once given.
    this.zip.addReadStreamLazy(name, { mtime: this.mtime, mode: 0o100644 }, (cb) => {
      this.queued--;
      const w = this.wake;
      this.wake = null;
      w?.();
      const given = held!;
      held = null;
      cb(null, Readable.from([given]));
    });
  }

  async keep(name: string, from: string, sha256: string): Promise<boolean> {
    const bytes = await readFile(from).catch(() => null);
    if (!bytes || hash('sha256', bytes, 'hex') !== sha256) return false;
    await this.put(name, bytes);
    return true;
  }

  async adopt(name: string, from: string): Promise<void> {
    await this.put(name, await readFile(from));
  }

  async append(name: string, text: string): Promise<void> {
    this.bytes += await this.appender.append(name, text);
  }

  async appendedSha256(name: string): Promise<string> {
    this.bytes += await this.appender.flushAll();
    return this.appender.sha256(name);
  }

  private async removeSpools(): Promise<void> {
    await Promise.all(this.appender.names().map((n) => rm(`${this.temp}.${n}`, { force: true })));
  }

  async commit(): Promise<Result<void>> {
    try {
      const spooled = this.appender.names();
      await this.appender.flushAll();
      await this.appender.close(false);
      for (const name of spooled) this.zip.addFile(`${this.temp}.${name}`, name, { mtime: this.mtime, mode: 0o100644 });
      this.zip.end();
      await this.done;
      if (this.failed) throw this.failed;
      await fsyncPath(this.temp);
      await rename(this.temp, this.path);
      await fsyncPath(dirname(this.path));
      await this.removeSpools();
      return success(undefined);
    } catch (e) {
      await this.discard();
      return failure('unavailable', `${this.path}: the zip could not be written: ${(e as Error).message}`);
    }
  }

  async discard(): Promise<void> {
    this.out.destroy();
    await this.done.catch(() => undefined);
    await this.appender.close(false);
    await this.removeSpools();
    await rm(this.temp, { force: true });
  }
}
