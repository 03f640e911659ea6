/**
 * MISP's attribute table: object, date, category, type, value (monospace), comment, to_ids, distribution, tags.
 * Virtualised over the engine's pages (attribute-pages.ts): only the rows on screen are in the DOM, and only their
 * pages are fetched, so an event of 345,819 attributes scrolls like one of ten. One line per attribute: an object's
 * attributes carry its name (on the first of a run in the event's order), their relation in the type column, and
 * the object's name opens it (its attributes only, with its references) through `onObject`.
 *
 * Column headers sort on the engine: first click ascending, second descending, third back to the event's order.
 */
import { useEffect, useRef } from 'react';
import type { AttributeView, ObjectView } from '../../app/types';
import { CopyButton } from '../../components/CopyButton';
import { TagChip } from '../../components/TagChip';
import { distributionShort } from '../../components/format';
import { useVirtualRows } from '../../components/use-virtual-rows';
import type { AttributePages, AttributeQuery } from './attribute-pages';
import { objectCount, objectMark, objectTitle, type ObjectMark } from './attribute-lines';

const ROW_HEIGHT = 26;

type Sortable = NonNullable<AttributeQuery['sort']>;
const COLUMNS: readonly { readonly label: string; readonly sort?: Sortable; readonly width?: number }[] = [
  { label: 'Object', width: 120 },
  { label: 'Date', sort: 'timestamp', width: 92 },
  { label: 'Category', sort: 'category', width: 108 },
  { label: 'Type', sort: 'type', width: 96 },
  { label: 'Value', sort: 'value' },
  { label: 'Comment', sort: 'comment', width: 110 },
  { label: 'IDS', sort: 'toIds', width: 48 },
  { label: 'Distribution', width: 96 },
  { label: 'Tags', width: 120 },
];

const day = (seconds: number) => (seconds > 0 ? new Date(seconds * 1000).toISOString().slice(0, 10) : '');

function ObjectCell({ mark, object, onObject }: { mark: ObjectMark; object: ObjectView | undefined; onObject: (uuid: string) => void }) {
  if (mark.kind === 'none') return <td />;
  const title = object ? objectTitle(object) : mark.uuid;
  if (mark.kind === 'continued') return <td className="object-cell muted" title={title} />;
  return (
    <td className="object-cell" title={title}>
      <button type="button" className="link object-name" onClick={() => onObject(mark.uuid)} aria-label={`Open object ${object?.name ?? mark.uuid}`}>
        {object?.name ?? 'object'}
      </button>{' '}
      {object && <span className="muted">{object.comment || objectCount(object)}</span>}
    </td>
  );
}

function AttributeCells({ a }: { a: AttributeView }) {
  const relation = a.objectUuid !== null ? (a.objectRelation ?? a.type) : null;
  return (
    <>
      <td title={String(a.timestamp)}>{day(a.timestamp)}</td>
      <td title={a.category}>{a.category}</td>
      <td title={relation ? `${relation} (${a.type})` : a.type}>
        {relation ? (
          <>
            <span className="relation">{relation}</span>
            {relation !== a.type && <span className="muted"> {a.type}</span>}
          </>
        ) : (
          a.type
        )}
      </td>
      <td className="value" title={a.value}>
        <span className="mono">{a.value}</span>
        <CopyButton value={a.value} label="Copy value" />
      </td>
      <td title={a.comment}>{a.comment}</td>
      <td className="center">{a.toIds ? <span aria-label="to_ids set">✓</span> : <span className="muted" aria-label="to_ids not set">–</span>}</td>
      <td>{distributionShort(a.distribution)}</td>
      <td>
        <span className="tags">
          {a.tags.map((t) => (
            <TagChip key={t.name} name={t.name} colour={t.colour} />
          ))}
        </span>
      </td>
    </>
  );
}

function rowClass(a: AttributeView, mark: ObjectMark): string | undefined {
  const classes = [mark.kind !== 'none' ? 'in-object' : '', mark.kind === 'start' ? 'object-start' : '', a.deleted ? 'deleted' : ''].filter(Boolean);
  return classes.length > 0 ? classes.join(' ') : undefined;
}

export function AttributesTable({ pages, query, onSort, onObject, withObjects }: {
  pages: AttributePages;
  /** The event has objects: show the object column. */
  withObjects: boolean;
  query: AttributeQuery;
  /** A header was clicked: the order wanted (null: the event's own). */
  onSort: (sort: Sortable | null, direction: 'asc' | 'desc') => void;
  onObject: (uuid: string) => void;
}) {
  const count = pages.total ?? 0;
  const columns = withObjects ? COLUMNS : COLUMNS.slice(1);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { items, padTop, padBottom } = useVirtualRows(count, scrollRef, ROW_HEIGHT, 16);
  const firstShown = items[0]?.index ?? 0;
  const lastShown = items.at(-1)?.index ?? -1;
  const { ensure } = pages;
  useEffect(() => {
    if (lastShown >= 0) ensure(firstShown, lastShown);
  }, [ensure, firstShown, lastShown]);

  const clickHeader = (sort: Sortable) => {
    if (query.sort !== sort) onSort(sort, 'asc');
    else if (query.direction === 'asc') onSort(sort, 'desc');
    else onSort(null, 'asc');
  };

  return (
    <div className="vtable attributes" ref={scrollRef} role="region" aria-label="Attributes" tabIndex={0} aria-busy={pages.total === null}>
      <table aria-label="Attributes" aria-rowcount={count + 1}>
        <colgroup>
          {columns.map((c) => (
            <col key={c.label} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c) => {
              const sorted = c.sort !== undefined && query.sort === c.sort ? query.direction : null;
              return (
                <th key={c.label} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                  {c.sort ? (
                    <button type="button" className="th-button" onClick={() => clickHeader(c.sort!)}>
                      {c.label}
                      <span aria-hidden="true" className="sort-mark">
                        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                      </span>
                    </button>
                  ) : (
                    <span className="th-label">{c.label}</span>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <tr style={{ height: padTop }} aria-hidden="true" />}
          {items.map((item) => {
            const a = pages.row(item.index);
            if (!a) {
              return (
                <tr key={`pending:${item.index}`} data-testid="attribute-row-pending" aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                  <td colSpan={columns.length} className="muted">
                    …
                  </td>
                </tr>
              );
            }
            const mark = objectMark(a, item.index > 0 ? pages.row(item.index - 1) : undefined);
            return (
              <tr key={a.uuid} data-testid="attribute-row" aria-rowindex={item.index + 2} className={rowClass(a, mark)} style={{ height: ROW_HEIGHT }}>
                {withObjects && <ObjectCell mark={mark} object={mark.kind === 'none' ? undefined : pages.object(mark.uuid)} onObject={onObject} />}
                <AttributeCells a={a} />
              </tr>
            );
          })}
          {padBottom > 0 && <tr style={{ height: padBottom }} aria-hidden="true" />}
        </tbody>
      </table>
      {pages.total === null && !pages.error && <div className="vtable-empty">Reading the attributes…</div>}
      {pages.total === 0 && (
        <div className="vtable-empty">{query.text.trim() || !query.includeDeleted || query.objectUuid ? 'No attribute matches the filter.' : 'This event has no attributes.'}</div>
      )}
      {pages.error && (
        <p role="alert" className="error-box">
          {pages.error.message}
        </p>
      )}
    </div>
  );
}
