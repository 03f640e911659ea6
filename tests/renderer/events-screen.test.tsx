import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../shared/ipc/envelope';
import type { ChannelInput } from '../../shared/ipc/contract';
import { EventsScreen } from '../../renderer/src/features/event/EventsScreen';
import { inputsOf, renderApp, renderWithEngine } from './support/render-app';
import { eventRow, eventView, feed, fileObject, manyRows, pageOf, sampleRows, uuidOf } from './support/samples';

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
    'events.attributes': (input: ChannelInput<'events.attributes'>) => ok(pageOf(sampleRows(), [fileObject], input)),
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
    expect(within(view).getByRole('heading', { name: /Attributes 4 · Objects 1/ })).toBeTruthy();
    const domainRow = within(attributes).getByText('evil.example.com').closest('tr')!;
    expect(within(attributes).getByText('evil.example.com').className).toContain('mono');
    expect(domainRow.textContent).toContain('Network activity');
    expect(domainRow.textContent).toContain('C2 server');
    expect(domainRow.textContent).toContain('kill-chain:c2');
    expect(within(domainRow).getByLabelText('to_ids set')).toBeTruthy();
    expect(within(attributes).getByText('198.51.100.7').closest('tr')!.textContent).toContain('Organisation');

    // The object's attributes: the first of the run names the object, each shows its relation.
    const fileRow = within(attributes).getByText('invoice.doc').closest('tr')!;
    expect(fileRow.className).toContain('in-object');
    expect(fileRow.className).toContain('object-start');
    expect(fileRow.textContent).toContain('dropper');
    expect(within(fileRow).getByText('filename', { selector: '.relation' })).toBeTruthy();
    expect(fileRow.querySelector('td')!.getAttribute('title')).toContain('communicates-with → domain evil.example.com');
    const shaRow = within(attributes).getByText('a'.repeat(64)).closest('tr')!;
    expect(shaRow.className).toContain('in-object');
    expect(shaRow.className).not.toContain('object-start');
    // The first page came with the event: nothing else was asked.
    expect(inputsOf(transport, 'events.attributes')).toEqual([]);
  });

  it('filters on the engine and opens an object with its references', async () => {
    const transport = renderWithEngine(<EventsScreen eventUuid={uuidOf(1)} />, library(3));
    const view = await screen.findByRole('article', { name: 'Event Stored event 1' });
    const attributes = within(view).getByRole('table', { name: 'Attributes' });
    fireEvent.change(within(view).getByRole('searchbox', { name: 'Filter attributes' }), { target: { value: 'invoice' } });
    // The rows may clear before the request is sent (the filter settles first): wait for the request itself.
    await waitFor(() =>
      expect(inputsOf(transport, 'events.attributes')).toEqual([
        { uuid: uuidOf(1), offset: 0, limit: 200, sort: 'id', direction: 'asc', filter: { includeDeleted: true, text: 'invoice' } },
      ]),
    );
    await waitFor(() => expect(within(attributes).queryByText('evil.example.com')).toBeNull());
    expect(await within(attributes).findByText('invoice.doc')).toBeTruthy();
    expect(within(view).getByTestId('attributes-shown').textContent).toContain('1 shown');
    expect(within(attributes).getByText('invoice.doc').closest('tr')!.querySelector('td')!.getAttribute('title')).toContain('1 of 2 attributes');
    fireEvent.change(within(view).getByRole('searchbox', { name: 'Filter attributes' }), { target: { value: '' } });
    await within(attributes).findByText('evil.example.com');

    fireEvent.click(within(attributes).getByRole('button', { name: 'Open object file' }));
    const bar = await within(view).findByRole('group', { name: 'Object' });
    await waitFor(() => expect(inputsOf(transport, 'events.attributes').at(-1)).toMatchObject({ filter: { includeDeleted: true, objectUuid: fileObject.uuid } }));
    await waitFor(() => expect(within(attributes).queryByText('evil.example.com')).toBeNull());
    expect(bar.textContent).toContain('file');
    expect(bar.textContent).toContain('dropper');
    expect(bar.textContent).toContain('communicates-with → domain evil.example.com');
    expect(within(attributes).getAllByTestId('attribute-row')).toHaveLength(2);
    fireEvent.click(within(bar).getByRole('button', { name: 'Show all attributes' }));
    await within(attributes).findByText('evil.example.com');
    expect(within(view).queryByRole('group', { name: 'Object' })).toBeNull();
  });

  it('sorts the attributes on the engine: ascending, descending, then the event\'s own order again', async () => {
    const transport = renderWithEngine(<EventsScreen eventUuid={uuidOf(1)} />, library(3));
    const view = await screen.findByRole('article', { name: 'Event Stored event 1' });
    const attributes = within(view).getByRole('table', { name: 'Attributes' });
    const values = () => within(attributes).getAllByTestId('attribute-row').map((r) => r.querySelector('.mono')!.textContent);
    expect(values()).toEqual(['evil.example.com', '198.51.100.7', 'invoice.doc', 'a'.repeat(64)]);
    fireEvent.click(within(attributes).getByRole('button', { name: 'Value' }));
    await waitFor(() => expect(values()).toEqual(['198.51.100.7', 'a'.repeat(64), 'evil.example.com', 'invoice.doc']));
    expect(inputsOf(transport, 'events.attributes').at(-1)).toMatchObject({ sort: 'value', direction: 'asc', offset: 0 });
    expect(within(attributes).getByRole('columnheader', { name: /Value/ }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(within(attributes).getByRole('button', { name: /Value/ }));
    await waitFor(() => expect(values()).toEqual(['invoice.doc', 'evil.example.com', 'a'.repeat(64), '198.51.100.7']));
    expect(inputsOf(transport, 'events.attributes').at(-1)).toMatchObject({ sort: 'value', direction: 'desc' });
    fireEvent.click(within(attributes).getByRole('button', { name: /Value/ }));
    await waitFor(() => expect(values()).toEqual(['evil.example.com', '198.51.100.7', 'invoice.doc', 'a'.repeat(64)]));
    // Back to the event's own order: the first page that came with the event, not asked again.
    expect(inputsOf(transport, 'events.attributes')).toHaveLength(2);
    expect(within(attributes).getByRole('columnheader', { name: /Value/ }).getAttribute('aria-sort')).toBeNull();
  });

  it('fetches the pages of a large event as they scroll into view, not before', async () => {
    const rows = manyRows(5_000);
    const transport = renderWithEngine(<EventsScreen eventUuid={uuidOf(1)} />, {
      ...library(3),
      'events.get': ({ uuid }: { uuid: string }) => ok({ ...eventView(1, rows, []), uuid }),
      'events.attributes': (input: ChannelInput<'events.attributes'>) => ok(pageOf(rows, [], input)),
    });
    const view = await screen.findByRole('article', { name: 'Event Stored event 1' });
    const region = within(view).getByRole('region', { name: 'Attributes' });
    expect(within(view).getByRole('heading', { name: /Attributes 5,000/ })).toBeTruthy();
    expect(within(region).getByText('10.0.0.0')).toBeTruthy();
    expect(inputsOf(transport, 'events.attributes')).toEqual([]);
    // Jump to the middle (as dragging the scroll bar does): only the page there is fetched.
    region.scrollTop = 2_600 * 26;
    fireEvent.scroll(region);
    await waitFor(() => expect(inputsOf(transport, 'events.attributes').length).toBeGreaterThan(0));
    const offsets = inputsOf(transport, 'events.attributes').map((i) => (i as { offset: number }).offset);
    expect(offsets).toContain(2_600);
    expect(offsets.every((o) => o >= 2_400 && o <= 2_800)).toBe(true);
    await within(region).findByText(`10.0.${Math.floor(2_600 / 250)}.${2_600 % 250}`);
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

describe('EventsScreen → a new export', () => {
  const exportsToo = (total: number) => ({
    ...library(total),
    'imports.list': () => ok([]),
    'export.history': () => ok([]),
    'export.profiles': () => ok([]),
    'keys.list': () => ok([]),
    'export.count': (input: ChannelInput<'export.count'>) => ok({ events: input.filter?.events?.length ?? total, attributes: 9 }),
  });

  it('takes the listed feed and facets into the export filter, and refuses a search text it cannot carry', async () => {
    const transport = renderApp(exportsToo(3), { screen: 'events', feedId: 7 });
    await within(list()).findByText('Stored event 0');
    const facets = screen.getByRole('group', { name: 'Filter events' });
    fireEvent.change(within(facets).getByLabelText('Tag'), { target: { value: 'tlp:green' } });
    fireEvent.keyDown(within(facets).getByLabelText('Tag'), { key: 'Enter' });
    await waitFor(() => expect(inputsOf(transport, 'events.list').at(-1)).toMatchObject({ tag: 'tlp:green' }));
    fireEvent.change(screen.getByLabelText('Search events'), { target: { value: 'emotet' } });
    expect(screen.getByRole('button', { name: 'Export these…' }).hasAttribute('disabled')).toBe(true);
    fireEvent.change(screen.getByLabelText('Search events'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export these…' }));
    const form = await screen.findByRole('form', { name: 'New export' });
    expect(within(form).getByTestId('export-scope').textContent).toContain('3 events of circl-osint');
    expect((within(form).getByLabelText('Tags') as HTMLInputElement).value).toBe('tlp:green');
    await waitFor(() => expect(inputsOf(transport, 'export.count').at(-1)).toEqual({ filter: { tags: 'tlp:green', origins: [7] }, options: { keepLocalTags: false, hashes: 'pymisp' } }));
    fireEvent.click(within(form).getByRole('button', { name: 'Export all events instead' }));
    await waitFor(() => expect(inputsOf(transport, 'export.count').at(-1)).toEqual({ filter: { tags: 'tlp:green' }, options: { keepLocalTags: false, hashes: 'pymisp' } }));
  });

  it('exports the open event alone from its pane', async () => {
    const transport = renderApp(exportsToo(3), { screen: 'events', eventUuid: uuidOf(2) });
    const pane = await screen.findByRole('article', { name: /^Event / });
    fireEvent.click(within(pane).getByRole('button', { name: 'Export…' }));
    const form = await screen.findByRole('form', { name: 'New export' });
    expect(within(form).getByTestId('export-scope').textContent).toContain('Only the event');
    await waitFor(() => expect(inputsOf(transport, 'export.count').at(-1)).toMatchObject({ filter: { events: [uuidOf(2)] } }));
    expect(await within(form).findByText('1 event, 9 attributes selected')).toBeTruthy();
  });
});
