/** The export history: one row per export written (dry runs are not history), its report kept whole. */
import type { ReadHandle, WriteHandle } from '../handles';

export interface ExportRunRow {
  readonly id: number;
  readonly profile: string | null;
  readonly target: string;
  readonly format: 'folder' | 'zip';
  readonly startedAt: number;
  readonly finishedAt: number;
  /** The export report as JSON (see export-schemas.ts). */
  readonly report: string;
}

interface Row { id: number; profile: string | null; target: string; format: 'folder' | 'zip'; started_at: number; finished_at: number; report: string }

const runOf = (r: Row): ExportRunRow => ({
  id: r.id, profile: r.profile, target: r.target, format: r.format, startedAt: r.started_at, finishedAt: r.finished_at, report: r.report,
});

export function recordExport(db: WriteHandle, run: Omit<ExportRunRow, 'id'>): number {
  const r = db
    .prepare('INSERT INTO export_run (profile, target, format, started_at, finished_at, report) VALUES (?, ?, ?, ?, ?, ?)')
    .run(run.profile, run.target, run.format, run.startedAt, run.finishedAt, run.report);
  return Number(r.lastInsertRowid);
}

export function listExports(db: ReadHandle, limit: number): ExportRunRow[] {
  return db.prepare<[number], Row>('SELECT * FROM export_run ORDER BY id DESC LIMIT ?').all(limit).map(runOf);
}

/** The last export written to this target (an absolute path), for an incremental export to build on. */
export function lastExportTo(db: ReadHandle, target: string): ExportRunRow | undefined {
  const row = db.prepare<[string], Row>('SELECT * FROM export_run WHERE target = ? ORDER BY id DESC LIMIT 1').get(target);
  return row && runOf(row);
}

/** Which of these uuids are stored events (the others were deleted here, or never were). */
export function storedEventUuids(db: ReadHandle, uuids: readonly string[]): Set<string> {
  const found = new Set<string>();
  const stmt = db.prepare<[string], string>('SELECT uuid FROM event WHERE uuid = ?').pluck();
  for (const u of uuids) if (stmt.get(u) !== undefined) found.add(u);
  return found;
}
