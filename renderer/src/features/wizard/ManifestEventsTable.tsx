import { createColumnHelper } from '@tanstack/react-table';
import type { z } from 'zod';
import type { previewEventSchema } from '../../../../shared/ipc/schemas';
import { TagChip } from '../../components/TagChip';
import { VirtualTable } from '../../components/VirtualTable';

export type PreviewEvent = z.infer<typeof previewEventSchema>;

const col = createColumnHelper<PreviewEvent>();
const columns = [
  col.accessor('date', { header: 'Date', size: 100 }),
  col.accessor((e) => e.orgName ?? '', { id: 'org', header: 'Org', size: 140 }),
  col.accessor('info', { header: 'Info', size: 420, cell: (c) => <span title={c.getValue()}>{c.getValue()}</span> }),
  col.accessor((e) => e.tags.map((t) => t.name).join(' '), {
    id: 'tags',
    header: 'Tags',
    size: 300,
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
    header: 'Attributes',
    size: 90,
    cell: (c) => (c.getValue() >= 0 ? c.getValue() : '—'),
  }),
  col.accessor('uuid', { header: 'UUID', size: 300, cell: (c) => <span className="mono">{c.getValue()}</span> }),
] as ReturnType<typeof col.accessor>[];

export function PreviewEventsTable({ events }: { events: readonly PreviewEvent[] }) {
  return <VirtualTable rows={events} columns={columns as never} rowKey={(e) => e.uuid} label="Feed events" />;
}
