/**
 * A dense, sortable, virtualised table: TanStack Table for columns and sorting, TanStack Virtual so that only the
 * visible rows are in the DOM (a feed preview can list thousands of events).
 */
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';

export interface VirtualTableProps<T> {
  readonly rows: readonly T[];
  readonly columns: ColumnDef<T, unknown>[];
  readonly rowKey: (row: T) => string;
  readonly label: string;
  readonly initialSort?: SortingState;
  readonly onOpen?: (row: T) => void;
}

const ROW_HEIGHT = 30;
const NO_LAYOUT_RECT = { width: 1000, height: 600 };

export function VirtualTable<T>({ rows, columns, rowKey, label, initialSort = [], onOpen }: VirtualTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSort);
  const table = useReactTable<T>({
    data: rows as T[],
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: rowKey,
  });
  const scrollRef = useRef<HTMLDivElement>(null);
  const model = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: model.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Before layout (first paint, a hidden pane, DOM-less test environments) the element measures 0×0; render a
    // first screenful rather than nothing.
    initialRect: NO_LAYOUT_RECT,
    observeElementRect: (instance, cb) => observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : NO_LAYOUT_RECT)),
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div className="vtable" ref={scrollRef} role="region" aria-label={label} tabIndex={0}>
      <table aria-rowcount={model.length + 1}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    style={{ width: header.getSize() }}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                  >
                    <button type="button" className="th-button" onClick={header.column.getToggleSortingHandler()}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {padTop > 0 && <tr style={{ height: padTop }} aria-hidden="true" />}
          {items.map((item) => {
            const row = model[item.index]!;
            return (
              <tr
                key={row.id}
                data-testid="row"
                aria-rowindex={item.index + 2}
                style={{ height: ROW_HEIGHT }}
                onDoubleClick={onOpen ? () => onOpen(row.original) : undefined}
                onKeyDown={onOpen ? (e) => e.key === 'Enter' && onOpen(row.original) : undefined}
                tabIndex={onOpen ? 0 : undefined}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                ))}
              </tr>
            );
          })}
          {padBottom > 0 && <tr style={{ height: padBottom }} aria-hidden="true" />}
        </tbody>
      </table>
    </div>
  );
}
