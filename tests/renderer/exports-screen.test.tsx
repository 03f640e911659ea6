import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../shared/ipc/envelope';
import type { ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { ExportsScreen } from '../../renderer/src/features/exports/ExportsScreen';
import type { HostClient } from '../../shared/ipc/host-contract';
import { inputsOf, renderApp, renderWithEngine } from './support/render-app';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

const FINGERPRINT = 'fe09a3e0e9068e80847c0dfb41f5093b786fbe64';

function report(over: Partial<ChannelOutput<'export.run'>> = {}): ChannelOutput<'export.run'> {
  return {
    target: '/media/usb/feed', format: 'folder', dryRun: false, incremental: false, settings: 'x', selected: 2, events: 2, attributes: 7, hashes: 7,
    skipped: 0, changes: { added: 2, changed: 0, unchanged: 0, deleted: 0, dropped: 0 }, changeList: [], invalid: [], issues: [], bytes: 2048,
    digests: { manifest: 'a'.repeat(64), checksums: 'b'.repeat(64) }, signedBy: null, durationMs: 40, ...over,
  };
}

function engine(extra: Record<string, unknown> = {}) {
  return {
    'export.history': () => ok([]),
    'export.profiles': () =>
      ok([{ name: 'USB weekly', settings: { target: '/media/usb/weekly', filter: { tags: 'tlp:white' }, options: { keepLocalTags: false, hashes: 'pymisp' as const }, incremental: true }, createdAt: 1, updatedAt: 1 }]),
    'keys.list': () => ok([{ fingerprint: FINGERPRINT, kind: 'own' as const, userIds: ['CERT <cert@example.org>'], algorithm: 'eddsaLegacy', createdAt: 1, addedAt: 1 }]),
    'export.count': (input: ChannelInput<'export.count'>) =>
      input.filter?.tags === 'tlp:white|!' ? fail('invalid-input', 'filter/tags: empty term', [{ severity: 'error', code: 'filter.empty-term', path: 'filter/tags', message: 'a term after ! is empty' }]) : ok({ events: input.filter?.tags ? 1 : 2, attributes: 7 }),
    'export.run': (input: ChannelInput<'export.run'>) => ok(report({ dryRun: input.dryRun ?? false, target: input.target })),
    ...extra,
  };
}

describe('ExportsScreen', () => {
  it('counts what the filter selects as it is typed, and says inline when the filter does not read', async () => {
    const transport = renderWithEngine(<ExportsScreen />, engine());
    fireEvent.click(await screen.findByRole('button', { name: 'New export' }));
    const form = await screen.findByRole('form', { name: 'New export' });
    expect(await within(form).findByText('2 events, 7 attributes selected')).toBeTruthy();
    fireEvent.change(within(form).getByLabelText('Tags'), { target: { value: 'tlp:white' } });
    expect(await within(form).findByText('1 event, 7 attributes selected')).toBeTruthy();
    expect(inputsOf(transport, 'export.count').at(-1)).toMatchObject({ filter: { tags: 'tlp:white' } });
    fireEvent.change(within(form).getByLabelText('Tags'), { target: { value: 'tlp:white|!' } });
    expect(await within(form).findByText('a term after ! is empty')).toBeTruthy();
    // What was typed stays.
    expect((within(form).getByLabelText('Tags') as HTMLInputElement).value).toBe('tlp:white|!');
  });

  it('exports with the typed settings, signs with the chosen key, and shows digests', async () => {
    const transport = renderWithEngine(<ExportsScreen />, engine());
    fireEvent.click(await screen.findByRole('button', { name: 'New export' }));
    const form = await screen.findByRole('form', { name: 'New export' });
    fireEvent.change(within(form).getByLabelText('Target'), { target: { value: '/media/usb/feed' } });
    fireEvent.click(within(form).getByLabelText('4 Sharing group'));
    await waitFor(() => expect(within(form).getAllByRole('option', { name: /CERT/ })).toHaveLength(1));
    fireEvent.change(within(form).getByLabelText('Sign with'), { target: { value: FINGERPRINT } });
    fireEvent.change(within(form).getByLabelText('Passphrase'), { target: { value: 'secret passphrase' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Export' }));
    const result = await within(form).findByRole('region', { name: 'Export result' });
    expect(result.textContent).toContain('Written to folder /media/usb/feed');
    expect(result.textContent).toContain('b'.repeat(64));
    expect(inputsOf(transport, 'export.run')).toEqual([
      {
        target: '/media/usb/feed', dryRun: false, incremental: false, filter: {},
        options: { keepLocalTags: false, hashes: 'pymisp', distributions: [0, 1, 2, 3, 5] },
        sign: { key: FINGERPRINT, passphrase: 'secret passphrase' },
      },
    ]);
  });

  it('opens a saved profile with its settings, and keeps the form when the engine refuses the target', async () => {
    const transport = renderWithEngine(
      <ExportsScreen />,
      engine({ 'export.run': () => fail('bad-target', '/media/usb/weekly: not empty and not a feed (it holds "notes.txt")', [{ severity: 'error', code: 'x', path: 'target', message: 'not empty and not a feed' }]) }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'USB weekly' }));
    const form = await screen.findByRole('form', { name: 'Profile USB weekly' });
    expect((within(form).getByLabelText('Target') as HTMLInputElement).value).toBe('/media/usb/weekly');
    expect((within(form).getByLabelText('Tags') as HTMLInputElement).value).toBe('tlp:white');
    expect((within(form).getByLabelText('Incremental') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(form).getByRole('button', { name: 'Dry run' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('notes.txt');
    expect(within(form).getByText('not empty and not a feed')).toBeTruthy();
    expect(inputsOf(transport, 'export.run')[0]).toMatchObject({ target: '/media/usb/weekly', dryRun: true, incremental: true, filter: { tags: 'tlp:white' } });
    expect((within(form).getByLabelText('Target') as HTMLInputElement).value).toBe('/media/usb/weekly');
  });

  it('lists keys and makes a signing key', async () => {
    const transport = renderWithEngine(<ExportsScreen />, engine({ 'keys.generate': () => ok({ fingerprint: 'c'.repeat(40), kind: 'own' as const, userIds: ['Sensor'], algorithm: 'x', createdAt: 1, addedAt: 1 }) }));
    fireEvent.click(await screen.findByRole('button', { name: 'Keys' }));
    const keys = await screen.findByRole('list', { name: 'Keys' });
    expect(await within(keys).findByText(FINGERPRINT)).toBeTruthy();
    const make = screen.getByRole('form', { name: 'Make a signing key' });
    fireEvent.change(within(make).getByLabelText('Name'), { target: { value: 'Sensor' } });
    fireEvent.change(within(make).getByLabelText('Passphrase'), { target: { value: 'long enough' } });
    fireEvent.click(within(make).getByRole('button', { name: 'Make key' }));
    await waitFor(() => expect(inputsOf(transport, 'keys.generate')).toEqual([{ name: 'Sensor', passphrase: 'long enough' }]));
  });
});

describe('ExportsScreen in the desktop app', () => {
  it('chooses the target with the native save dialog, asking for a zip with the zip filter', async () => {
    const asked: unknown[] = [];
    const host = {
      pickFeedSource: async () => ok(null),
      revealPath: async () => ok(undefined),
      pickSavePath: async (input: unknown) => {
        asked.push(input);
        return ok('/media/usb/misp-feed.zip');
      },
    } as unknown as HostClient;
    renderWithEngine(<ExportsScreen />, engine(), { screen: 'exports' }, host);
    fireEvent.click(await screen.findByRole('button', { name: 'New export' }));
    const form = await screen.findByRole('form', { name: 'New export' });
    fireEvent.click(within(form).getByRole('button', { name: 'Zip…' }));
    await waitFor(() => expect((within(form).getByLabelText('Target') as HTMLInputElement).value).toBe('/media/usb/misp-feed.zip'));
    expect(asked).toEqual([expect.objectContaining({ defaultName: 'misp-feed.zip', filters: [{ name: 'Zip archive', extensions: ['zip'] }] })]);
  });
});

describe('an export is window work', () => {
  it('goes on in the top bar when the analyst leaves the form, can be cancelled there, and its result reopens from it', async () => {
    const { 'export.run': _scripted, ...handlers } = engine({ 'feeds.list': () => ok([]), 'imports.list': () => ok([]) });
    const transport = renderApp(handlers, { screen: 'exports' });
    fireEvent.click(await screen.findByRole('button', { name: 'New export' }));
    const form = await screen.findByRole('form', { name: 'New export' });
    fireEvent.change(within(form).getByLabelText('Target'), { target: { value: '/media/usb/feed' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(transport.exports).toHaveLength(1));
    expect(within(form).getByRole('button', { name: 'Export' }).hasAttribute('disabled')).toBe(true);

    fireEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('button', { name: 'Feeds' }));
    const topBar = await screen.findByRole('status', { name: 'Background work' });
    expect(topBar.textContent).toContain('Export to /media/usb/feed');
    transport.exports[0]!.progress(500, 2000, 'writing');
    await waitFor(() => expect(within(topBar).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('500'));
    transport.exports[0]!.finish(ok(report()));
    await waitFor(() => expect(topBar.textContent).toContain('2 events, 7 attributes written'));
    fireEvent.click(within(topBar).getByRole('button', { name: 'Result' }));
    const result = await screen.findByRole('region', { name: 'Export result' });
    expect(result.textContent).toContain('Written to folder /media/usb/feed');

    // A second one, cancelled from the top bar: the engine hears the cancel.
    fireEvent.click(screen.getByRole('button', { name: 'New export' }));
    const again = await screen.findByRole('form', { name: 'New export' });
    fireEvent.change(within(again).getByLabelText('Target'), { target: { value: '/media/usb/other' } });
    fireEvent.click(within(again).getByRole('button', { name: 'Dry run' }));
    await waitFor(() => expect(transport.exports).toHaveLength(2));
    fireEvent.click(within(screen.getByRole('status', { name: 'Background work' })).getByRole('button', { name: 'Cancel Dry run to /media/usb/other' }));
    expect(transport.cancels).toEqual([transport.exports[1]!.id]);
  });
});
