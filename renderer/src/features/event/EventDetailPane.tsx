/** A stored event, read from the library when opened. */
import { useEngineQuery } from '../../app/engine-query';
import { EventPane, type EventPaneProps } from './EventPane';

export function EventDetailPane({ uuid, ...pane }: EventPaneProps & { uuid: string }) {
  return <EventPane query={useEngineQuery('events.get', { uuid })} source={{ kind: 'stored', uuid }} {...pane} />;
}
