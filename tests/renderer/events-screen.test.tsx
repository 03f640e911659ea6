import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../shared/ipc/envelope';
import type { ChannelInput } from '../../shared/ipc/contract';
import { EventsScreen } from '../../renderer/src/features/event/EventsScreen';
import { inputsOf, renderWithEngine } from './support/render-app';
import { eventRow, eventView, feed, uuidOf } from './support/samples';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

type ListInput = ChannelInput<'events.list'>;

/** An engine holding `total` events that answers pages of at most `pageCap` rows (to make paging visible). */
function library(total: number, pageCap = 1000) {
  return {
    'feeds.list': () => ok([feed(7, 'circl-osint', { events: total })]),
    'events.list': (input: ListInput) => {
      const offset = input.offset ?? 0;
      const count = Math.max(0, Math.min(input.limit ?? 100, pageCap, total - offset));
      return ok({ total, rows: Array.from({ length: count }, (_, i) => eventRow(offset + i)) });
    },
    'events.get': ({ uuid }: { uuid: string }) => (uuid === uuidOf(404) ? fail('not-found', `no event ${uuid} in the library`) : ok({ ...eventView(1), uuid })),
  };
}

const list = () => screen.getByRole('region', { name: 'Event list' });

describe('EventsScreen', () => {
  it('asks the engine for the first page, newest first, and shows the index columns', async () => {
    const transport = renderWithEngine(<EventsScreen />, library(3));
    expect(await within(list()).findByText('Stored event 0')).toBeTruthy();
    expect(inputsOf(transport, 'events.list')[0]).toEqual({ offset: 0, limit: 200, sort: 'date', direction: 'desc' });
    expect(screen.getByTestId('events-total').textContent).toBe('3 events');
    const row = within(list()).getByText('Stored event 1').closest('tr')!;
    for (const text of ['2024-03-01', 'CIRCL', 'tlp:green', '3', 'All', 'Yes', 'circl-osint']) expect(row.textContent).toContain(text);
  });

  it('sorts, searches and filters by feed on the engine side', async () => {
    const transport = renderWithEngine(<EventsScreen />, library(3));
    await within(list()).findByText('Stored event 0');
    fireEvent.click(within(list()).getByRole('button', { name: 'Info' }));
    await waitFor(() => expect(inputsOf(transport, 'events.list').at(-1)).toMatchObject({ sort: 'info', direction: 'asc' }));
    fireEvent.click(within(list()).getByRole('button', { name: /Info/ }));
    await waitFor(() => expect(inputsOf(transport, 'events.list').at(-1)).toMatchObject({ sort: 'info', direction: 'desc' }));
    expect(within(list()).getByRole('columnheader', { name: /Info/ }).getAttribute('aria-sort')).toBe('descending');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search events' }), { target: { value: 'emotet' } });
    await waitFor(() => expect(inputsOf(transport, 'events.list').at(-1)).toMatchObject({ search: 'emotet', offset: 0 }));

    await waitFor(() => expect(screen.getAllByRole('option', { name: 'circl-osint' })).toHaveLength(1));
    fireEvent.change(screen.getByRole('combobox', { name: 'Feed' }), { target: { value: '7' } });
    await waitFor(() => expect(inputsOf(transport, 'events.list').at(-1)).toMatchObject({ search: 'emotet', feedId: 7, sort: 'info' }));
  });

  it('filters by org, tag and date range, as MISP\'s index does, and clears them again', async () => {
    const transport = renderWithEngine(<EventsScreen />, library(3));
    await within(list()).findByText('Stored event 0');
    const facets = screen.getByRole('group', { name: 'Filter events' });
    const tag = within(facets).getByLabelText('Tag');
    fireEvent.change(tag, { target: { value: 'tlp:green' } });
    fireEvent.keyDown(tag, { key: 'Enter' });
    await waitFor(() => expect(inputsOf(transport, 'events.list').at(-1)).toMatchObject({ tag: 'tlp:green', offset: 0 }));
    const org = within(facets).getByLabelText('Org');
    fireEvent.change(org, { target: { value: 'CIRCL' } });
    fireEvent.blur(org);
    fireEvent.change(within(facets).getByLabelText('From'), { target: { value: '2024-01-01' } });
    fireEvent.change(within(facets).getByLabelText('To'), { target: { value: '2024-12-31' } });
    await waitFor(() =>
      expect(inputsOf(transport, 'events.list').at(-1)).toMatchObject({ tag: 'tlp:green', org: 'CIRCL', dateFrom: '2024-01-01', dateTo: '2024-12-31' }),
    );
    const asked = inputsOf(transport, 'events.list').length;
    fireEvent.click(within(facets).getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect((within(facets).getByLabelText('Tag') as HTMLInputElement).value).toBe(''));
    // The unfiltered list is still in the query cache (nothing changed since): shown again without asking.
    expect(await within(list()).findByText('Stored event 0')).toBeTruthy();
    expect(screen.getByTestId('events-total').textContent).toBe('3 events');
    expect(inputsOf(transport, 'events.list')).toHaveLength(asked);
    expect(inputsOf(transport, 'events.list')[0]).toEqual({ offset: 0, limit: 200, sort: 'date', direction: 'desc' });
  });

  it('loads the next page when the end of the list comes into view', async () => {
    const transport = renderWithEngine(<EventsScreen />, library(30, 20));
    await within(list()).findByText('Stored event 0');
    await waitFor(() => expect(inputsOf(transport, 'events.list')).toHaveLength(2));
    expect(inputsOf(transport, 'events.list')[1]).toMatchObject({ offset: 20 });
    await within(list()).findByText('Stored event 29');
    expect(screen.getByTestId('events-total').textContent).toBe('30 events');
  });

  it('opens the event view with header fields, tags, attributes and objects', async () => {
    const transport = renderWithEngine(<EventsScreen />, library(3));
    fireEvent.click(await within(list()).findByText('Stored event 1'));
    const view = await screen.findByRole('article', { name: 'Event Stored event 1' });
    expect(inputsOf(transport, 'events.get')).toEqual([{ uuid: uuidOf(1) }]);

    const fields = within(view).getAllByRole('term').map((dt) => `${dt.textContent}=${dt.nextElementSibling?.textContent}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'Date=2024-03-01',
        'Org=CIRCL',
        'Threat level=High',
        'Analysis=Completed',
        'Distribution=All communities',
        'Origin feed=circl-osint',
        'Locally edited=No',
      ]),
    );
    expect(within(view).getByText(uuidOf(1))).toBeTruthy();
    expect(within(view).getByLabelText('Event tags').textContent).toContain('tlp:green');

    const attributes = within(view).getByRole('table', { name: 'Attributes' });
    const domainRow = within(attributes).getByText('evil.example.com').closest('tr')!;
    expect(within(attributes).getByText('evil.example.com').className).toContain('mono');
    expect(domainRow.textContent).toContain('Network activity');
    expect(domainRow.textContent).toContain('C2 server');
    expect(domainRow.textContent).toContain('kill-chain:c2');
    expect(within(domainRow).getByLabelText('to_ids set')).toBeTruthy();
    expect(within(attributes).getByText('198.51.100.7').closest('tr')!.textContent).toContain('Organisation');

    // The object: a grouped header row, then its attributes under their relation names.
    const objectRow = within(attributes).getByText('file').closest('tr')!;
    expect(objectRow.className).toContain('object-row');
    expect(objectRow.textContent).toContain('dropper');
    expect(objectRow.textContent).toContain('communicates-with → domain evil.example.com');
    const fileRow = within(attributes).getByText('invoice.doc').closest('tr')!;
    expect(fileRow.className).toContain('in-object');
    expect(within(fileRow).getByText('filename', { selector: '.relation' })).toBeTruthy();

    fireEvent.change(within(view).getByRole('searchbox', { name: 'Filter attributes' }), { target: { value: 'invoice' } });
    await waitFor(() => expect(within(attributes).queryByText('evil.example.com')).toBeNull());
    expect(within(attributes).getByText('invoice.doc')).toBeTruthy();
    expect(within(attributes).getByText(/1 of 2 attributes/)).toBeTruthy();
  });

  it('opens with the keyboard: arrows move, Enter opens', async () => {
    const transport = renderWithEngine(<EventsScreen />, library(3));
    await within(list()).findByText('Stored event 0');
    fireEvent.keyDown(list(), { key: 'ArrowDown' });
    fireEvent.keyDown(list(), { key: 'ArrowDown' });
    fireEvent.keyDown(list(), { key: 'Enter' });
    await screen.findByRole('article', { name: 'Event Stored event 1' });
    expect(inputsOf(transport, 'events.get')).toEqual([{ uuid: uuidOf(1) }]);
  });

  it('says so when an event cannot be opened', async () => {
    renderWithEngine(<EventsScreen eventUuid={uuidOf(404)} />, library(1));
    expect((await screen.findByRole('alert')).textContent).toContain('no event');
  });
});
