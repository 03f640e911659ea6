/**
 * The top bar's small progress area: the running import or export with its bar and Cancel, or the last finished
 * one with a link to its report. Never a modal: the rest of the window stays usable.
 */
import { ProgressBar } from '../components/ProgressBar';
import { formatCount } from '../components/format';
import { jobPercent, useJobs, type ExportJob, type ImportJob, type Job } from './jobs';
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

function notDone(job: Job): string {
  return job.status === 'cancelled' ? 'cancelled' : `failed: ${job.error?.message ?? 'unknown error'}`;
}

function exportOutcome(job: ExportJob): string {
  const r = job.report;
  if (!r) return notDone(job);
  const what = `${formatCount(r.events, 'event')}, ${formatCount(r.attributes, 'attribute')}`;
  return r.dryRun ? `dry run: ${what} would be written` : `${what} written`;
}

function outcome(job: Job): string {
  return job.kind === 'import' ? importOutcome(job) : exportOutcome(job);
}

function importOutcome(job: ImportJob): string {
  const r = job.report;
  if (!r) return notDone(job);
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
  const importId = shown.kind === 'import' ? shown.report?.importId : undefined;
  return (
    <div className={`jobs ${shown.status === 'done' ? '' : 'failed'}`} role="status" aria-label="Background work">
      <span className="job-title">
        {shown.title}: {outcome(shown)}
      </span>
      {importId !== undefined && (
        <button type="button" className="small" onClick={() => go({ screen: 'imports', importId })}>
          Report
        </button>
      )}
      {shown.kind === 'export' && shown.report && (
        <button type="button" className="small" onClick={() => go({ screen: 'exports', jobId: shown.id })}>
          Result
        </button>
      )}
      <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(shown.id)}>
        ×
      </button>
    </div>
  );
}
