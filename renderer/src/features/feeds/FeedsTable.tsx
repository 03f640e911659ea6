/** One row per feed: what it is, whether it is on, what was cached and imported from it, and from where. */
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { FeedSummary } from '../../app/types';
import { MenuButton, type MenuItem } from '../../components/MenuButton';
import { VirtualTable } from '../../components/VirtualTable';
import { formatCount, formatTime, truncateMiddle } from '../../components/format';
import { SOURCE_FORMATS } from './feed-form-model';
import type { FeedCommands } from './feed-commands';

export type FeedPaneRequest = 'details' | 'edit' | 'remove';

const col = createColumnHelper<FeedSummary>();

function formatLabel(f: FeedSummary): string {
  const format = SOURCE_FORMATS.find((s) => s.value === f.settings.sourceFormat)?.value ?? f.settings.sourceFormat;
  return `${format === 'misp' ? 'MISP' : format} · ${f.settings.inputSource}`;
}

function StatusCell({ count, what, at }: { count: number; what: string; at: number | null }) {
  if (at === null && count === 0) return <span className="muted">—</span>;
  return (
    <span title={`${formatCount(count, what)}, ${formatTime(at)}`}>
      {count.toLocaleString('en')} <span className="muted">· {formatTime(at)}</span>
    </span>
  );
}

export function feedMenuItems(feed: FeedSummary, commands: FeedCommands, open: (pane: FeedPaneRequest) => void): MenuItem[] {
  const name = feed.settings.name;
  return [
    { label: 'Preview…', run: () => commands.preview(feed), hint: 'Open its folder or zip in the import wizard' },
    { label: 'Fetch (import events)', run: () => commands.run(feed, 'fetch') },
    { label: 'Cache (correlation only)', run: () => commands.run(feed, 'cache') },
    { label: 'Show events', run: () => commands.showEvents(feed), disabled: feed.status.eventCount === 0 },
    { label: 'Edit…', run: () => open('edit') },
    { label: feed.settings.enabled ? 'Disable' : 'Enable', run: () => void commands.setEnabled(feed, !feed.settings.enabled) },
    { label: 'Export metadata', run: () => void commands.exportMetadata([feed]), hint: `Download ${name}'s MISP feed metadata JSON` },
    { label: 'Remove…', run: () => open('remove'), danger: true },
  ];
}

export function FeedsTable({ feeds, activeId, commands, onOpen }: {
  feeds: readonly FeedSummary[];
  activeId: number | null;
  commands: FeedCommands;
  onOpen: (feed: FeedSummary, pane: FeedPaneRequest) => void;
}) {
  const columns = useMemo(
    () => [
      col.accessor((f) => f.settings.enabled, {
        id: 'enabled',
        header: 'On',
        size: 44,
        cell: (c) => (
          <input
            type="checkbox"
            checked={c.getValue()}
            aria-label={`Enabled: ${c.row.original.settings.name}`}
            onChange={(e) => void commands.setEnabled(c.row.original, e.target.checked)}
          />
        ),
      }),
      col.accessor((f) => f.settings.name, {
        id: 'name',
        header: 'Name',
        size: 180,
        cell: (c) => (
          <span className="cell-strong" title={c.getValue()}>
            <span className="name">{c.getValue()}</span>
            {c.row.original.settings.isDefault && (
              <span className="badge compact" title="From MISP's default feed list">
                D<span className="visually-hidden">efault feed</span>
              </span>
            )}
          </span>
        ),
      }),
      col.accessor((f) => f.settings.provider, { id: 'provider', header: 'Provider', size: 110 }),
      col.accessor(formatLabel, { id: 'format', header: 'Format', size: 110 }),
      col.accessor((f) => f.status.cachedValues, {
        id: 'cached',
        header: 'Cached values',
        size: 180,
        cell: (c) => <StatusCell count={c.getValue()} what="value" at={c.row.original.status.lastCachedAt} />,
      }),
      col.accessor((f) => f.status.eventCount, {
        id: 'imported',
        header: 'Imported events',
        size: 180,
        cell: (c) => <StatusCell count={c.getValue()} what="event" at={c.row.original.status.lastImportedAt} />,
      }),
      col.accessor((f) => f.status.lastSource ?? '', {
        id: 'source',
        header: 'Last source',
        size: 240,
        cell: (c) => (
          <span className="mono" title={c.getValue()}>
            {c.getValue() === '' ? '—' : truncateMiddle(c.getValue(), 30)}
          </span>
        ),
      }),
      col.display({
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        size: 52,
        cell: (c) => (
          <MenuButton
            label={`Actions for ${c.row.original.settings.name}`}
            items={feedMenuItems(c.row.original, commands, (pane) => onOpen(c.row.original, pane))}
          />
        ),
      }),
    ],
    [commands, onOpen],
  );
  return (
    <VirtualTable
      rows={feeds}
      columns={columns}
      rowKey={(f) => String(f.id)}
      label="Feed list"
      initialSort={[{ id: 'name', desc: false }]}
      activeKey={activeId === null ? null : String(activeId)}
      onOpen={(f) => onOpen(f, 'details')}
      rowClassName={(f) => (f.settings.enabled ? undefined : 'dim')}
      empty={<p>No feeds yet. Add one, open a feed folder or zip, or load MISP&apos;s default feed list.</p>}
    />
  );
}
