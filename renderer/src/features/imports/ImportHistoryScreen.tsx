/** The import log, newest first; any run's full report reopens in the pane. */
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useEngineQuery } from '../../app/engine-query';
import type { ImportRun } from '../../app/types';
import { SplitView } from '../../components/SplitView';
import { VirtualTable } from '../../components/VirtualTable';
import { formatDuration, formatTime, truncateMiddle } from '../../components/format';
import { ImportReportView } from './ImportReportView';

function summary(run: ImportRun): string {
  const c = run.counts;
  if (!c) return '';
  switch (run.mode) {
    case 'fetch':
      return [
        `${c.added} added`,
        c.updated ? `${c.updated} updated` : '',
        c.unchanged ? `${c.unchanged} unchanged` : '',
        c.filtered ? `${c.filtered} filtered` : '',
        c.rejected ? `${c.rejected} rejected` : '',
        c.conflicts ? `${c.conflicts} conflicts` : '',
      ]
        .filter(Boolean)
        .join(', ');
    case 'cache':
      return `${c.cachedValues.toLocaleString('en')} values cached`;
    default: {
      const exhaustive: never = run.mode;
      return exhaustive;
    }
  }
}

const col = createColumnHelper<ImportRun>();
const columns = [
  col.accessor('startedAt', { header: 'Started', size: 136, cell: (c) => formatTime(c.getValue()) }),
  col.accessor('mode', { header: 'Mode', size: 60 }),
  col.accessor((r) => r.feedName ?? '—', { id: 'feed', header: 'Feed', size: 140 }),
  col.accessor('status', { header: 'Status', size: 80, cell: (c) => <span className={`status status-${c.getValue()}`}>{c.getValue()}</span> }),
  col.accessor(summary, { id: 'counts', header: 'Result', size: 220, enableSorting: false }),
  col.accessor((r) => (r.finishedAt === null ? -1 : r.finishedAt - r.startedAt), {
    id: 'duration',
    header: 'Took',
    size: 70,
    cell: (c) => (c.getValue() < 0 ? '…' : formatDuration(c.getValue())),
  }),
  col.accessor('source', {
    header: 'Source',
    size: 260,
    cell: (c) => (
      <span className="mono" title={c.getValue()}>
        {truncateMiddle(c.getValue(), 44)}
      </span>
    ),
  }),
];

function ReportPane({ id, onClose }: { id: number; onClose: () => void }) {
  const report = useEngineQuery('imports.get', { id });
  return (
    <div className="pane report-pane">
      <header className="pane-header">
        <h2>Import #{id}</h2>
        <button type="button" className="icon" aria-label="Close report" onClick={onClose}>
          ×
        </button>
      </header>
      {report.error && (
        <p role="alert" className="error-box">
          {report.error.message}
        </p>
      )}
      {report.data && !report.loading ? <ImportReportView report={report.data} /> : !report.error && <p className="muted">Loading the report…</p>}
    </div>
  );
}

export function ImportHistoryScreen({ importId = null }: { importId?: number | null }) {
  const runs = useEngineQuery('imports.list', { limit: 500 });
  const [openId, setOpenId] = useState<number | null>(importId);
  return (
    <section className="screen" aria-labelledby="imports-title">
      <header className="screen-header">
        <h1 id="imports-title">Import history</h1>
        <span className="muted">{runs.data ? `${runs.data.length} runs` : ''}</span>
      </header>
      {runs.error && (
        <p role="alert" className="error-box">
          Cannot read the import log: {runs.error.message}
        </p>
      )}
      <SplitView
        id="imports"
        detailLabel="Import report"
        defaultWidth={760}
        list={
          <VirtualTable
            rows={runs.data ?? []}
            columns={columns}
            rowKey={(r) => String(r.id)}
            label="Import list"
            initialSort={[{ id: 'startedAt', desc: true }]}
            activeKey={openId === null ? null : String(openId)}
            onOpen={(r) => setOpenId(r.id)}
            empty={<p>Nothing imported yet.</p>}
          />
        }
        onClose={() => setOpenId(null)}
        detail={openId !== null ? <ReportPane key={openId} id={openId} onClose={() => setOpenId(null)} /> : null}
      />
    </section>
  );
}
