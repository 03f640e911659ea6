/**
 * A new export (or a saved profile opened again): filters with the live count of what they select, the target
 * (a folder, or a file ending in .zip, checked by the engine), incremental and signing; then a dry run or the
 * export itself, with progress and cancel, and its result. Nothing typed is lost when the engine says no. The run
 * is a window job (app/jobs.tsx): it goes on, in the top bar, when the analyst leaves this screen.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { useEnvironment } from '../../app/engine-context';
import { useEngineQuery } from '../../app/engine-query';
import { useExportJob, useJobs } from '../../app/jobs';
import { ProgressBar } from '../../components/ProgressBar';
import { CheckField, SelectField, TextField } from '../../components/fields';
import { distributionShort, formatCount } from '../../components/format';
import { useSettled } from '../../components/use-settled';
import { ExportReportView } from './ExportReportView';
import { EMPTY_FORM, fieldOfIssue, filterOf, optionsOf, requestOf, type ExportFormValues, type HashMode } from './export-form-model';

const HASH_MODES: readonly { value: HashMode; label: string }[] = [
  { value: 'pymisp', label: 'As PyMISP writes it' },
  { value: 'correlating', label: 'Only what MISP correlates on' },
];

export function ExportForm({ initial = EMPTY_FORM, title = 'New export', profileName = null, onClose }: {
  initial?: ExportFormValues;
  title?: string;
  /** The profile this form was opened from: saving replaces it. */
  profileName?: string | null;
  onClose: () => void;
}) {
  const { host } = useEnvironment();
  const jobs = useJobs();
  const [pickError, setPickError] = useState<string | null>(null);
  /** The desktop app asks with the native save dialog; browser mode has none, and the typed path is checked by the engine. */
  const choose = async (kind: 'folder' | 'zip') => {
    if (!host) return;
    setPickError(null);
    const picked = await host.pickSavePath(
      kind === 'zip'
        ? { title: 'Export the feed as a zip', defaultName: 'misp-feed.zip', filters: [{ name: 'Zip archive', extensions: ['zip'] }] }
        : { title: 'Export the feed into a new folder', defaultName: 'misp-feed' },
    );
    if (!picked.ok) return setPickError(`Cannot open the save dialog: ${picked.error.message}`);
    if (picked.value) setValues((old) => ({ ...old, target: picked.value! }));
  };
  const [values, setValues] = useState(initial);
  const [jobId, setJobId] = useState<number | null>(null);
  const job = useExportJob(jobId);
  const [saveAs, setSaveAs] = useState(profileName ?? '');
  const keys = useEngineQuery('keys.list', {});
  const set = <K extends keyof ExportFormValues>(key: K) => (v: ExportFormValues[K]) => setValues((old) => ({ ...old, [key]: v }));

  // The live count: asked once typing pauses, for the filter and options only.
  const countInput = useSettled(useMemo(() => ({ filter: filterOf(values), options: optionsOf(values) }), [values]), 300);
  const count = useEngineQuery('export.count', countInput);
  const failure = job?.status === 'failed' ? job.error : null;
  const problems = [...(count.error?.issues ?? []), ...(failure?.issues ?? [])];
  const errorOf = (field: keyof ExportFormValues) => problems.find((i) => fieldOfIssue(i.path) === field)?.message ?? null;
  const saved = job?.report && job.request.saveProfile ? job.request.saveProfile : null;

  const start = (dryRun: boolean) => {
    const request = { ...requestOf(values, dryRun), ...(saveAs.trim() && !dryRun ? { saveProfile: saveAs.trim() } : {}) };
    const where = values.target.trim();
    setJobId(jobs.startExport(request, dryRun ? `Dry run to ${where}` : `Export to ${where}`));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start(false);
  };
  const own = (keys.data ?? []).filter((k) => k.kind === 'own');
  const running = job?.status === 'running';

  return (
    <form className="panel-form export-form" aria-label={title} onSubmit={submit} noValidate>
      <header className="pane-header">
        <h2>{title}</h2>
        <button type="button" className="icon" aria-label="Close export" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="export-count" role="status" aria-live="polite">
        {count.error
          ? `The filter does not read: ${count.error.message}`
          : count.data
            ? `${formatCount(count.data.events, 'event')}, ${formatCount(count.data.attributes, 'attribute')} selected`
            : 'Counting…'}
      </p>
      {failure && (
        <p role="alert" className="error-box">
          Nothing was exported: {failure.message}
        </p>
      )}
      {saved && <p className="muted">Saved as profile “{saved}”.</p>}
      {job?.status === 'cancelled' && <p className="muted">Cancelled: nothing was written.</p>}
      {running && <ProgressBar label={job.request.dryRun ? 'Checking' : 'Exporting'} done={job.progress?.done ?? 0} total={job.progress?.total ?? null} />}
      {job?.report && <ExportReportView report={job.report} />}
      <fieldset>
        <legend>Which events</legend>
        {values.scope !== '' && (
          <p className="field wide export-scope" data-testid="export-scope">
            Only {values.scope}.{' '}
            <button type="button" className="small" onClick={() => setValues((old) => ({ ...old, origins: [], events: [], scope: '' }))}>
              Export all events instead
            </button>
          </p>
        )}
        <TextField label="Tags" mono wide value={values.tags} onChange={set('tags')} placeholder="tlp:white|feed-export|!privint" hint="any of the terms, none of the !terms" error={errorOf('tags')} />
        <TextField label="Creator orgs" mono value={values.orgs} onChange={set('orgs')} placeholder="CIRCL|!ACME" error={errorOf('orgs')} />
        <TextField label="Dated from" mono value={values.dateFrom} onChange={set('dateFrom')} placeholder="2024-01-01 or 30d" error={errorOf('dateFrom')} />
        <TextField label="Dated until" mono value={values.dateUntil} onChange={set('dateUntil')} placeholder="2024-12-31" error={errorOf('dateUntil')} />
        <CheckField label="Published only" checked={values.published} onChange={set('published')} />
        <CheckField label="Made or edited here only" checked={values.localOnly} onChange={set('localOnly')} />
      </fieldset>
      <fieldset>
        <legend>What of them</legend>
        <div className="field wide levels" role="group" aria-label="Distribution levels that leave">
          <span className="field-label">Distribution levels that leave</span>
          {values.levels.map((on, level) => (
            <CheckField
              key={level}
              label={`${level} ${distributionShort(level)}`}
              checked={on}
              onChange={(v) => setValues((old) => ({ ...old, levels: old.levels.map((x, i) => (i === level ? v : x)) }))}
            />
          ))}
          {errorOf('levels') && <span className="field-error">{errorOf('levels')}</span>}
        </div>
        <TextField label="Attribute types left out" mono value={values.excludeTypes} onChange={set('excludeTypes')} placeholder="comment, text" />
        <SelectField label="hashes.csv" value={values.hashes} onChange={set('hashes')} options={HASH_MODES} />
        <CheckField label="Keep local tags" checked={values.keepLocalTags} onChange={set('keepLocalTags')} hint="Local tags are meant never to leave; they are stripped unless this is ticked" />
      </fieldset>
      <fieldset>
        <legend>Where</legend>
        <TextField label="Target" mono wide value={values.target} onChange={set('target')} placeholder="/media/usb/feed or /media/usb/feed.zip" hint="a folder (new, empty, or an earlier export), or a file ending in .zip" error={errorOf('target')} />
        {host && (
          <div className="field wide target-choose">
            <button type="button" onClick={() => void choose('folder')}>
              Folder…
            </button>
            <button type="button" onClick={() => void choose('zip')}>
              Zip…
            </button>
            {pickError && <span className="field-error">{pickError}</span>}
          </div>
        )}
        <CheckField label="Incremental" checked={values.incremental} onChange={set('incremental')} hint="Into an earlier export: keep unchanged files, carry deletions as tombstones" />
        <SelectField
          label="Sign with"
          value={values.signKey}
          onChange={set('signKey')}
          options={[{ value: '', label: 'Not signed' }, ...own.map((k) => ({ value: k.fingerprint, label: `${k.userIds[0] ?? 'key'} (${k.fingerprint.slice(-16)})` }))]}
        />
        {values.signKey && <TextField label="Passphrase" type="password" value={values.passphrase} onChange={set('passphrase')} />}
        <TextField label="Save as profile" value={saveAs} onChange={setSaveAs} placeholder="not saved" hint="the settings, never the passphrase" />
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={running || values.target.trim() === ''}>
          Export
        </button>
        <button type="button" disabled={running || values.target.trim() === ''} onClick={() => start(true)}>
          Dry run
        </button>
        {running && (
          <button type="button" onClick={() => jobs.cancel(job.id)}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
