/** The import log: one row per run, opened before work starts (status running) and closed with its report. */
import type { z } from 'zod';
import type { importReportSchema, importRunSchema } from '../../../../shared/ipc/library-schemas';
import type { ReadHandle, WriteHandle } from '../handles';
import { failure, success, type Result } from '../../result';

export type ImportReport = z.infer<typeof importReportSchema>;
export type ImportRun = z.infer<typeof importRunSchema>;

export function openRun(db: WriteHandle, feedId: number, source: string, sourceKind: string, mode: 'fetch' | 'cache', startedAt: number): number {
  return Number(
    db
      .prepare("INSERT INTO import_run (feed_id, source, source_kind, mode, started_at, status) VALUES (?, ?, ?, ?, ?, 'running')")
      .run(feedId, source, sourceKind, mode, startedAt).lastInsertRowid,
  );
}

export function closeRun(db: WriteHandle, report: ImportReport): void {
  db.prepare('UPDATE import_run SET finished_at = ?, status = ?, report = ? WHERE id = ?').run(
    report.finishedAt,
    report.status,
    JSON.stringify(report),
    report.importId,
  );
}

export function listRuns(db: ReadHandle, limit: number, feedId?: number): ImportRun[] {
  return db
    .prepare<[{ limit: number; feedId: number | null }], { id: number; feed_id: number | null; feed_name: string | null; source: string; mode: 'fetch' | 'cache'; status: ImportRun['status']; started_at: number; finished_at: number | null; counts: string | null }>(
      `SELECT r.id, r.feed_id, json_extract(f.config, '$.name') AS feed_name, r.source, r.mode, r.status, r.started_at, r.finished_at,
              json_extract(r.report, '$.counts') AS counts
       FROM import_run r LEFT JOIN feed f ON f.id = r.feed_id WHERE (@feedId IS NULL OR r.feed_id = @feedId)
       ORDER BY r.id DESC LIMIT @limit`,
    )
    .all({ limit, feedId: feedId ?? null })
    .map((r) => ({
      id: r.id,
      feedId: r.feed_id,
      feedName: r.feed_name,
      source: r.source,
      mode: r.mode,
      status: r.status,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      counts: r.counts === null ? null : (JSON.parse(r.counts) as ImportRun['counts']),
    }));
}

export function getRunReport(db: ReadHandle, id: number): Result<ImportReport> {
  const row = db.prepare<[number], { report: string | null; status: string }>('SELECT report, status FROM import_run WHERE id = ?').get(id);
  if (!row) return failure('not-found', `no import with id ${id}`);
  if (row.report === null) return failure('not-found', `import ${id} is still ${row.status}`);
  return success(JSON.parse(row.report) as ImportReport);
}
