/**
 * The journal: every item the generator accepted, one JSON line each, appended as it is accepted and cleared
 * once a flush has put it in the folder. A kill between two flushes then loses nothing: the next open replays
 * the lines, skipping items the folder already holds (by uuid). Lines are written straight to the file (no
 * buffering in this process), so a killed process has handed them to the kernel already; surviving a power cut
 * as well would take an fsync per item, which a sensor cannot afford.
 */
import { closeSync, fstatSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectFields } from '../../../shared/misp-objects/build-object';
import type { AttributeData, ObjectData } from './generator-items';

export type JournalRecord =
  | { readonly kind: 'attribute'; readonly uuid: string; readonly type: string; readonly value: unknown; readonly data: AttributeData }
  | { readonly kind: 'object'; readonly uuid: string; readonly template: string; readonly fields: ObjectFields; readonly data: ObjectData }
  | { readonly kind: 'sighting'; readonly uuid: string; readonly target: string };

export class GeneratorJournal {
  private constructor(
    private readonly path: string,
    private fd: number | null,
  ) {}

  static async open(stateDir: string): Promise<GeneratorJournal> {
    const path = join(stateDir, 'journal.ndjson');
    return new GeneratorJournal(path, openSync(path, 'a'));
  }

  append(at: number, record: JournalRecord): void {
    if (this.fd === null) return;
    writeSync(this.fd, `${JSON.stringify({ at, record })}\n`);
  }

  /** Where the journal ends now: a flush that starts here has everything before it. */
  position(): number {
    return this.fd === null ? 0 : fstatSync(this.fd).size;
  }

  /** What the journal holds; a torn last line (the kill came mid-write) is left out. */
  async records(): Promise<{ at: number; record: JournalRecord }[]> {
    const text = await readFile(this.path, 'utf8').catch(() => '');
    const out: { at: number; record: JournalRecord }[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        out.push(JSON.parse(line) as { at: number; record: JournalRecord });
      } catch {
        // Only the last line can be torn; anything else unreadable is skipped the same way.
      }
    }
    return out;
  }

  /**
   * Drops what a committed flush holds: the lines before `position`. Synchronous, so no line is appended while it
   * runs; the rest goes through a temporary file and a rename, so a kill here leaves one journal or the other.
   */
  flushedUpTo(position: number): void {
    if (this.fd === null) return;
    const rest = readFileSync(this.path).subarray(position);
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, rest);
    closeSync(this.fd);
    renameSync(temp, this.path);
    this.fd = openSync(this.path, 'a');
  }

  async close(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
