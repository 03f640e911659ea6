/** A stored event, read from the library when opened. */
import { useEngineQuery } from '../../app/engine-query';
import { PaneActions } from '../../components/PaneActions';
import { EventView } from './EventView';

export function EventDetailPane({ uuid, onClose, expanded, onExpand }: { uuid: string; onClose: () => void; expanded?: boolean; onExpand?: () => void }) {
  const event = useEngineQuery('events.get', { uuid });
  const close = <PaneActions what="event" expanded={expanded} onExpand={onExpand} onClose={onClose} />;
  if (event.error) {
    return (
      <div className="pane">
        <header className="pane-header">
          <h2>Cannot open this event</h2>
          {close}
        </header>
        <p role="alert" className="error-box">
          {event.error.message}
        </p>
      </div>
    );
  }
  if (!event.data || event.loading) return <p className="pane muted">Opening the event…</p>;
  return <EventView event={event.data} actions={close} />;
}
