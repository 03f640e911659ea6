/** What an export wrote (or, in a dry run, would write): counts, what changed against the earlier export, digests, signer, refusals. */
import type { ExportReport } from '../../app/types';
import { CopyButton } from '../../components/CopyButton';
import { IssueList } from '../../components/IssueList';
import { formatBytes, formatCount } from '../../components/format';

export function ExportReportView({ report: r }: { report: ExportReport }) {
  return (
    <section className="export-report" aria-label="Export result">
      <h3>{r.dryRun ? 'Dry run: nothing was written' : `Written to ${r.format} ${r.target}`}</h3>
      <p>
        {formatCount(r.events, 'event')} of {r.selected} selected, {formatCount(r.attributes, 'attribute')}, {formatCount(r.hashes, 'hashes.csv line')}
        {r.bytes > 0 && `, ${formatBytes(r.bytes)}`}
        {r.skipped > 0 && ` · ${r.skipped} left out by the distribution rule`}
      </p>
      {r.incremental && (
        <p data-testid="export-changes">
          Against the earlier export: {r.changes.added} added, {r.changes.changed} changed, {r.changes.unchanged} unchanged, {r.changes.deleted} deleted (tombstones),{' '}
          {r.changes.dropped} no longer selected
        </p>
      )}
      {r.changeList.length > 0 && (
        <ul className="change-list" aria-label="Changed events">
          {r.changeList.slice(0, 200).map((c) => (
            <li key={c.uuid}>
              <span className={`status status-${c.change}`}>{c.change}</span> <span className="mono">{c.uuid}</span> {c.info}
            </li>
          ))}
        </ul>
      )}
      {r.digests && (
        <dl className="digests">
          <dt>manifest.json</dt>
          <dd className="mono">
            {r.digests.manifest} <CopyButton value={r.digests.manifest} label="Copy manifest.json SHA-256" />
          </dd>
          <dt>SHA256SUMS</dt>
          <dd className="mono">
            {r.digests.checksums} <CopyButton value={r.digests.checksums} label="Copy SHA256SUMS SHA-256" />
          </dd>
        </dl>
      )}
      {r.signedBy && (
        <p>
          Signed by {r.signedBy.userIds[0] ?? 'key'} <span className="mono">{r.signedBy.fingerprint}</span>: manifest.json.asc, SHA256SUMS.asc
        </p>
      )}
      {r.invalid.length > 0 && (
        <>
          <h4>Not written: MISP would refuse {formatCount(r.invalid.length, 'event')}</h4>
          {r.invalid.slice(0, 50).map((e) => (
            <div key={e.uuid}>
              <p>
                <span className="mono">{e.uuid}</span> {e.info}
              </p>
              <IssueList issues={e.issues} />
            </div>
          ))}
        </>
      )}
      {r.issues.length > 0 && <IssueList issues={r.issues} />}
    </section>
  );
}
