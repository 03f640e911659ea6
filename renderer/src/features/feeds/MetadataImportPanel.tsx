/**
 * Add feeds from MISP feed metadata JSON: a file path, or the JSON pasted in. MISP's default feed list
 * (app/files/feed-metadata/defaults.json) is such a file; loaded as defaults, its feeds are marked default.
 */
import { useState, type FormEvent } from 'react';
import type { IpcError } from '../../../../shared/ipc/envelope';
import { useEnvironment } from '../../app/engine-context';
import type { MetadataImportResult } from '../../app/types';
import { IssueList } from '../../components/IssueList';
import { CheckField, TextAreaField, TextField } from '../../components/fields';
import { formatCount } from '../../components/format';

export type MetadataPanelKind = 'metadata' | 'defaults';

export function MetadataImportPanel({ kind, onImported, onClose }: {
  kind: MetadataPanelKind;
  onImported: () => void;
  onClose: () => void;
}) {
  const { engine } = useEnvironment();
  const [from, setFrom] = useState<'file' | 'text'>('file');
  const [path, setPath] = useState('');
  const [json, setJson] = useState('');
  const [markDefault, setMarkDefault] = useState(kind === 'defaults');
  const [error, setError] = useState<IpcError | null>(null);
  const [result, setResult] = useState<MetadataImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const title = kind === 'defaults' ? 'Load default feed list' : 'Import feed metadata';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const input = from === 'file' ? { source: path.trim(), markDefault } : { json, markDefault };
    const answer = await engine.call('feeds.importMetadata', input);
    setBusy(false);
    if (!answer.ok) {
      setResult(null);
      return setError(answer.error);
    }
    setError(null);
    setResult(answer.value);
    onImported();
  };

  const ready = from === 'file' ? path.trim() !== '' : json.trim() !== '';
  return (
    <form className="panel-form" aria-label={title} onSubmit={(e) => void submit(e)}>
      <h2>{title}</h2>
      {kind === 'defaults' && (
        <p className="muted">
          MISP ships its default feeds in <code>app/files/feed-metadata/defaults.json</code>. They are network feeds: to use one
          here, bring a copy of it on removable media and import it with the wizard.
        </p>
      )}
      <div className="segmented" role="radiogroup" aria-label="Metadata from">
        <label>
          <input type="radio" name="metadata-from" checked={from === 'file'} onChange={() => setFrom('file')} /> A file
        </label>
        <label>
          <input type="radio" name="metadata-from" checked={from === 'text'} onChange={() => setFrom('text')} /> Pasted JSON
        </label>
      </div>
      {from === 'file' ? (
        <TextField
          label="Metadata file"
          wide
          mono
          value={path}
          onChange={setPath}
          error={error?.message}
          placeholder={kind === 'defaults' ? '/media/usb/MISP/app/files/feed-metadata/defaults.json' : '/media/usb/feeds.json'}
          autoFocus
        />
      ) : (
        <TextAreaField label="Metadata JSON" wide mono rows={8} value={json} onChange={setJson} error={error?.message} placeholder='[{"Feed": {…}, "Tag": {…}}]' />
      )}
      <CheckField label="Mark as default feeds" checked={markDefault} onChange={setMarkDefault} />
      {error?.issues && <IssueList issues={error.issues} />}
      {result && <MetadataResult result={result} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !ready}>
          {kind === 'defaults' ? 'Load feeds' : 'Import'}
        </button>
        <button type="button" onClick={onClose}>
          {result ? 'Close' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}

function MetadataResult({ result }: { result: MetadataImportResult }) {
  return (
    <div role="status" className="result-box">
      <p>
        <strong>{formatCount(result.added.length, 'feed')} added</strong>
        {result.skipped.length > 0 && <>, {result.skipped.length} skipped</>}.
      </p>
      {result.skipped.length > 0 && (
        <ul className="compact-list">
          {result.skipped.map((s) => (
            <li key={s.name}>
              {s.name}: <span className="muted">{s.reason}</span>
            </li>
          ))}
        </ul>
      )}
      <IssueList issues={result.issues} />
    </div>
  );
}
