/** An event inside the feed being previewed, read from the folder or zip; nothing is stored. */
import { useEngineQuery } from '../../app/engine-query';
import { PaneActions } from '../../components/PaneActions';
import { EventView } from '../event/EventView';

export function PreviewEventPane({ source, uuid, onClose, expanded, onExpand }: { source: string; uuid: string; onClose: () => void; expanded?: boolean; onExpand?: () => void }) {
  const event = useEngineQuery('feeds.previewEvent', { source, uuid });
  const close = <PaneActions what="event" expanded={expanded} onExpand={onExpand} onClose={onClose} />;
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
