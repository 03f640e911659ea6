/** An event loading into the detail pane: a stored one (events.get) or one inside a feed being previewed. */
import type { ReactNode } from 'react';
import type { EngineQuery } from '../../app/engine-query';
import { PaneActions } from '../../components/PaneActions';
import type { EventView as EventViewData } from '../../app/types';
import type { AttributeSource } from './attribute-pages';
import { EventView } from './EventView';

export interface EventPaneProps {
  readonly onClose: () => void;
  readonly expanded?: boolean | undefined;
  readonly onExpand?: (() => void) | undefined;
}

export function EventPane({ query, source, preview = false, onClose, expanded, onExpand, extraActions }: EventPaneProps & {
  query: EngineQuery<EventViewData>;
  /** Buttons before the pane's own (a stored event's Export…). */
  extraActions?: ReactNode;
  /** Where the event's further pages of attributes come from. */
  source: AttributeSource;
  preview?: boolean;
}) {
  const close = <PaneActions what="event" expanded={expanded} onExpand={onExpand} onClose={onClose} />;
  if (query.error) {
    return (
      <div className="pane">
        <header className="pane-header">
          <h2>{preview ? 'Cannot read this event' : 'Cannot open this event'}</h2>
          {close}
        </header>
        <p role="alert" className="error-box">
          {query.error.message}
        </p>
      </div>
    );
  }
  if (!query.data || query.loading) return <p className="pane muted">{preview ? 'Reading the event…' : 'Opening the event…'}</p>;
  // Keyed by event: another event starts with its own filter and object, and no rows of the last one.
  const actions = (
    <>
      {extraActions}
      {close}
    </>
  );
  return <EventView key={query.data.uuid} event={query.data} source={source} preview={preview} actions={actions} />;
}
