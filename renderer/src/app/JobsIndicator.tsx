/**
 * The top bar's small progress area: the running import with its bar and Cancel, or the last finished one with a
 * link to its report. Never a modal: the rest of the window stays usable.
 */
import { ProgressBar } from '../components/ProgressBar';
import { jobPercent, useJobs, type ImportJob } from './jobs';
import { useNavigation } from './navigation';

function fetchSummary(c: NonNullable<ImportJob['report']>['counts']): string {
  const parts = [
    [c.added, 'added'],
    [c.updated, 'updated'],
    [c.unchanged, 'unchanged'],
    [c.filtered, 'filtered'],
    [c.rejected, 'rejected'],
    [c.conflicts, 'conflicts'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return said.length > 0 ? said.join(', ') : 'nothing to do';
}

function outcome(job: ImportJob): string {
  const r = job.report;
  if (!r) return job.status === 'cancelled' ? 'cancelled' : `failed: ${job.error?.message ?? 'unknown error'}`;
  switch (r.status) {
    case 'done':
      return r.mode === 'fetch' ? fetchSummary(r.counts) : `${r.counts.cachedValues.toLocaleString('en')} values cached`;
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    default: {
      const exhaustive: never = r.status;
      return exhaustive;
    }
  }
}

export function JobsIndicator() {
  const { jobs, cancel, dismiss } = useJobs();
  const { go } = useNavigation();
  const running = jobs.filter((j) => j.status === 'running');
  const shown = running[0] ?? jobs.findLast((j) => !j.dismissed);
  if (!shown) return null;
  if (shown.status === 'running') {
    const percent = jobPercent(shown.progress);
    return (
      <div className="jobs" role="status" aria-label="Background work">
        <span className="job-title">
          {shown.title}
          {running.length > 1 && <span className="muted"> (+{running.length - 1} waiting)</span>}
        </span>
        <ProgressBar label={`${shown.title} progress`} done={shown.progress?.done ?? 0} total={shown.progress?.total ?? null} compact />
        <span className="muted">{percent === null ? '…' : `${percent}%`}</span>
        <button type="button" className="small" onClick={() => cancel(shown.id)} aria-label={`Cancel ${shown.title}`}>
          Cancel
        </button>
      </div>
    );
  }
  const report = shown.report;
  return (
    <div className={`jobs ${shown.status === 'done' ? '' : 'failed'}`} role="status" aria-label="Background work">
      <span className="job-title">
        {shown.title}: {outcome(shown)}
      </span>
      {report && (
        <button type="button" className="small" onClick={() => go({ screen: 'imports', importId: report.importId })}>
          Report
        </button>
      )}
      <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(shown.id)}>
        ×
      </button>
    </div>
  );
}
