/** The events a feed's manifest announces, with a tick box each: which ones a fetch brings in. */
import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useMemo, useRef } from 'react';
import type { PreviewEvent } from '../../app/types';
import { TagChip } from '../../components/TagChip';
import { VirtualTable } from '../../components/VirtualTable';

const col = createColumnHelper<PreviewEvent>();

/** The header tick box: ticks or clears every shown row; half-ticked when some are. */
function SelectShown({ shown, selected, onChange }: { shown: readonly PreviewEvent[]; selected: ReadonlySet<string>; onChange: (next: ReadonlySet<string>) => void }) {
  const ref = useRef<HTMLInputElement>(null);
  const ticked = shown.filter((e) => selected.has(e.uuid)).length;
  const all = shown.length > 0 && ticked === shown.length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = ticked > 0 && !all;
  }, [ticked, all]);
  return (
    <input
      ref={ref}
      type="checkbox"
      aria-label="Select all shown events"
      checked={all}
      onChange={() => onChange(all ? withoutShown(selected, shown) : withShown(selected, shown))}
    />
  );
}

export function withShown(selected: ReadonlySet<string>, shown: readonly PreviewEvent[]): ReadonlySet<string> {
  const next = new Set(selected);
  for (const e of shown) next.add(e.uuid);
  return next;
}

export function withoutShown(selected: ReadonlySet<string>, shown: readonly PreviewEvent[]): ReadonlySet<string> {
  const next = new Set(selected);
  for (const e of shown) next.delete(e.uuid);
  return next;
}

function toggled(selected: ReadonlySet<string>, uuid: string): ReadonlySet<string> {
  const next = new Set(selected);
  if (!next.delete(uuid)) next.add(uuid);
  return next;
}

export function ManifestEventsTable({ events, selected, onSelect, openedUuid, onOpen }: {
  events: readonly PreviewEvent[];
  selected: ReadonlySet<string>;
  onSelect: (next: ReadonlySet<string>) => void;
  openedUuid: string | null;
  onOpen: (event: PreviewEvent) => void;
}) {
  const columns = useMemo(
    () => [
      col.display({
        id: 'select',
        size: 34,
        header: () => <SelectShown shown={events} selected={selected} onChange={onSelect} />,
        cell: (c) => (
          <input
            type="checkbox"
            aria-label={`Select ${c.row.original.info}`}
            checked={selected.has(c.row.original.uuid)}
            onChange={() => onSelect(toggled(selected, c.row.original.uuid))}
          />
        ),
      }),
      col.accessor('date', { header: 'Date', size: 96 }),
      col.accessor((e) => e.orgName ?? '', { id: 'org', header: 'Org', size: 120 }),
      col.accessor('info', { header: 'Info', size: 320, cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
      col.accessor((e) => e.tags.map((t) => t.name).join(' '), {
        id: 'tags',
        header: 'Tags',
        size: 240,
        enableSorting: false,
        cell: (c) => (
          <span className="tags">
            {c.row.original.tags.map((t) => (
              <TagChip key={t.name} name={t.name} colour={t.colour} />
            ))}
          </span>
        ),
      }),
      col.accessor((e) => e.attributeCount ?? -1, {
        id: 'attributes',
        header: 'Attrs',
        size: 64,
        cell: (c) => <span className="num">{c.getValue() >= 0 ? c.getValue() : '—'}</span>,
      }),
      col.accessor('uuid', { header: 'UUID', size: 280, cell: (c) => <span className="mono">{c.getValue()}</span> }),
    ],
    [events, selected, onSelect],
  );
  return (
    <VirtualTable
      rows={events}
      columns={columns}
      rowKey={(e) => e.uuid}
      label="Feed events"
      initialSort={[{ id: 'date', desc: true }]}
      activeKey={openedUuid}
      onOpen={onOpen}
      onToggle={(e) => onSelect(toggled(selected, e.uuid))}
      rowClassName={(e) => (selected.has(e.uuid) ? undefined : 'dim')}
    />
  );
}
