/**
 * Step 3: fetch (import the ticked events) or cache (index the feed's values for correlation only), and the feed the
 * work is recorded under: an existing feed, a new one by name, or the one already pointing at this path.
 */
import { useEngineQuery } from '../../app/engine-query';
import type { FeedSummary, ImportMode } from '../../app/types';
import { formatCount } from '../../components/format';
import { importRequest, useWizard, type FeedChoice } from './wizard-state';

const MODES: readonly { value: ImportMode; label: string; hint: string }[] = [
  { value: 'fetch', label: 'Fetch', hint: 'import the selected events into the library' },
  { value: 'cache', label: 'Cache', hint: "index the feed's values for correlation only; no event is stored (MISP's feed cache)" },
];

type FeedChoiceKind = FeedChoice['kind'];

function feedLabel(choice: FeedChoice, feeds: readonly FeedSummary[], path: string): string {
  switch (choice.kind) {
    case 'existing':
      return feeds.find((f) => f.id === choice.id)?.settings.name ?? `feed ${choice.id}`;
    case 'new':
      return choice.name.trim() || 'a new feed';
    case 'auto':
      return feeds.find((f) => f.settings.url === path)?.settings.name ?? (path.split(/[\\/]/).pop() ?? path).replace(/\.zip$/i, '');
    default: {
      const exhaustive: never = choice;
      return exhaustive;
    }
  }
}

export function DestinationStep() {
  const wizard = useWizard();
  const { state } = wizard;
  const feeds = useEngineQuery('feeds.list', {});
  const list = feeds.data ?? [];
  if (!state.preview) return null;
  const path = state.preview.source.path;
  const byPath = list.find((f) => f.settings.url === path);
  const request = importRequest(state);
  const total = state.preview.events.length;
  const count = request?.events?.length ?? total;
  const choice = state.feed;
  const label = feedLabel(choice, list, path);
  const nothingSelected = state.mode === 'fetch' && state.selected.size === 0;
  const noName = choice.kind === 'new' && choice.name.trim() === '';

  const setKind = (kind: FeedChoiceKind) => {
    switch (kind) {
      case 'auto':
        return wizard.setFeed({ kind: 'auto' });
      case 'existing':
        return wizard.setFeed({ kind: 'existing', id: byPath?.id ?? list[0]?.id ?? 0 });
      case 'new':
        return wizard.setFeed({ kind: 'new', name: '' });
      default: {
        const exhaustive: never = kind;
        return exhaustive;
      }
    }
  };

  return (
    <div className="wizard-step">
      <fieldset className="choice">
        <legend>What to do</legend>
        {MODES.map((m) => (
          <label key={m.value} className="choice-option">
            <input type="radio" name="import-mode" value={m.value} checked={state.mode === m.value} onChange={() => wizard.setMode(m.value)} />
            <strong>{m.label}</strong> <span className="muted">— {m.hint}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="choice">
        <legend>Feed</legend>
        <label className="choice-option">
          <input type="radio" name="feed-choice" checked={choice.kind === 'auto'} onChange={() => setKind('auto')} />
          {byPath ? (
            <>
              The feed already reading this path: <strong>{byPath.settings.name}</strong>
            </>
          ) : (
            <>
              A new local feed named after the folder: <strong>{label}</strong>
            </>
          )}
        </label>
        <label className="choice-option">
          <input type="radio" name="feed-choice" checked={choice.kind === 'existing'} disabled={list.length === 0} onChange={() => setKind('existing')} />
          An existing feed
        </label>
        {choice.kind === 'existing' && (
          <select
            aria-label="Existing feed"
            className="indent"
            value={choice.id}
            onChange={(e) => wizard.setFeed({ kind: 'existing', id: Number(e.target.value) })}
          >
            {list.map((f) => (
              <option key={f.id} value={f.id}>
                {f.settings.name} ({f.settings.provider})
              </option>
            ))}
          </select>
        )}
        <label className="choice-option">
          <input type="radio" name="feed-choice" checked={choice.kind === 'new'} onChange={() => setKind('new')} />A new feed named
        </label>
        {choice.kind === 'new' && (
          <input
            aria-label="New feed name"
            className="indent"
            value={choice.name}
            autoFocus
            onChange={(e) => wizard.setFeed({ kind: 'new', name: e.target.value })}
          />
        )}
      </fieldset>
      <p className="summary" aria-live="polite">
        {state.mode === 'fetch'
          ? `Fetch ${count === total ? `all ${formatCount(total, 'event')}` : `${count} of ${formatCount(total, 'event')}`} into ${label}.`
          : `Cache the values of ${formatCount(total, 'event')} for ${label} (${state.preview.source.hasHashesCsv ? 'from hashes.csv' : 'from the event files; there is no hashes.csv'}). The selection applies to fetch only.`}
      </p>
      {nothingSelected && <p className="error-text">No event is selected: go back and tick some.</p>}
      <div className="form-actions">
        <button type="button" onClick={() => wizard.goTo('preview')}>
          Back
        </button>
        <button type="button" className="primary" disabled={nothingSelected || noName} onClick={() => wizard.start(label)}>
          {state.mode === 'fetch' ? 'Start fetch' : 'Start cache'}
        </button>
      </div>
    </div>
  );
}
