/** The feed pane: its settings as MISP names them, its status, and the same commands as its row menu. */
import type { FeedSummary } from '../../app/types';
import { TagChip } from '../../components/TagChip';
import { distributionLabel, formatCount, formatTime } from '../../components/format';
import type { FeedCommands } from './feed-commands';
import type { FeedPaneRequest } from './FeedsTable';

function Rule({ label, names }: { label: string; names: readonly string[] }) {
  if (names.length === 0) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd className="mono">{names.join(', ')}</dd>
    </>
  );
}

export function FeedDetails({ feed, commands, open, onClose }: {
  feed: FeedSummary;
  commands: FeedCommands;
  open: (pane: FeedPaneRequest) => void;
  onClose: () => void;
}) {
  const s = feed.settings;
  const st = feed.status;
  return (
    <section className="pane" aria-labelledby="feed-details-title">
      <header className="pane-header">
        <h2 id="feed-details-title">{s.name}</h2>
        <button type="button" className="icon" aria-label="Close feed details" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="button-row">
        <button type="button" onClick={() => commands.preview(feed)}>
          Preview…
        </button>
        <button type="button" onClick={() => commands.run(feed, 'fetch')}>
          Fetch
        </button>
        <button type="button" onClick={() => commands.run(feed, 'cache')}>
          Cache
        </button>
        <button type="button" onClick={() => open('edit')}>
          Edit…
        </button>
        <button type="button" onClick={() => void commands.exportMetadata([feed])}>
          Export metadata
        </button>
        <button type="button" className="danger" onClick={() => open('remove')}>
          Remove…
        </button>
      </div>
      <dl className="fields">
        <dt>Provider</dt>
        <dd>{s.provider}</dd>
        <dt>Source format</dt>
        <dd>
          {s.sourceFormat} · {s.inputSource}
        </dd>
        <dt>{s.inputSource === 'local' ? 'Path' : 'URL'}</dt>
        <dd className="mono wrap">{s.url}</dd>
        <dt>Enabled</dt>
        <dd>{s.enabled ? 'yes' : 'no'}</dd>
        <dt>Caching</dt>
        <dd>{s.cachingEnabled ? 'enabled' : 'disabled'}</dd>
        <dt>Lookup visible</dt>
        <dd>{s.lookupVisible ? 'yes' : 'no'}</dd>
        <dt>Distribution</dt>
        <dd>{distributionLabel(s.distribution)}</dd>
        <dt>Default tag</dt>
        <dd>{s.defaultTag ? <TagChip name={s.defaultTag.name} colour={s.defaultTag.colour} /> : <span className="muted">none</span>}</dd>
        <Rule label="Tags OR" names={s.rules.tags.or} />
        <Rule label="Tags NOT" names={s.rules.tags.not} />
        <Rule label="Orgs OR" names={s.rules.orgs.or} />
        <Rule label="Orgs NOT" names={s.rules.orgs.not} />
        <dt>Imported</dt>
        <dd>
          {formatCount(st.eventCount, 'event')}, {formatCount(st.attributeCount, 'attribute')} · {formatTime(st.lastImportedAt)}
        </dd>
        <dt>Cached</dt>
        <dd>
          {formatCount(st.cachedValues, 'value')} · {formatTime(st.lastCachedAt)}
        </dd>
        <dt>Last source</dt>
        <dd className="mono wrap">{st.lastSource ?? '—'}</dd>
        {st.lastDigest && (
          <>
            <dt>Digest</dt>
            <dd className="mono wrap">{st.lastDigest}</dd>
          </>
        )}
        {st.signer && (
          <>
            <dt>Signer</dt>
            <dd>{st.signer}</dd>
          </>
        )}
      </dl>
      {st.eventCount > 0 && (
        <button type="button" className="link" onClick={() => commands.showEvents(feed)}>
          Show its {formatCount(st.eventCount, 'event')}
        </button>
      )}
    </section>
  );
}
