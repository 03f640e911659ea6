/** Removing a feed asks once, says what goes with it, and offers to delete its events too. */
import { useState } from 'react';
import type { IpcError } from '../../../../shared/ipc/envelope';
import { useEnvironment } from '../../app/engine-context';
import type { FeedSummary } from '../../app/types';
import { formatCount } from '../../components/format';

export function RemoveFeedPanel({ feed, onRemoved, onCancel }: {
  feed: FeedSummary;
  onRemoved: (message: string) => void;
  onCancel: () => void;
}) {
  const { engine } = useEnvironment();
  const [deleteEvents, setDeleteEvents] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState(false);
  const name = feed.settings.name;

  const remove = async () => {
    setBusy(true);
    const result = await engine.call('feeds.remove', { id: feed.id, deleteEvents });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    const { removedEvents, removedCacheValues } = result.value;
    onRemoved(
      `Removed feed ${name}: ${formatCount(removedEvents, 'event')} deleted, ${formatCount(removedCacheValues, 'cached value')} dropped` +
        (deleteEvents ? '.' : '; its other events stay as local events.'),
    );
  };

  return (
    <section className="panel-form" role="group" aria-labelledby="remove-feed-title">
      <h2 id="remove-feed-title">Remove feed {name}?</h2>
      <p>
        Its settings and its cache ({formatCount(feed.status.cachedValues, 'value')}) are removed. Its{' '}
        {formatCount(feed.status.eventCount, 'imported event')} stay in the library as local events unless you delete them
        too.
      </p>
      <div className="field check">
        <input id="remove-feed-events" type="checkbox" checked={deleteEvents} onChange={(e) => setDeleteEvents(e.target.checked)} />
        <label htmlFor="remove-feed-events">Also delete its {formatCount(feed.status.eventCount, 'event')}</label>
      </div>
      {error && (
        <p role="alert" className="error-box">
          {error.message}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
          Remove feed
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
