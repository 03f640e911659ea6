/**
 * A dense, sortable, virtualised table: TanStack Table for columns and sorting, TanStack Virtual so that only the
 * visible rows are in the DOM (a feed preview can list thousands of events, an import report tens of thousands of
 * items).
 *
 * Keyboard: arrows, Page Up/Down, Home/End move between rows; Enter opens the row; Space toggles it when the table
 * has tick boxes. Sorting is done here, or by the engine when the caller passes `sorting` (server-side order).
 */
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { useVirtualRows } from './use-virtual-rows';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface VirtualTableProps<T> {
  readonly rows: readonly T[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TanStack's column helper yields per-column value types
  readonly columns: ColumnDef<T, any>[];
  readonly rowKey: (row: T) => string;
  readonly label: string;
  readonly initialSort?: SortingState;
  /** Controlled, server-side sorting: rows arrive already sorted; header clicks report the wanted order. */
  readonly sorting?: SortingState;
  readonly onSortingChange?: (sorting: SortingState) => void;
  /** The row shown in the detail pane, highlighted. */
  readonly activeKey?: string | null;
  /** Click, double-click or Enter on a row. */
  readonly onOpen?: (row: T) => void;
  /** Space on a row (tables with tick boxes). */
  readonly onToggle?: (row: T) => void;
  /** The last rows are on screen: time to ask for the next page. */
  readonly onEndReached?: () => void;
  readonly rowClassName?: (row: T) => string | undefined;
  readonly empty?: ReactNode;
}

const ROW_HEIGHT = 28;
const PAGE_ROWS = 15;

function resolve<S>(updater: Updater<S>, current: S): S {
  return typeof updater === 'function' ? (updater as (old: S) => S)(current) : updater;
}

export function VirtualTable<T>(props: VirtualTableProps<T>) {
  const { rows, columns, rowKey, label, initialSort = [], sorting: sortingProp, onSortingChange, activeKey, onOpen, onToggle, onEndReached } = props;
  const [localSorting, setLocalSorting] = useState<SortingState>(initialSort);
  const serverSorted = sortingProp !== undefined;
  const sorting = sortingProp ?? localSorting;
  const table = useReactTable<T>({
    data: rows as T[],
    columns,
    state: { sorting },
    manualSorting: serverSorted,
    enableSortingRemoval: !serverSorted,
    onSortingChange: (u) => (serverSorted ? onSortingChange?.(resolve(u, sorting)) : setLocalSorting((s) => resolve(u, s))),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: rowKey,
  });
  const scrollRef = useRef<HTMLDivElement>(null);
  const model = table.getRowModel().rows;
  const { virtualizer, items, padTop, padBottom } = useVirtualRows(model.length, scrollRef, ROW_HEIGHT);

  // The row with the keyboard focus (roving focus: one row at a time is focusable).
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  // Set by the keyboard; the row is focused once it is rendered (after scrolling it may take a frame).
  const pendingFocus = useRef(false);
  useEffect(() => {
    if (!pendingFocus.current || focusIndex === null) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${focusIndex}"]`);
    if (row) {
      pendingFocus.current = false;
      row.focus();
    }
  });

  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (onEndReached && model.length > 0 && lastIndex >= model.length - 10) onEndReached();
  }, [onEndReached, lastIndex, model.length]);

  const moveTo = (index: number) => {
    const clamped = Math.max(0, Math.min(model.length - 1, index));
    setFocusIndex(clamped);
    pendingFocus.current = true;
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (model.length === 0) return;
    const target = e.target as HTMLElement;
    // Keys typed into a control inside a row (a tick box) belong to the control, except the arrows.
    const inControl = target.tagName === 'INPUT' || target.tagName === 'BUTTON' || target.tagName === 'SELECT';
    const current = focusIndex ?? -1;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(current + 1);
        break;
      case 'ArrowUp':
        moveTo(current <= 0 ? 0 : current - 1);
        break;
      case 'PageDown':
        moveTo(current + PAGE_ROWS);
        break;
      case 'PageUp':
        moveTo(current - PAGE_ROWS);
        break;
      case 'Home':
        if (inControl) return;
        moveTo(0);
        break;
      case 'End':
        if (inControl) return;
        moveTo(model.length - 1);
        break;
      case 'Enter': {
        const row = model[current];
        if (inControl || !row || !onOpen) return;
        onOpen(row.original);
        break;
      }
      case ' ': {
        const row = model[current];
        if (inControl || !row || !onToggle) return;
        onToggle(row.original);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div className="vtable" ref={scrollRef} role="region" aria-label={label} tabIndex={0} onKeyDown={onKeyDown}>
      <table aria-rowcount={model.length + 1} aria-label={label}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const content = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    style={{ width: header.getSize() }}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {header.column.getCanSort() ? (
                      <button type="button" className="th-button" onClick={header.column.getToggleSortingHandler()}>
                        {content}
                        <span aria-hidden="true" className="sort-mark">
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                        </span>
                      </button>
                    ) : (
                      <span className="th-label">{content}</span>
                    )}
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
            const classes = [row.id === activeKey ? 'active' : '', props.rowClassName?.(row.original) ?? ''].filter(Boolean).join(' ');
            return (
              <tr
                key={row.id}
                data-testid="row"
                data-index={item.index}
                aria-rowindex={item.index + 2}
                aria-current={row.id === activeKey ? 'true' : undefined}
                className={classes || undefined}
                style={{ height: ROW_HEIGHT }}
                tabIndex={item.index === focusIndex ? 0 : -1}
                onFocus={(e) => {
                  if (e.target === e.currentTarget) setFocusIndex(item.index);
                }}
                onClick={(e) => {
                  setFocusIndex(item.index);
                  const t = e.target as HTMLElement;
                  if (onOpen && !t.closest('input, button, a, select, label')) onOpen(row.original);
                }}
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
      {model.length === 0 && props.empty && <div className="vtable-empty">{props.empty}</div>}
    </div>
  );
}
