import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../shared/ipc/envelope';
import { renderApp, inputsOf } from './support/render-app';
import { eventView, feed, fileObject, importReport, pageOf, preview, sampleRows, uuidOf } from './support/samples';

afterEach(cleanup);

const PATH = '/media/usb/feed';

async function openFeed(count = 40, verify: Record<string, unknown> = {}) {
  const transport = renderApp(
    {
      ...verify,
      'feeds.preview': () => ok(preview(count, PATH)),
      'feeds.previewEvent': ({ uuid }) => ok({ ...eventView(1), uuid, info: `Preview of ${uuid}`, issues: [] }),
      'feeds.previewAttributes': ({ source: _source, uuid: _uuid, ...page }) => ok(pageOf(sampleRows(), [fileObject], page)),
      'feeds.list': () => ok([feed(3, 'circl-osint', { url: '/somewhere/else' })]),
      'imports.list': () => ok([]),
      'events.list': () => ok({ total: 0, rows: [] }),
    },
    { screen: 'wizard' },
  );
  fireEvent.change(screen.getByLabelText('Feed folder or zip'), { target: { value: PATH } });
  fireEvent.click(screen.getByRole('button', { name: 'Open' }));
  await waitFor(() => expect(screen.getByTestId('event-count').textContent).toBe(String(count)));
  return transport;
}

function eventsTable() {
  return screen.getByRole('region', { name: 'Feed events' });
}

describe('import wizard: source and preview', () => {
  it('sends the typed path to feeds.preview and shows what the source holds', async () => {
    const transport = await openFeed();
    expect(inputsOf(transport, 'feeds.preview')).toEqual([{ source: PATH }]);
    const summary = screen.getByTestId('source-summary');
    expect(summary.textContent).toContain('folder');
    expect(summary.textContent).toContain('2.0 KB');
    expect(summary.textContent).toContain('present');
    expect(screen.getByText('1 problem found')).toBeTruthy();
  });

  it('shows checksums and signature at the top, and imports an altered feed only when told to', async () => {
    const altered = {
      source: PATH, kind: 'folder' as const, status: 'altered' as const, checked: 41,
      files: [{ name: `${uuidOf(2)}.json`, problem: 'differs' as const, message: `${uuidOf(2)}.json does not match its checksum in SHA256SUMS` }],
      signature: { status: 'good' as const, message: 'signed by CERT (fe09…)', signer: { fingerprint: 'fe09', userIds: ['CERT'] } },
      issues: [],
    };
    const transport = await openFeed(40, { 'feeds.verify': () => ok(altered) });
    const box = await screen.findByRole('alert', { name: 'Verification' });
    expect(box.textContent).toContain('This feed was altered after it was written');
    expect(box.textContent).toContain(`${uuidOf(2)}.json does not match its checksum`);
    fireEvent.click(within(box).getByLabelText('Import it anyway (I know why it changed)'));
    fireEvent.click(screen.getByRole('button', { name: 'Next: choose events' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next: fetch or cache' }));
    fireEvent.click(screen.getByRole('button', { name: 'Start fetch' }));
    await waitFor(() => expect(transport.imports).toHaveLength(1));
    expect(transport.imports[0]!.input).toMatchObject({ source: PATH, acceptAltered: true });
  });

  it('shows the engine’s reason when the source cannot be opened', async () => {
    renderApp({ 'feeds.preview': () => fail('bad-source', '/tmp/x.zip: zip refused, an entry escapes the archive (zip-slip)') }, { screen: 'wizard' });
    fireEvent.change(screen.getByLabelText('Feed folder or zip'), { target: { value: '/tmp/x.zip' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('zip-slip'));
  });

  it('keeps Open disabled until a path is typed', () => {
    renderApp({}, { screen: 'wizard' });
    expect((screen.getByRole('button', { name: 'Open' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('searches the manifest events; select all and none act on the rows shown', async () => {
    await openFeed();
    fireEvent.click(screen.getByRole('button', { name: 'Next: choose events' }));
    expect(screen.getByTestId('selected-count').textContent).toBe('40');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search feed events' }), { target: { value: 'tlp:amber' } });
    await waitFor(() => expect(screen.getByText(/14 of 40 shown/)).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Select none' }));
    expect(screen.getByTestId('selected-count').textContent).toBe('26');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search feed events' }), { target: { value: '' } });
    await waitFor(() => expect(screen.getByText(/40 shown/)).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Select none' }));
    expect(screen.getByTestId('selected-count').textContent).toBe('0');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all shown events' }));
    expect(screen.getByTestId('selected-count').textContent).toBe('40');
  });

  it('opens a manifest event read-only in the pane with feeds.previewEvent', async () => {
    const transport = await openFeed();
    fireEvent.click(screen.getByRole('button', { name: 'Next: choose events' }));
    fireEvent.click(within(eventsTable()).getByText('Event number 5'));
    const pane = await screen.findByRole('article', { name: `Event Preview of ${uuidOf(5)}` });
    expect(inputsOf(transport, 'feeds.previewEvent')).toEqual([{ source: PATH, uuid: uuidOf(5) }]);
    expect(within(pane).getByText('preview · read-only')).toBeTruthy();
    const attributes = within(pane).getByRole('region', { name: 'Attributes' });
    expect(within(attributes).getByText('invoice.doc')).toBeTruthy();
    // The pane pages, sorts and filters a previewed event through the preview channel, like a stored one.
    fireEvent.click(within(attributes).getByRole('button', { name: 'Type' }));
    await waitFor(() => expect(inputsOf(transport, 'feeds.previewAttributes')).toHaveLength(1));
    expect(inputsOf(transport, 'feeds.previewAttributes')[0]).toMatchObject({ source: PATH, uuid: uuidOf(5), sort: 'type', direction: 'asc', offset: 0 });
    await waitFor(() => expect(within(attributes).getAllByTestId('attribute-row')[0]!.textContent).toContain('evil.example.com'));
    expect(inputsOf(transport, 'events.attributes')).toEqual([]);
  });
});

describe('import wizard: fetch, progress, report', () => {
  it('fetches exactly the ticked events, shows pushed progress, and renders the report', async () => {
    const transport = await openFeed();
    fireEvent.click(screen.getByRole('button', { name: 'Next: choose events' }));
    fireEvent.click(screen.getByRole('button', { name: 'Select none' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Event number 3' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Event number 7' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next: fetch or cache' }));
    expect(screen.getByText(/Fetch 2 of 40 events into feed/)).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'A new feed named' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'New feed name' }), { target: { value: 'USB feed' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start fetch' }));

    await waitFor(() => expect(transport.imports).toHaveLength(1));
    const run = transport.imports[0]!;
    // Manifest order (newest date first in the table does not matter): exactly the two ticked uuids.
    expect(run.input).toEqual({ source: PATH, mode: 'fetch', feedName: 'USB feed', events: [uuidOf(3), uuidOf(7)] });

    run.progress(1, 2, 'importing', 'Event number 3');
    const bar = await screen.findByRole('progressbar', { name: 'Import progress' });
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('1'));
    expect(bar.getAttribute('aria-valuemax')).toBe('2');
    expect(within(screen.getByRole('main')).getByText(/50%/)).toBeTruthy();
    // The top bar shows it too, so the analyst can leave the wizard.
    const topBar = screen.getByRole('status', { name: 'Background work' });
    expect(within(topBar).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1');

    run.finish(ok(importReport({ feedName: 'USB feed' })));
    const report = await screen.findByRole('article', { name: 'Import report' });
    expect(within(report).getByText('Fetch done')).toBeTruthy();
    expect(within(report).getByTestId('count-added').textContent).toBe('1');
    expect(within(report).getByTestId('count-rejected').textContent).toBe('1');
    expect(within(report).getByTestId('count-attributes').textContent).toBe('10');
    const items = within(report).getByRole('region', { name: 'Import items' });
    fireEvent.click(within(items).getByText('Event number 3'));
    const issues = within(report).getByRole('table', { name: 'Issues of Event number 3' });
    expect(within(issues).getByText(`${uuidOf(3)}.json`)).toBeTruthy();
    expect(within(issues).getByText('/Event/Attribute/4/value')).toBeTruthy();
    expect(within(issues).getByText('value is not a valid ip-dst')).toBeTruthy();
  });

  it('imports everything without an events list when all are ticked, and cancel sends a cancel', async () => {
    const transport = await openFeed(5);
    fireEvent.click(screen.getByRole('button', { name: 'Next: choose events' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next: fetch or cache' }));
    fireEvent.click(screen.getByRole('button', { name: 'Start fetch' }));
    await waitFor(() => expect(transport.imports).toHaveLength(1));
    const run = transport.imports[0]!;
    expect(run.input).toEqual({ source: PATH, mode: 'fetch' });

    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    // Reads left unanswered when their step closed (the feed list) are cancelled too; the import once, by its id.
    expect(transport.cancels.filter((id) => transport.imports.some((i) => i.id === id))).toEqual([run.id]);
    run.finish(fail('cancelled', 'feeds.import: cancelled'));
    expect(await screen.findByText('The import was cancelled.')).toBeTruthy();
  });

  it('caches into an existing feed and shows the source problems of the report', async () => {
    const transport = await openFeed(3);
    fireEvent.click(screen.getByRole('button', { name: 'Next: choose events' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next: fetch or cache' }));
    fireEvent.click(screen.getByRole('radio', { name: /Cache/ }));
    // The existing-feed choice is offered once the feed list has arrived.
    await waitFor(() => expect((screen.getByRole('radio', { name: 'An existing feed' }) as HTMLInputElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('radio', { name: 'An existing feed' }));
    await waitFor(() => expect((screen.getByRole('combobox', { name: 'Existing feed' }) as HTMLSelectElement).value).toBe('3'));
    fireEvent.click(screen.getByRole('button', { name: 'Start cache' }));
    await waitFor(() => expect(transport.imports).toHaveLength(1));
    const run = transport.imports[0]!;
    expect(run.input).toEqual({ source: PATH, mode: 'cache', feedId: 3 });
    run.finish(
      ok(
        importReport({
          mode: 'cache',
          items: [],
          counts: { selected: 3, added: 0, updated: 0, unchanged: 0, filtered: 0, rejected: 0, conflicts: 0, attributes: 0, cachedValues: 864 },
          cacheSource: 'hashes.csv',
          issues: [{ severity: 'warning', code: 'hashes.columns-swapped', path: 'hashes.csv:1', message: '864 of 864 entries have their columns swapped' }],
        }),
      ),
    );
    const report = await screen.findByRole('article', { name: 'Import report' });
    expect(within(report).getByText('Cache done')).toBeTruthy();
    expect(within(report).getByTestId('count-cached-values').textContent).toBe('864');
    expect(within(report).getByRole('table', { name: 'Source problems' }).textContent).toContain('columns swapped');
  });

  it('lets the analyst leave the wizard while the import runs, and reopen the report from the top bar', async () => {
    const transport = await openFeed(2);
    fireEvent.click(screen.getByRole('button', { name: 'Next: choose events' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next: fetch or cache' }));
    fireEvent.click(screen.getByRole('button', { name: 'Start fetch' }));
    await waitFor(() => expect(transport.imports).toHaveLength(1));
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name: 'Events' }));
    await screen.findByRole('heading', { name: 'Events' });
    transport.imports[0]!.progress(1, 2);
    const topBar = screen.getByRole('status', { name: 'Background work' });
    await waitFor(() => expect(within(topBar).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1'));
    transport.imports[0]!.finish(ok(importReport()));
    fireEvent.click(await within(topBar).findByRole('button', { name: 'Report' }));
    await screen.findByRole('heading', { name: 'Import history' });
    expect(inputsOf(transport, 'imports.get')).toEqual([{ id: 12 }]);
  });
});
