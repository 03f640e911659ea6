/**
 * OpenPGP keys: own signing keys (made here, the private part stored encrypted with its passphrase) and the public
 * keys of producers whose feeds are trusted. A public key is given out as armoured text to save on the USB key.
 */
import { useState, type FormEvent } from 'react';
import type { IpcError } from '../../../../shared/ipc/envelope';
import { useEnvironment } from '../../app/engine-context';
import { useEngineQuery } from '../../app/engine-query';
import type { KeySummary } from '../../app/types';
import { CopyButton } from '../../components/CopyButton';
import { TextField } from '../../components/fields';
import { formatTime } from '../../components/format';

function KeyRow({ k, onRemove }: { k: KeySummary; onRemove: (k: KeySummary) => void }) {
  const { engine } = useEnvironment();
  const [armored, setArmored] = useState<string | null>(null);
  return (
    <li className="key-row">
      <span className={`badge ${k.kind === 'own' ? 'own' : ''}`}>{k.kind === 'own' ? 'signing' : 'trusted'}</span> {k.userIds.join(', ')}{' '}
      <span className="mono" title={k.fingerprint}>
        {k.fingerprint}
      </span>{' '}
      <span className="muted">
        {k.algorithm}, made {formatTime(k.createdAt)}
      </span>
      <span className="row-actions">
        <button
          type="button"
          onClick={() => void engine.call('keys.export', { key: k.fingerprint }).then((r) => setArmored(r.ok ? r.value.armored : null))}
          aria-label={`Show the public key of ${k.userIds[0] ?? k.fingerprint}`}
        >
          Public key
        </button>
        <button type="button" onClick={() => onRemove(k)} aria-label={`Remove ${k.userIds[0] ?? k.fingerprint}`}>
          Remove
        </button>
      </span>
      {armored && (
        <div className="armored">
          <pre className="mono">{armored}</pre>
          <CopyButton value={armored} label="Copy the public key" />
        </div>
      )}
    </li>
  );
}

export function KeysPanel({ onClose }: { onClose: () => void }) {
  const { engine } = useEnvironment();
  const keys = useEngineQuery('keys.list', {});
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [source, setSource] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const [confirm, setConfirm] = useState<KeySummary | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<{ ok: true } | { ok: false; error: IpcError }>, clear: () => void) => {
    setBusy(true);
    setError(null);
    const r = await work();
    setBusy(false);
    if (r.ok) clear();
    else setError(r.error);
  };
  const generate = (e: FormEvent) => {
    e.preventDefault();
    void act(
      () => engine.call('keys.generate', { name: name.trim(), passphrase, ...(email.trim() ? { email: email.trim() } : {}) }),
      () => {
        setName('');
        setEmail('');
        setPassphrase('');
      },
    );
  };
  return (
    <div className="pane keys-pane">
      <header className="pane-header">
        <h2>Signing and trusted keys</h2>
        <button type="button" className="icon" aria-label="Close keys" onClick={onClose}>
          ×
        </button>
      </header>
      {error && (
        <p role="alert" className="error-box">
          {error.message}
        </p>
      )}
      <ul className="key-list" aria-label="Keys">
        {(keys.data ?? []).map((k) => (
          <KeyRow key={k.fingerprint} k={k} onRemove={setConfirm} />
        ))}
        {keys.data?.length === 0 && <li className="muted">No keys yet.</li>}
      </ul>
      {confirm && (
        <div className="confirm" role="alertdialog" aria-label="Remove key">
          <p>
            Remove {confirm.userIds[0] ?? confirm.fingerprint}?{' '}
            {confirm.kind === 'own' ? 'Its private part is gone for good: feeds it signed can still be checked with its public key.' : 'Feeds it signed will read as signed by an unknown key.'}
          </p>
          <button type="button" onClick={() => void act(() => engine.call('keys.remove', { key: confirm.fingerprint }), () => setConfirm(null))}>
            Remove
          </button>
          <button type="button" onClick={() => setConfirm(null)}>
            Keep
          </button>
        </div>
      )}
      <form className="panel-form" aria-label="Make a signing key" onSubmit={generate} noValidate>
        <fieldset>
          <legend>Make a signing key</legend>
          <TextField label="Name" value={name} onChange={setName} placeholder="CERT Example" />
          <TextField label="Email" value={email} onChange={setEmail} placeholder="optional" />
          <TextField label="Passphrase" type="password" value={passphrase} onChange={setPassphrase} hint="at least 8 characters; asked at every signing" />
          <button type="submit" className="primary" disabled={busy || name.trim() === '' || passphrase.length < 8}>
            Make key
          </button>
        </fieldset>
      </form>
      <form
        className="panel-form"
        aria-label="Trust a producer's key"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => engine.call('keys.import', { source: source.trim() }), () => setSource(''));
        }}
        noValidate
      >
        <fieldset>
          <legend>Trust a producer's public key</legend>
          <TextField label="Key file" mono wide value={source} onChange={setSource} placeholder="/media/usb/producer.asc" />
          <button type="submit" disabled={busy || source.trim() === ''}>
            Trust key
          </button>
        </fieldset>
      </form>
    </div>
  );
}
