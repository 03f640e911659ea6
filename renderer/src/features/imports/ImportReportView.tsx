/**
 * The report an import leaves: what happened overall, the counts, problems with the source as a whole, and the events
 * that were not plainly added (or that had issues), each with its problems pointing at the file and the place in it.
 */
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { ImportItem, ImportOutcome, ImportReport } from '../../app/types';
import { VirtualTable } from '../../components/VirtualTable';
import { formatCount, formatDuration, formatTime } from '../../components/format';
import { ImportCounts } from './ImportCounts';
import { IssueTable } from './IssueTable';

const OUTCOMES: readonly ImportOutcome[] = ['added', 'updated', 'unchanged', 'filtered', 'rejected', 'conflict'];
type OutcomeFilter = ImportOutcome | 'all' | 'issues';

export function statusText(report: Pick<ImportReport, 'status' | 'mode'>): string {
  const what = report.mode === 'fetch' ? 'Fetch' : 'Cache';
  switch (report.status) {
    case 'done':
      return `${what} done`;
    case 'failed':
      return `${what} failed`;
    case 'cancelled':
      return `${what} cancelled`;
    default: {
      const exhaustive: never = report.status;
      return exhaustive;
    }
  }
}

const col = createColumnHelper<ImportItem>();
const columns = [
  col.accessor('outcome', { header: 'Outcome', size: 96, cell: (c) => <span className={`outcome outcome-${c.getValue()}`}>{c.getValue()}</span> }),
  col.accessor('info', { header: 'Event', size: 300, cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
  col.accessor('attributes', { header: 'Attrs', size: 64, cell: (c) => <span className="num">{c.getValue()}</span> }),
  col.accessor((i) => i.issues.length, {
    id: 'issues',
    header: 'Issues',
    size: 300,
    cell: (c) => {
      const first = c.row.original.issues[0];
      if (!first) return <span className="muted">—</span>;
      return (
        <span title={first.message}>
          <span className={`issue-severity issue-${first.severity}`}>{c.getValue()}</span> {first.message}
        </span>
      );
    },
  }),
  col.accessor('uuid', { header: 'UUID', size: 280, cell: (c) => <span className="mono">{c.getValue()}</span> }),
];

function keep(item: ImportItem, filter: OutcomeFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'issues':
      return item.issues.length > 0;
    default:
      return item.outcome === filter;
  }
}

function ImportItems({ items }: { items: readonly ImportItem[] }) {
  const [filter, setFilter] = useState<OutcomeFilter>('all');
  const [openUuid, setOpenUuid] = useState<string | null>(null);
  const shown = useMemo(() => items.filter((i) => keep(i, filter)), [items, filter]);
  const opened = items.find((i) => i.uuid === openUuid);
  const present = OUTCOMES.filter((o) => items.some((i) => i.outcome === o));
  return (
    <section className="report-items" aria-label="Imported items">
      <div className="toolbar">
        <h3>Events</h3>
        <select aria-label="Show items" value={filter} onChange={(e) => setFilter(e.target.value as OutcomeFilter)}>
          <option value="all">all ({items.length})</option>
          <option value="issues">with issues ({items.filter((i) => i.issues.length > 0).length})</option>
          {present.map((o) => (
            <option key={o} value={o}>
              {o} ({items.filter((i) => i.outcome === o).length})
            </option>
          ))}
        </select>
        <span className="muted">Events plainly added without issue are counted, not listed.</span>
      </div>
      <VirtualTable rows={shown} columns={columns} rowKey={(i) => i.uuid} label="Import items" activeKey={openUuid} onOpen={(i) => setOpenUuid(i.uuid)} />
      {opened && (
        <div className="item-issues">
          <h4>
            {opened.info} <span className="muted mono">{opened.uuid}</span>
          </h4>
          {opened.issues.length === 0 ? <p className="muted">No issue.</p> : <IssueTable issues={opened.issues} label={`Issues of ${opened.info}`} />}
        </div>
      )}
    </section>
  );
}

export function ImportReportView({ report }: { report: ImportReport }) {
  const failed = report.status !== 'done';
  return (
    <article className="report" aria-label="Import report">
      <header className="report-header">
        <h2 className={failed ? 'error-text' : undefined}>{statusText(report)}</h2>
        <span>
          feed <strong>{report.feedName}</strong>
        </span>
        <span className="mono" title={report.source}>
          {report.source}
        </span>
        <span className="muted">
          {formatTime(report.startedAt)} · {formatDuration(report.finishedAt - report.startedAt)}
          {report.cacheSource && ` · cached from ${report.cacheSource}`}
        </span>
      </header>
      {report.verification && (
        <p className={report.verification.status === 'altered' ? 'error-box' : 'summary'} data-testid="report-verification">
          {report.verification.status === 'verified'
            ? `Checksums verified (${report.verification.checked} files)`
            : report.verification.status === 'altered'
              ? 'Imported although the feed was altered after it was written'
              : 'No checksums'}
          {' · '}
          {report.verification.signature.status === 'unsigned' ? 'not signed' : report.verification.signature.message}
        </p>
      )}
      <ImportCounts mode={report.mode} counts={report.counts} />
      {report.issues.length > 0 && (
        <section aria-label="Source problems" className="report-issues">
          <h3>About the source · {formatCount(report.issues.length, 'problem')}</h3>
          <IssueTable issues={report.issues} label="Source problems" />
        </section>
      )}
      {report.items.length > 0 && <ImportItems items={report.items} />}
    </article>
  );
}
