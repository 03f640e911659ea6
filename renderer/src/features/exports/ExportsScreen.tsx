/**
 * Exports: the saved profiles (run one again, or open it to change it), the history of exports with their counts
 * and digests, a new export, and the keys that sign them. The form or the keys open in the detail pane.
 */
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useEngineQuery } from '../../app/engine-query';
import { useExportJob } from '../../app/jobs';
import { useNavigation, type ExportPreset } from '../../app/navigation';
import type { ExportProfile, ExportRun } from '../../app/types';
import { ProgressBar } from '../../components/ProgressBar';
import { SplitView } from '../../components/SplitView';
import { VirtualTable } from '../../components/VirtualTable';
import { formatTime, truncateMiddle } from '../../components/format';
import { ExportForm } from './ExportForm';
import { ExportReportView } from './ExportReportView';
import { KeysPanel } from './KeysPanel';
import { formOfPreset, formOfProfile } from './export-form-model';

type Detail =
  | { readonly kind: 'new'; readonly preset?: ExportPreset }
  | { readonly kind: 'profile'; readonly profile: ExportProfile }
  | { readonly kind: 'keys' }
  | { readonly kind: 'run'; readonly run: ExportRun }
  /** An export job's result, opened from the top bar. */
  | { readonly kind: 'job'; readonly jobId: number };

const col = createColumnHelper<ExportRun>();
const columns = [
  col.accessor('finishedAt', { header: 'Written', size: 136, cell: (c) => formatTime(c.getValue()) }),
  col.accessor((r) => r.profile ?? '—', { id: 'profile', header: 'Profile', size: 120 }),
  col.accessor('format', { header: 'Format', size: 60 }),
  col.accessor('events', { header: 'Events', size: 70 }),
  col.accessor('attributes', { header: 'Attributes', size: 90 }),
  col.accessor((r) => `${r.changes.changed} changed, ${r.changes.deleted} deleted`, { id: 'changes', header: 'Changes', size: 150, enableSorting: false }),
  col.accessor((r) => (r.signedBy ? r.signedBy.fingerprint.slice(-16) : 'unsigned'), { id: 'signed', header: 'Signed', size: 130, cell: (c) => <span className="mono">{c.getValue()}</span> }),
  col.accessor('target', {
    header: 'Target',
    size: 260,
    cell: (c) => (
      <span className="mono" title={c.getValue()}>
        {truncateMiddle(c.getValue(), 44)}
      </span>
    ),
  }),
];

function JobPane({ jobId, onClose }: { jobId: number; onClose: () => void }) {
  const job = useExportJob(jobId);
  return (
    <div className="pane">
      <header className="pane-header">
        <h2>{job?.title ?? 'Export'}</h2>
        <button type="button" className="icon" aria-label="Close export" onClick={onClose}>
          ×
        </button>
      </header>
      {!job && <p className="muted">This export is no longer held by the window; its run is in the history.</p>}
      {job?.status === 'running' && <ProgressBar label="Exporting" done={job.progress?.done ?? 0} total={job.progress?.total ?? null} />}
      {job?.report && <ExportReportView report={job.report} />}
      {job?.error && (
        <p role="alert" className="error-box">
          {job.status === 'cancelled' ? 'Cancelled: nothing was written.' : `Nothing was exported: ${job.error.message}`}
        </p>
      )}
    </div>
  );
}

function RunPane({ run, onClose }: { run: ExportRun; onClose: () => void }) {
  return (
    <div className="pane">
      <header className="pane-header">
        <h2>Export #{run.id}</h2>
        <button type="button" className="icon" aria-label="Close export" onClick={onClose}>
          ×
        </button>
      </header>
      <dl className="digests">
        <dt>Target</dt>
        <dd className="mono">{run.target}</dd>
        <dt>Written</dt>
        <dd>{formatTime(run.finishedAt)}</dd>
        <dt>Events</dt>
        <dd>
          {run.events} ({run.attributes} attributes); {run.changes.added} added, {run.changes.changed} changed, {run.changes.unchanged} unchanged, {run.changes.deleted} deleted
        </dd>
        {run.digests && (
          <>
            <dt>manifest.json SHA-256</dt>
            <dd className="mono">{run.digests.manifest}</dd>
            <dt>SHA256SUMS SHA-256</dt>
            <dd className="mono">{run.digests.checksums}</dd>
          </>
        )}
        <dt>Signed by</dt>
        <dd className="mono">{run.signedBy ? `${run.signedBy.userIds[0] ?? ''} ${run.signedBy.fingerprint}` : 'not signed'}</dd>
      </dl>
    </div>
  );
}

export function ExportsScreen() {
  const history = useEngineQuery('export.history', { limit: 500 });
  const profiles = useEngineQuery('export.profiles', {});
  const { route } = useNavigation();
  const asked = route.screen === 'exports' ? route : null;
  const detailOf = (r: typeof asked): Detail | null =>
    r?.jobId !== undefined ? { kind: 'job', jobId: r.jobId } : r?.preset ? { kind: 'new', preset: r.preset } : null;
  const [detail, setDetail] = useState<Detail | null>(() => detailOf(asked));
  // The top bar's Result button may ask for another job while this screen is open: follow it (state from props,
  // set while rendering, as React recommends over an effect).
  const [seen, setSeen] = useState(asked);
  if (asked !== seen) {
    setSeen(asked);
    const next = detailOf(asked);
    if (next) setDetail(next);
  }
  const close = () => setDetail(null);
  const pane = (() => {
    if (!detail) return null;
    switch (detail.kind) {
      case 'new':
        return detail.preset ? (
          <ExportForm key={`preset:${detail.preset.label}`} initial={formOfPreset(detail.preset)} onClose={close} />
        ) : (
          <ExportForm key="new" onClose={close} />
        );
      case 'profile':
        return <ExportForm key={`profile:${detail.profile.name}`} initial={formOfProfile(detail.profile)} title={`Profile ${detail.profile.name}`} profileName={detail.profile.name} onClose={close} />;
      case 'keys':
        return <KeysPanel onClose={close} />;
      case 'run':
        return <RunPane run={detail.run} onClose={close} />;
      case 'job':
        return <JobPane key={`job:${detail.jobId}`} jobId={detail.jobId} onClose={close} />;
      default: {
        const exhaustive: never = detail;
        return exhaustive;
      }
    }
  })();
  return (
    <section className="screen" aria-labelledby="exports-title">
      <header className="screen-header">
        <h1 id="exports-title">Exports</h1>
        <button type="button" className="primary" onClick={() => setDetail({ kind: 'new' })}>
          New export
        </button>
        <button type="button" onClick={() => setDetail({ kind: 'keys' })}>
          Keys
        </button>
      </header>
      {(history.error ?? profiles.error) && (
        <p role="alert" className="error-box">
          {(history.error ?? profiles.error)!.message}
        </p>
      )}
      <SplitView
        id="exports"
        detailLabel="Export"
        defaultWidth={640}
        onClose={close}
        list={
          <div className="exports-lists">
            <section aria-label="Export profiles" className="profile-list">
              <h2>Profiles</h2>
              {profiles.data?.length === 0 && <p className="muted">No profiles yet: an export saved as a profile runs again from here.</p>}
              <ul>
                {(profiles.data ?? []).map((p) => (
                  <li key={p.name}>
                    <button type="button" className="link" onClick={() => setDetail({ kind: 'profile', profile: p })}>
                      {p.name}
                    </button>{' '}
                    <span className="mono muted" title={p.settings.target}>
                      {truncateMiddle(p.settings.target, 40)}
                    </span>
                    {p.settings.incremental && <span className="badge">incremental</span>}
                    {p.settings.signKey && <span className="badge">signed</span>}
                  </li>
                ))}
              </ul>
            </section>
            <VirtualTable
              rows={history.data ?? []}
              columns={columns}
              rowKey={(r) => String(r.id)}
              label="Export history"
              initialSort={[{ id: 'finishedAt', desc: true }]}
              activeKey={detail?.kind === 'run' ? String(detail.run.id) : null}
              onOpen={(r) => setDetail({ kind: 'run', run: r })}
              empty={<p>Nothing exported yet.</p>}
            />
          </div>
        }
        detail={pane}
      />
    </section>
  );
}
