/** An event inside the feed being previewed, read from the folder or zip; nothing is stored. */
import { useEngineQuery } from '../../app/engine-query';
import { EventPane, type EventPaneProps } from '../event/EventPane';

export function PreviewEventPane({ source, uuid, ...pane }: EventPaneProps & { source: string; uuid: string }) {
  return <EventPane query={useEngineQuery('feeds.previewEvent', { source, uuid })} source={{ kind: 'preview', source, uuid }} preview {...pane} />;
}
