import type { Library } from '../open-library';
import type { Tag } from '../../../../shared/model/tag';

/**
 * Tag name → id, creating tags on first sight. Names match case-insensitively, as in MISP; the first spelling seen
 * is kept. Cached in memory because an import attaches the same few tags thousands of times.
 */
export class TagIds {
  private readonly cache = new Map<string, number>();
  private readonly find;
  private readonly insert;

  constructor(db: Library) {
    this.find = db.prepare<[string], number>('SELECT id FROM tag WHERE name = ? COLLATE NOCASE').pluck();
    this.insert = db.prepare<[string, string | null, number]>('INSERT INTO tag (name, colour, exportable) VALUES (?, ?, ?)');
  }

  idFor(tag: Tag): number {
    const key = tag.name.toLowerCase();
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const id = this.find.get(tag.name) ?? Number(this.insert.run(tag.name, tag.colour ?? null, tag.exportable === false ? 0 : 1).lastInsertRowid);
    this.cache.set(key, id);
    return id;
  }

  /** Forget cached ids (after a rolled-back transaction may have removed tags it created). */
  reset(): void {
    this.cache.clear();
  }
}
