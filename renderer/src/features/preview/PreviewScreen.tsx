/** Open a feed folder or zip and look at the events its manifest announces, before deciding what to do with it. */
import { useDeferredValue, useMemo, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/ipc/contract';
import type { IpcError } from '../../../../shared/ipc/envelope';
import { useEnvironment } from '../../app/engine-context';
import { IssueList } from '../../components/IssueList';
import { formatBytes } from '../../components/format';
import { PreviewEventsTable } from './PreviewEventsTable';
import { SourcePicker } from './SourcePicker';

type Preview = ChannelOutput<'feeds.preview'>;

function matches(e: Preview['events'][number], needle: string): boolean {
  if (needle === '') return true;
  return (
    e.info.toLowerCase().includes(needle) ||
    (e.orgName ?? '').toLowerCase().includes(needle) ||
    e.uuid.includes(needle) ||
    e.tags.some((t) => t.name.toLowerCase().includes(needle))
  );
}

export function PreviewScreen() {
  const { engine } = useEnvironment();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const [search, setSearch] = useState('');
  const needle = useDeferredValue(search.trim().toLowerCase());
  const shown = useMemo(() => (preview ? preview.events.filter((e) => matches(e, needle)) : []), [preview, needle]);

  const open = async (source: string) => {
    setBusy(true);
    setError(null);
    const result = await engine.call('feeds.preview', { source });
    setBusy(false);
    if (result.ok) setPreview(result.value);
    else {
      setPreview(null);
      setError(result.error);
    }
  };

  return (
    <section className="screen" aria-labelledby="preview-title">
      <header className="screen-header">
        <h1 id="preview-title">Open a feed</h1>
      </header>
      <SourcePicker onPick={(p) => void open(p)} busy={busy} />
      {error && (
        <div role="alert" className="error-box">
          <strong>Cannot open this source.</strong> {error.message}
          {error.issues && <IssueList issues={error.issues} />}
        </div>
      )}
      {preview && (
        <>
          <div className="source-summary" data-testid="source-summary">
            <span>
              <strong data-testid="event-count">{preview.events.length}</strong> events
            </span>
            <span>{preview.source.kind}</span>
            <span className="mono" title={preview.source.path}>
              {preview.source.path}
            </span>
            <span>{formatBytes(preview.source.sizeBytes)}</span>
            <span>{preview.source.hasHashesCsv ? 'hashes.csv present' : 'no hashes.csv'}</span>
          </div>
          <IssueList issues={preview.issues} />
          <div className="toolbar">
            <input
              type="search"
              aria-label="Search events"
              placeholder="Filter by info, org, tag or uuid"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
            <span className="muted">
              {shown.length === preview.events.length ? `${shown.length} shown` : `${shown.length} of ${preview.events.length} shown`}
            </span>
          </div>
          <PreviewEventsTable events={shown} />
        </>
      )}
    </section>
  );
}
