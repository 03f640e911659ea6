/** The library's events like MISP's index, sorted by the engine and loaded a page at a time. */
import { createColumnHelper, type SortingState } from '@tanstack/react-table';
import type { EventRow, EventSort } from '../../app/types';
import { TagChip } from '../../components/TagChip';
import { VirtualTable } from '../../components/VirtualTable';
import { distributionShort } from '../../components/format';

const col = createColumnHelper<EventRow>();
const columns = [
  col.accessor('date', { header: 'Date', size: 92 }),
  col.accessor((e) => e.orgName ?? '', { id: 'org', header: 'Org', size: 120 }),
  col.accessor('info', {
    header: 'Info',
    size: 340,
    cell: (c) => (
      <span title={c.getValue()}>
        {c.row.original.locallyEdited && <span className="badge warn">edited</span>}
        {c.getValue()}
      </span>
    ),
  }),
  col.display({
    id: 'tags',
    header: 'Tags',
    size: 220,
    cell: (c) => (
      <span className="tags">
        {c.row.original.tags.map((t) => (
          <TagChip key={t.name} name={t.name} colour={t.colour} />
        ))}
      </span>
    ),
  }),
  col.accessor('attributeCount', {
    id: 'attributes',
    header: 'Attrs',
    size: 64,
    cell: (c) => (
      <span className="num" title={`${c.getValue()} attributes, ${c.row.original.objectCount} objects`}>
        {c.getValue()}
      </span>
    ),
  }),
  col.accessor((e) => distributionShort(e.distribution), { id: 'distribution', header: 'Distribution', size: 100, enableSorting: false }),
  col.accessor('published', { header: 'Published', size: 84, enableSorting: false, cell: (c) => (c.getValue() ? 'Yes' : <span className="muted">No</span>) }),
  col.accessor((e) => e.feedName ?? 'local', { id: 'feed', header: 'Origin', size: 120, enableSorting: false }),
];

const SORTABLE: readonly EventSort[] = ['date', 'org', 'info', 'attributes'];

export function sortOf(sorting: SortingState): { sort: EventSort; direction: 'asc' | 'desc' } | null {
  const first = sorting[0];
  const sort = SORTABLE.find((s) => s === first?.id);
  return first && sort ? { sort, direction: first.desc ? 'desc' : 'asc' } : null;
}

export function EventsTable({ rows, sort, direction, onSort, openUuid, onOpen, onEndReached }: {
  rows: readonly EventRow[];
  sort: EventSort;
  direction: 'asc' | 'desc';
  onSort: (sort: EventSort, direction: 'asc' | 'desc') => void;
  openUuid: string | null;
  onOpen: (event: EventRow) => void;
  onEndReached: () => void;
}) {
  return (
    <VirtualTable
      rows={rows}
      columns={columns}
      rowKey={(e) => e.uuid}
      label="Event list"
      sorting={[{ id: sort, desc: direction === 'desc' }]}
      onSortingChange={(s) => {
        const next = sortOf(s);
        if (next) onSort(next.sort, next.direction);
      }}
      activeKey={openUuid}
      onOpen={onOpen}
      onEndReached={onEndReached}
      empty={<p>No event matches.</p>}
    />
  );
}
