/** Step 1: choose a folder or zip, and see what the engine found in it before going further. */
import { useEngineQuery } from '../../app/engine-query';
import type { FeedPreview } from '../../app/types';
import { IssueList } from '../../components/IssueList';
import { CheckField } from '../../components/fields';
import { formatBytes, formatCount } from '../../components/format';
import { SourcePicker } from './SourcePicker';
import { useWizard } from './wizard-state';

/** Checksums and signature, at the top: an altered feed is imported only when the analyst says so. */
function Verification({ path }: { path: string }) {
  const wizard = useWizard();
  const verify = useEngineQuery('feeds.verify', { source: path });
  if (verify.error) return <p className="verification error-box">Checksums could not be checked: {verify.error.message}</p>;
  const v = verify.data;
  if (!v) return <p className="verification muted">Checking checksums and signature…</p>;
  const signature = v.signature;
  const altered = v.status === 'altered';
  return (
    <div className={`verification ${altered ? 'error-box' : signature.status === 'good' ? 'ok-box' : 'note-box'}`} role={altered ? 'alert' : 'status'} aria-label="Verification">
      <p>
        <strong>
          {v.status === 'verified' ? `Checksums verified (${v.checked} files)` : altered ? 'This feed was altered after it was written' : 'No checksums (SHA256SUMS): the files cannot be checked'}
        </strong>
        {' · '}
        {signature.status === 'unsigned' ? 'Not signed' : signature.message.replace(/^signed/, 'Signed')}
      </p>
      {v.files.length > 0 && (
        <ul className="verify-files">
          {v.files.slice(0, 20).map((f) => (
            <li key={`${f.problem}:${f.name}`}>
              <span className="mono">{f.name}</span>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {altered && <CheckField label="Import it anyway (I know why it changed)" checked={wizard.state.acceptAltered} onChange={wizard.setAcceptAltered} />}
    </div>
  );
}

function SourceCheck({ preview }: { preview: FeedPreview }) {
  const s = preview.source;
  const errors = preview.issues.filter((i) => i.severity === 'error').length;
  return (
    <div className="source-check" aria-label="Source checked" role="group">
      <Verification path={s.path} />
      <dl className="source-summary" data-testid="source-summary">
        <div>
          <dt>Events</dt>
          <dd data-testid="event-count">{preview.events.length}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{s.kind}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(s.sizeBytes)}</dd>
        </div>
        <div>
          <dt>Event files</dt>
          <dd>{s.eventFileCount}</dd>
        </div>
        <div>
          <dt>hashes.csv</dt>
          <dd>{s.hasHashesCsv ? 'present' : 'absent'}</dd>
        </div>
        <div>
          <dt>Problems</dt>
          <dd>{preview.issues.length === 0 ? 'none' : `${preview.issues.length}${errors > 0 ? ` (${errors} errors)` : ''}`}</dd>
        </div>
        <div className="wide">
          <dt>Path</dt>
          <dd className="mono" title={s.path}>
            {s.path}
            {s.feedRoot !== '' && <span className="muted"> → {s.feedRoot}</span>}
          </dd>
        </div>
      </dl>
      <IssueList issues={preview.issues} />
    </div>
  );
}

/** Opened from a feed that has no local copy yet (a network feed): say what to pick. */
function ForFeed({ id, mode }: { id: number; mode: string }) {
  const feed = useEngineQuery('feeds.get', { id });
  if (!feed.data) return null;
  return (
    <p className="summary">
      To {mode} <strong>{feed.data.settings.name}</strong>, choose the folder or zip that holds a copy of it
      {feed.data.settings.inputSource === 'network' && (
        <>
          {' '}
          (downloaded from <span className="mono">{feed.data.settings.url}</span>)
        </>
      )}
      .
    </p>
  );
}

export function SourceStep() {
  const wizard = useWizard();
  const { state } = wizard;
  return (
    <div className="wizard-step">
      {state.feed.kind === 'existing' && !state.preview && !state.opening && <ForFeed id={state.feed.id} mode={state.mode} />}
      <SourcePicker
        key={state.preview?.source.path ?? ''}
        initialPath={state.preview?.source.path ?? ''}
        busy={state.opening}
        onPick={(path) => void wizard.openSource(path, { feed: state.feed, mode: state.mode })}
      />
      {state.openError && (
        <div role="alert" className="error-box">
          <strong>Cannot open this source.</strong> {state.openError.message}
          {state.openError.issues && <IssueList issues={state.openError.issues} />}
        </div>
      )}
      {state.preview && (
        <>
          <SourceCheck preview={state.preview} />
          <div className="form-actions">
            <button type="button" className="primary" disabled={state.preview.events.length === 0} onClick={() => wizard.goTo('preview')}>
              Next: choose events
            </button>
            <span className="muted">{formatCount(state.preview.events.length, 'event')} announced by the manifest</span>
          </div>
        </>
      )}
    </div>
  );
}
