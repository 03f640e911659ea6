import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../shared/ipc/envelope';
import type { FeedSummary } from '../../renderer/src/app/types';
import { FeedsScreen } from '../../renderer/src/features/feeds/FeedsScreen';
import { inputsOf, renderApp, renderWithEngine } from './support/render-app';
import { feed } from './support/samples';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function feedsTable() {
  return screen.getByRole('region', { name: 'Feed list' });
}

/** A tiny engine that keeps its feeds in memory, so the list reflects what the screen did. */
function engineWith(initial: FeedSummary[]) {
  const feeds = [...initial];
  return {
    feeds,
    handlers: {
      'feeds.list': () => ok([...feeds]),
      'feeds.setEnabled': ({ id, enabled }: { id: number; enabled?: boolean }) => {
        const i = feeds.findIndex((f) => f.id === id);
        feeds[i] = { ...feeds[i]!, settings: { ...feeds[i]!.settings, enabled: enabled ?? feeds[i]!.settings.enabled } };
        return ok(feeds[i]!);
      },
    },
  };
}

describe('FeedsScreen', () => {
  it('lists each feed with provider, format, status and last source', async () => {
    renderWithEngine(<FeedsScreen />, engineWith([feed(1, 'circl-osint', { events: 365, cached: 864 }), feed(2, 'botvrij', { enabled: false })]).handlers);
    const row = (await within(feedsTable()).findByText('circl-osint')).closest('tr')!;
    expect(row.textContent).toContain('CIRCL');
    expect(row.textContent).toContain('MISP · local');
    expect(row.textContent).toContain('864');
    expect(row.textContent).toContain('365');
    expect(row.textContent).toContain('/media/usb/circl-osint');
    expect((within(feedsTable()).getByRole('checkbox', { name: 'Enabled: botvrij' }) as HTMLInputElement).checked).toBe(false);
  });

  it('shows the engine’s refusal next to the field and keeps what was typed', async () => {
    const added = feed(9, 'usb-feed');
    let attempts = 0;
    const transport = renderWithEngine(<FeedsScreen />, {
      'feeds.list': () => ok(attempts > 1 ? [added] : []),
      'feeds.add': (input) => {
        attempts++;
        return input.url.trim() === '' ? fail('invalid-input', 'feeds.add: url: a feed needs a url or path') : ok(added);
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add feed…' }));
    const form = screen.getByRole('form', { name: 'Add feed' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'usb-feed' } });
    fireEvent.change(within(form).getByLabelText('Provider'), { target: { value: 'CIRCL' } });
    fireEvent.change(within(form).getByLabelText('Distribution'), { target: { value: '3' } });
    fireEvent.change(within(form).getByLabelText('Tags NOT'), { target: { value: 'tlp:red\ntlp:amber' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add feed' }));

    const path = within(form).getByLabelText('Path');
    await waitFor(() => expect(path.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(path.getAttribute('aria-describedby')!)!.textContent).toBe('a feed needs a url or path');
    expect(within(form).getByRole('alert').textContent).toContain('The feed was not added');
    // Nothing typed is lost.
    expect((within(form).getByLabelText('Name') as HTMLInputElement).value).toBe('usb-feed');
    expect((within(form).getByLabelText('Provider') as HTMLInputElement).value).toBe('CIRCL');
    expect((within(form).getByLabelText('Distribution') as HTMLSelectElement).value).toBe('3');
    expect((within(form).getByLabelText('Tags NOT') as HTMLTextAreaElement).value).toBe('tlp:red\ntlp:amber');

    const sent = inputsOf(transport, 'feeds.add')[0] as Record<string, unknown>;
    expect(sent).toMatchObject({ name: 'usb-feed', provider: 'CIRCL', distribution: 3, inputSource: 'local', sourceFormat: 'misp' });
    expect(sent['rules']).toMatchObject({ tags: { or: [], not: ['tlp:red', 'tlp:amber'] } });

    fireEvent.change(path, { target: { value: '/media/usb/feed' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add feed' }));
    expect(await screen.findByRole('status')).toHaveProperty('textContent', expect.stringContaining('Added feed usb-feed'));
    expect(await screen.findByRole('heading', { name: 'usb-feed' })).toBeTruthy();
  });

  it('maps a name clash onto the name field', async () => {
    renderWithEngine(<FeedsScreen />, {
      'feeds.list': () => ok([]),
      'feeds.add': () => fail('conflict', 'a feed named "x" already exists'),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add feed…' }));
    const form = screen.getByRole('form', { name: 'Add feed' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'x' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add feed' }));
    await waitFor(() => expect(within(form).getByLabelText('Name').getAttribute('aria-invalid')).toBe('true'));
  });

  it('enables and disables a feed from its tick box and from its row menu', async () => {
    const engine = engineWith([feed(1, 'circl-osint'), feed(2, 'botvrij', { enabled: false })]);
    const transport = renderWithEngine(<FeedsScreen />, engine.handlers);
    fireEvent.click(await within(feedsTable()).findByRole('checkbox', { name: 'Enabled: circl-osint' }));
    await waitFor(() => expect(inputsOf(transport, 'feeds.setEnabled')).toEqual([{ id: 1, enabled: false }]));
    await waitFor(() => expect((within(feedsTable()).getByRole('checkbox', { name: 'Enabled: circl-osint' }) as HTMLInputElement).checked).toBe(false));

    fireEvent.click(within(feedsTable()).getByRole('button', { name: 'Actions for botvrij' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Enable' }));
    await waitFor(() => expect(inputsOf(transport, 'feeds.setEnabled')).toEqual([{ id: 1, enabled: false }, { id: 2, enabled: true }]));
    await waitFor(() => expect((within(feedsTable()).getByRole('checkbox', { name: 'Enabled: botvrij' }) as HTMLInputElement).checked).toBe(true));
  });

  it('asks once before removing a feed, and can delete its events too', async () => {
    const transport = renderWithEngine(<FeedsScreen />, {
      'feeds.list': () => ok([feed(4, 'old-feed', { events: 12 })]),
      'feeds.remove': () => ok({ removedEvents: 12, removedCacheValues: 0 }),
    });
    fireEvent.click(await within(feedsTable()).findByRole('button', { name: 'Actions for old-feed' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Remove…' }));
    expect(screen.getByRole('heading', { name: 'Remove feed old-feed?' })).toBeTruthy();
    expect(inputsOf(transport, 'feeds.remove')).toEqual([]);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Also delete its 12 events' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove feed' }));
    await waitFor(() => expect(inputsOf(transport, 'feeds.remove')).toEqual([{ id: 4, deleteEvents: true }]));
    expect((await screen.findByRole('status')).textContent).toContain('12 events deleted');
  });

  it('exports a feed’s metadata as a downloaded JSON file', async () => {
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      created.push(b as Blob);
      return 'blob:feed';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const transport = renderWithEngine(<FeedsScreen />, {
      'feeds.list': () => ok([feed(5, 'circl osint')]),
      'feeds.exportMetadata': () => ok({ json: '[{"Feed":{}}]', count: 1 }),
    });
    fireEvent.click(await within(feedsTable()).findByRole('button', { name: 'Actions for circl osint' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Export metadata' }));
    await waitFor(() => expect(clicked).toEqual(['circl-osint.feed-metadata.json']));
    expect(inputsOf(transport, 'feeds.exportMetadata')).toEqual([{ ids: [5] }]);
    expect(await created[0]!.text()).toBe('[{"Feed":{}}]');
  });

  it('imports pasted feed metadata and reports what was added and skipped', async () => {
    const transport = renderWithEngine(<FeedsScreen />, {
      'feeds.list': () => ok([]),
      'feeds.importMetadata': () => ok({ added: [{ id: 1, name: 'CIRCL OSINT Feed' }], skipped: [{ name: 'Botvrij', reason: 'already defined' }], issues: [] }),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Import feed metadata…' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Pasted JSON' }));
    fireEvent.change(screen.getByLabelText('Metadata JSON'), { target: { value: '[]' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    expect((await screen.findByRole('status')).textContent).toContain('1 feed added');
    expect(screen.getByText('Botvrij:', { exact: false })).toBeTruthy();
    expect(inputsOf(transport, 'feeds.importMetadata')).toEqual([{ json: '[]', markDefault: false }]);
  });

  it('loads MISP’s default feed list from a path, marked default', async () => {
    const transport = renderWithEngine(<FeedsScreen />, {
      'feeds.list': () => ok([]),
      'feeds.importMetadata': () => fail('not-found', '/nope/defaults.json: no such file'),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Load default feed list…' }));
    fireEvent.change(screen.getByLabelText('Metadata file'), { target: { value: '/nope/defaults.json' } });
    fireEvent.click(screen.getByRole('button', { name: 'Load feeds' }));
    await waitFor(() => expect(screen.getByLabelText('Metadata file').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('/nope/defaults.json: no such file')).toBeTruthy();
    expect(inputsOf(transport, 'feeds.importMetadata')).toEqual([{ source: '/nope/defaults.json', markDefault: true }]);
  });

  it('fetches a local feed as a background job from its row menu', async () => {
    const transport = renderWithEngine(<FeedsScreen />, { 'feeds.list': () => ok([feed(6, 'tweetfeed', { events: 3 })]) });
    fireEvent.click(await within(feedsTable()).findByRole('button', { name: 'Actions for tweetfeed' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Cache (correlation only)' }));
    await waitFor(() => expect(transport.imports.map((i) => i.input)).toEqual([{ source: '/media/usb/tweetfeed', feedId: 6, mode: 'cache' }]));
    expect(screen.getByRole('status').textContent).toContain('Caching tweetfeed');
  });
});

describe('FeedsScreen: edit and network feeds', () => {
  it('edits a feed, sending its id and the changed settings, keeping what the form does not show', async () => {
    const base = feed(8, 'circl-osint');
    const withTimeFilter = { ...base, settings: { ...base.settings, rules: { ...base.settings.rules, urlParams: { timestamp: '30d' } } } };
    const transport = renderWithEngine(<FeedsScreen />, {
      'feeds.list': () => ok([withTimeFilter]),
      'feeds.edit': ({ changes }) => ok({ ...withTimeFilter, settings: { ...withTimeFilter.settings, ...changes } as FeedSummary['settings'] }),
    });
    fireEvent.click(await within(feedsTable()).findByRole('button', { name: 'Actions for circl-osint' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Edit…' }));
    const form = screen.getByRole('form', { name: 'Edit feed circl-osint' });
    expect((within(form).getByLabelText('Path') as HTMLInputElement).value).toBe('/media/usb/circl-osint');
    fireEvent.change(within(form).getByLabelText('Default tag'), { target: { value: 'osint:source-type="block-or-filter-list"' } });
    fireEvent.click(within(form).getByRole('checkbox', { name: 'Caching enabled' }));
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(inputsOf(transport, 'feeds.edit')).toHaveLength(1));
    const sent = inputsOf(transport, 'feeds.edit')[0] as { id: number; changes: Record<string, unknown> };
    expect(sent.id).toBe(8);
    expect(sent.changes).toMatchObject({
      cachingEnabled: true,
      defaultTag: { name: 'osint:source-type="block-or-filter-list"', colour: '#0088cc', exportable: true, hideTag: false },
      rules: { urlParams: { timestamp: '30d' } },
    });
    expect((await screen.findByRole('status')).textContent).toContain('Saved feed circl-osint');
  });

  it('sends a network feed without a local copy to the wizard, asking for its folder or zip', async () => {
    const network = feed(11, 'CIRCL OSINT Feed', { url: 'https://www.circl.lu/doc/misp/feed-osint' });
    network.settings.inputSource = 'network';
    const transport = renderApp({ 'feeds.list': () => ok([network]), 'feeds.get': () => ok(network) });
    fireEvent.click(await screen.findByRole('button', { name: 'Actions for CIRCL OSINT Feed' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Fetch (import events)' }));
    expect(await screen.findByRole('heading', { name: 'Open a feed' })).toBeTruthy();
    expect((await screen.findByText(/choose the folder or zip that holds a copy of it/)).textContent).toContain('https://www.circl.lu/doc/misp/feed-osint');
    expect(transport.imports).toEqual([]);
  });
});
