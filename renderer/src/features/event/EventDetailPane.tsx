/** A stored event, read from the library when opened; it can be exported on its own from here. */
import { useEngineQuery } from '../../app/engine-query';
import { useNavigation } from '../../app/navigation';
import { EventPane, type EventPaneProps } from './EventPane';

export function EventDetailPane({ uuid, ...pane }: EventPaneProps & { uuid: string }) {
  const query = useEngineQuery('events.get', { uuid });
  const { go } = useNavigation();
  const exportIt = (
    <button type="button" className="small" onClick={() => go({ screen: 'exports', preset: { label: `the event “${query.data?.info ?? uuid}”`, events: [uuid] } })}>
      Export…
    </button>
  );
  return <EventPane query={query} source={{ kind: 'stored', uuid }} extraActions={exportIt} {...pane} />;
}
