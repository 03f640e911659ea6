/**
 * Choose a feed folder or zip: the native dialog in Electron, a path field everywhere, and dropping a zip on the
 * drop zone (browser mode uploads it to the host, which hands back a path).
 */
import { useState, type DragEvent, type FormEvent } from 'react';
import { useEnvironment } from '../../app/engine-context';

export function SourcePicker({ onPick, busy, initialPath = '' }: { onPick: (path: string) => void; busy: boolean; initialPath?: string }) {
  const { host, upload } = useEnvironment();
  const [path, setPath] = useState(initialPath);
  const [dragging, setDragging] = useState(false);
  const [dropError, setDropError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim()) onPick(path.trim());
  };

  const browse = async (kind: 'folder' | 'zip') => {
    if (!host) return;
    setDropError(null);
    const picked = await host.pickFeedSource({ kind });
    if (!picked.ok) return setDropError(`Cannot open the ${kind} dialog: ${picked.error.message}`);
    if (picked.value) {
      setPath(picked.value);
      onPick(picked.value);
    }
  };

  const drop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    setDropError(null);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    if (!upload) return setDropError('Dropping files needs browser mode; use Open… instead.');
    const result = await upload(file);
    if ('error' in result) return setDropError(`${file.name}: ${result.error}`);
    setPath(file.name);
    onPick(result.path);
  };

  return (
    <div className="source-picker">
      <form onSubmit={submit} className="path-form">
        <label htmlFor="source-path">Feed folder or zip</label>
        <input
          id="source-path"
          className="mono"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/media/usb/feeds/circl-osint or …/feed.zip"
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" className="primary" disabled={busy || path.trim() === ''}>
          {busy ? 'Opening…' : 'Open'}
        </button>
        {host && (
          <>
            <button type="button" onClick={() => void browse('folder')}>
              Folder…
            </button>
            <button type="button" onClick={() => void browse('zip')}>
              Zip…
            </button>
          </>
        )}
      </form>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => void drop(e)}
      >
        or drop a feed zip here
      </div>
      {dropError && (
        <p role="alert" className="error-text">
          {dropError}
        </p>
      )}
    </div>
  );
}
