import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../shared/ipc/envelope';
import type { EventRow, FeedSummary } from '../../renderer/src/app/types';
import { EventsScreen } from '../../renderer/src/features/event/EventsScreen';
import { FeedsScreen } from '../../renderer/src/features/feeds/FeedsScreen';
import { libraryChanged } from '../../renderer/src/transport/fake';
import { inputsOf, renderApp, renderWithEngine } from './support/render-app';
import { eventRow, eventView, feed, uuidOf } from './support/samples';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

/** A library the test changes behind the screen's back, as another window or the command line would. */
function library() {
  const events: EventRow[] = [eventRow(1)];
  const feeds: FeedSummary[] = [feed(7, 'circl-osint', { events: 1 })];
  const info = new Map<string, string>();
  return {
    events,
    feeds,
    info,
    handlers: {
      'feeds.list': () => ok([...feeds]),
      'events.list': () => ok({ total: events.length, rows: [...events] }),
      'events.get': ({ uuid }: { uuid: string }) => ok({ ...eventView(1), uuid, info: info.get(uuid) ?? `Stored event ${uuid.slice(-1)}` }),
      'imports.list': () => ok([]),
    },
  };
}

const list = () => screen.getByRole('region', { name: 'Event list' });

describe('live changes (library.changed)', () => {
  it('shows events another process added, without any user action', async () => {
    const lib = library();
    const transport = renderWithEngine(<EventsScreen />, lib.handlers);
    expect(await within(list()).findByText('Stored event 1')).toBeTruthy();
    expect(screen.getByTestId('events-total').textContent).toBe('1 event');

    lib.events.unshift(eventRow(2));
    transport.push(libraryChanged({ events: 'all', external: true }));

    expect(await within(list()).findByText('Stored event 2')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('events-total').textContent).toBe('2 events'));
    expect(within(list()).getByText('Stored event 1')).toBeTruthy();
    expect(inputsOf(transport, 'events.list')).toHaveLength(2);
  });

  it('asks again for an open event only when that event changed', async () => {
    const lib = library();
    const transport = renderWithEngine(<EventsScreen eventUuid={uuidOf(1)} />, lib.handlers);
    await screen.findByRole('article', { name: 'Event Stored event 1' });
    expect(inputsOf(transport, 'events.get')).toHaveLength(1);

    // Another event changed: the list is asked again, the open event is not.
    transport.push(libraryChanged({ events: [uuidOf(9)] }));
    await waitFor(() => expect(inputsOf(transport, 'events.list')).toHaveLength(2));
    expect(inputsOf(transport, 'events.get')).toHaveLength(1);

    lib.info.set(uuidOf(1), 'Renamed elsewhere');
    transport.push(libraryChanged({ events: [uuidOf(1)] }));
    expect(await screen.findByRole('article', { name: 'Event Renamed elsewhere' })).toBeTruthy();
    expect(inputsOf(transport, 'events.get')).toHaveLength(2);
  });

  it('refreshes the feed list on a feed change and leaves it alone on an import-log change', async () => {
    const lib = library();
    const transport = renderWithEngine(<FeedsScreen />, lib.handlers);
    const table = screen.getByRole('region', { name: 'Feed list' });
    await within(table).findByText('circl-osint');

    transport.push(libraryChanged({ imports: true }));
    lib.feeds.push(feed(8, 'botvrij'));
    transport.push(libraryChanged({ feeds: true }));
    expect(await within(table).findByText('botvrij')).toBeTruthy();
    expect(inputsOf(transport, 'feeds.list')).toHaveLength(2);
  });

  it('shares one request between screens asking the same thing', async () => {
    const lib = library();
    const transport = renderApp(lib.handlers, { screen: 'events' });
    await within(list()).findByText('Stored event 1');
    expect(inputsOf(transport, 'feeds.list')).toHaveLength(1);
    // The Feeds screen shows the cached list at once; nothing changed, so it is not asked again.
    fireEvent.click(screen.getByRole('button', { name: 'Feeds' }));
    expect(await within(screen.getByRole('region', { name: 'Feed list' })).findByText('circl-osint')).toBeTruthy();
    expect(inputsOf(transport, 'feeds.list')).toHaveLength(1);

    // A change while the Events screen is not shown: it asks again when it is shown next.
    lib.events.unshift(eventRow(2));
    transport.push(libraryChanged({ events: [uuidOf(2)] }));
    await new Promise((r) => setTimeout(r, 20));
    expect(inputsOf(transport, 'events.list')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Events' }));
    expect(await within(list()).findByText('Stored event 2')).toBeTruthy();
    expect(inputsOf(transport, 'events.list')).toHaveLength(2);
  });

  it('treats a reconnection as "everything may have changed"', async () => {
    const lib = library();
    const transport = renderWithEngine(<EventsScreen />, lib.handlers);
    await within(list()).findByText('Stored event 1');
    lib.events.unshift(eventRow(2));
    transport.reconnect();
    expect(await within(list()).findByText('Stored event 2')).toBeTruthy();
    expect(inputsOf(transport, 'feeds.list')).toHaveLength(2);
  });
});
