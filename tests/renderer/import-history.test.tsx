import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../shared/ipc/envelope';
import { ImportHistoryScreen } from '../../renderer/src/features/imports/ImportHistoryScreen';
import { inputsOf, renderWithEngine } from './support/render-app';
import { importReport } from './support/samples';

afterEach(cleanup);

const counts = { selected: 365, added: 365, updated: 0, unchanged: 0, filtered: 0, rejected: 0, conflicts: 0, attributes: 110_682, cachedValues: 0 };

describe('ImportHistoryScreen', () => {
  it('lists the import log and reopens a run’s full report', async () => {
    const transport = renderWithEngine(<ImportHistoryScreen />, {
      'imports.list': () =>
        ok([
          { id: 12, feedId: 3, feedName: 'tweetfeed', source: '/media/usb/tweetfeed', mode: 'fetch', status: 'done', startedAt: 1_750_000_000, finishedAt: 1_750_000_008, counts },
          { id: 13, feedId: 4, feedName: 'crowdsec', source: '/media/usb/crowdsec.zip', mode: 'cache', status: 'done', startedAt: 1_750_000_100, finishedAt: 1_750_000_101, counts: { ...counts, added: 0, cachedValues: 864 } },
        ]),
      'imports.get': ({ id }) => ok(importReport({ importId: id, feedName: 'tweetfeed' })),
    });
    const runs = screen.getByRole('region', { name: 'Import list' });
    expect((await within(runs).findByText('365 added')).closest('tr')!.textContent).toContain('tweetfeed');
    expect(within(runs).getByText('864 values cached')).toBeTruthy();
    expect(inputsOf(transport, 'imports.list')).toEqual([{ limit: 500 }]);

    fireEvent.click(within(runs).getByText('365 added'));
    const report = await screen.findByRole('article', { name: 'Import report' });
    expect(inputsOf(transport, 'imports.get')).toEqual([{ id: 12 }]);
    expect(within(report).getByText('Fetch done')).toBeTruthy();
    expect(within(report).getByRole('region', { name: 'Import items' })).toBeTruthy();
  });
});
