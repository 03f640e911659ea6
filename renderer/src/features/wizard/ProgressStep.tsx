/** Steps 4 and 5: the running job's progress with Cancel, then its report (or why it failed). */
import { jobPercent, useImportJob, useJobs, type ImportJob } from '../../app/jobs';
import { useNavigation } from '../../app/navigation';
import { ProgressBar } from '../../components/ProgressBar';
import { ImportReportView } from '../imports/ImportReportView';
import { useWizard } from './wizard-state';

export function JobProgress({ job }: { job: ImportJob }) {
  const { cancel } = useJobs();
  const p = job.progress;
  const percent = jobPercent(p);
  return (
    <div className="job-progress">
      <p>
        <strong>{job.title}</strong> <span className="muted">{p ? `${p.phase}${p.total !== null ? ` · ${p.done} of ${p.total}` : ''}` : 'starting…'}</span>
        {percent !== null && <span> · {percent}%</span>}
      </p>
      <ProgressBar label="Import progress" done={p?.done ?? 0} total={p?.total ?? null} />
      <p className="muted progress-message" title={p?.message}>
        {p?.message ?? ' '}
      </p>
      <button type="button" onClick={() => cancel(job.id)}>
        Cancel
      </button>
      <p className="muted">You can leave this screen: the import goes on, and its progress stays in the top bar.</p>
    </div>
  );
}

export function ProgressStep() {
  const wizard = useWizard();
  const job = useImportJob(wizard.state.jobId);
  const { go } = useNavigation();
  if (!job) return <p className="muted">No import is running.</p>;
  if (job.status === 'running') return <JobProgress job={job} />;
  return (
    <div className="wizard-step fill">
      {job.report ? (
        <ImportReportView report={job.report} />
      ) : (
        <div role="alert" className="error-box">
          <strong>{job.status === 'cancelled' ? 'The import was cancelled.' : 'The import failed.'}</strong> {job.error?.message}
          <p>The library is as it was before.</p>
        </div>
      )}
      <div className="form-actions">
        {job.report && job.report.mode === 'fetch' && job.report.counts.added + job.report.counts.updated > 0 && (
          <button type="button" className="primary" onClick={() => go({ screen: 'events', feedId: job.report!.feedId })}>
            Show the events
          </button>
        )}
        <button type="button" onClick={() => wizard.goTo('destination')}>
          Back to choices
        </button>
        <button type="button" onClick={() => wizard.reset()}>
          Open another feed
        </button>
      </div>
    </div>
  );
}
