import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ok, fail } from '../../shared/ipc/envelope';
import { EnvironmentProvider } from '../../renderer/src/app/engine-context';
import { PreviewScreen } from '../../renderer/src/features/preview/PreviewScreen';
import { createClient } from '../../renderer/src/transport/client';
import { createFakeTransport, type FakeHandlers } from '../../renderer/src/transport/fake';

afterEach(cleanup);

const event = (n: number) => ({
  uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  info: `Event number ${n}`,
  date: `2024-01-${String((n % 28) + 1).padStart(2, '0')}`,
  timestamp: 1_700_000_000 + n,
  orgName: n % 2 ? 'CIRCL' : 'ACME',
  tags: [{ name: n % 3 ? 'tlp:white' : 'tlp:amber', colour: '#ffffff' }],
});

function mount(handlers: FakeHandlers) {
  const transport = createFakeTransport(handlers);
  render(
    <EnvironmentProvider value={{ engine: createClient(transport), host: null, upload: null }}>
      <PreviewScreen />
    </EnvironmentProvider>,
  );
  return transport;
}

describe('PreviewScreen', () => {
  it('sends the typed path to feeds.preview and lists the events it gets back', async () => {
    const transport = mount({
      'feeds.preview': () =>
        ok({
          source: { path: '/media/usb/feed', kind: 'folder', sizeBytes: 2048, feedRoot: '', hasHashesCsv: true, eventFileCount: 40 },
          events: Array.from({ length: 40 }, (_, i) => event(i)),
          issues: [{ severity: 'warning', code: 'feed.event-file-missing', path: 'x.json', message: 'announced but missing' }],
        }),
    });
    fireEvent.change(screen.getByLabelText('Feed folder or zip'), { target: { value: '/media/usb/feed' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(screen.getByTestId('event-count').textContent).toBe('40'));
    expect(transport.calls).toEqual([{ channel: 'feeds.preview', input: { source: '/media/usb/feed' } }]);
    expect(screen.getByText('1 problem found')).toBeTruthy();
    expect(screen.getAllByTestId('row').length).toBeGreaterThan(0);

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search events' }), { target: { value: 'tlp:amber' } });
    await waitFor(() => expect(screen.getByText('14 of 40 shown')).toBeTruthy());
  });

  it('shows the engine’s reason when the source cannot be opened', async () => {
    mount({ 'feeds.preview': () => fail('bad-source', '/tmp/x.zip: zip refused, an entry escapes the archive (zip-slip)') });
    fireEvent.change(screen.getByLabelText('Feed folder or zip'), { target: { value: '/tmp/x.zip' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('zip-slip'));
  });

  it('keeps Open disabled until a path is typed', () => {
    mount({});
    expect((screen.getByRole('button', { name: 'Open' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
