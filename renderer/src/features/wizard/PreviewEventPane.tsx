/** An event inside the feed being previewed, read from the folder or zip; nothing is stored. */
import { useEngineQuery } from '../../app/engine-query';
import { EventView } from '../event/EventView';

export function PreviewEventPane({ source, uuid, onClose }: { source: string; uuid: string; onClose: () => void }) {
  const event = useEngineQuery('feeds.previewEvent', { source, uuid });
  const close = (
    <button type="button" className="icon" aria-label="Close event" onClick={onClose}>
      ×
    </button>
  );
  if (event.error) {
    return (
      <div className="pane">
        <header className="pane-header">
          <h2>Cannot read this event</h2>
          {close}
        </header>
        <p role="alert" className="error-box">
          {event.error.message}
        </p>
      </div>
    );
  }
  if (!event.data || event.loading) return <p className="pane muted">Reading the event…</p>;
  return <EventView event={event.data} preview actions={close} />;
}
