/**
 * MISP's attribute table: category, type, value (monospace), comment, to_ids, distribution, tags; objects as grouped
 * rows headed by their name, with each attribute's relation and the object's references. Virtualised: feed events
 * with tens of thousands of attributes exist.
 */
import { useVirtualRows } from '../../components/use-virtual-rows';
import { useMemo, useRef } from 'react';
import type { AttributeView, EventView, ObjectView } from '../../app/types';
import { CopyButton } from '../../components/CopyButton';
import { TagChip } from '../../components/TagChip';
import { distributionShort, truncateMiddle } from '../../components/format';
import { attributeLines, referenceTargets, type AttributeLine } from './attribute-lines';

const ROW_HEIGHT = 26;
const COLUMNS = ['Category', 'Type', 'Value', 'Comment', 'IDS', 'Distribution', 'Tags'] as const;

function AttributeCells({ a, relation }: { a: AttributeView; relation: string | null }) {
  return (
    <>
      <td title={a.category}>{a.category}</td>
      <td title={relation ? `${relation} (${a.type})` : a.type}>
        {relation ? (
          <>
            <span className="relation">{relation}</span> <span className="muted">{a.type}</span>
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

function ObjectHeader({ o, shown, targets }: { o: ObjectView; shown: number; targets: ReadonlyMap<string, string> }) {
  const refs = o.references.filter((r) => !r.deleted);
  const refText = refs.map((r) => `${r.relationshipType} → ${targets.get(r.referencedUuid) ?? r.referencedUuid}`);
  return (
    <td colSpan={COLUMNS.length} title={[`${o.name} ${o.uuid}`, o.description, ...refText].filter(Boolean).join('\n')}>
      <span className="object-name">{o.name}</span>
      {o.metaCategory && o.metaCategory !== o.name && <span className="muted"> {o.metaCategory}</span>}
      {o.comment && <span> · {o.comment}</span>}
      <span className="muted">
        {' '}
        · {shown === o.attributes.length ? `${o.attributes.length} attributes` : `${shown} of ${o.attributes.length} attributes`}
      </span>
      {refs.length > 0 && (
        <span className="references">
          {' '}
          · references:{' '}
          {refs.map((r, i) => (
            <span key={r.uuid}>
              {i > 0 && ', '}
              <span className="relation">{r.relationshipType}</span> → {truncateMiddle(targets.get(r.referencedUuid) ?? r.referencedUuid, 60)}
            </span>
          ))}
        </span>
      )}
    </td>
  );
}

function Line({ line, targets }: { line: AttributeLine; targets: ReadonlyMap<string, string> }) {
  switch (line.kind) {
    case 'attribute':
      return <AttributeCells a={line.attribute} relation={null} />;
    case 'object':
      return <ObjectHeader o={line.object} shown={line.shown} targets={targets} />;
    case 'object-attribute':
      return <AttributeCells a={line.attribute} relation={line.attribute.objectRelation ?? line.attribute.type} />;
    default: {
      const exhaustive: never = line;
      return exhaustive;
    }
  }
}

function lineClass(line: AttributeLine): string {
  switch (line.kind) {
    case 'attribute':
      return line.attribute.deleted ? 'deleted' : '';
    case 'object':
      return `object-row${line.object.deleted ? ' deleted' : ''}`;
    case 'object-attribute':
      return `in-object${line.attribute.deleted ? ' deleted' : ''}`;
    default: {
      const exhaustive: never = line;
      return exhaustive;
    }
  }
}

function lineKey(line: AttributeLine): string {
  return line.kind === 'object' ? `o:${line.object.uuid}` : `a:${line.attribute.uuid}`;
}

export function AttributesTable({ event, filter }: { event: EventView; filter: string }) {
  const lines = useMemo(() => attributeLines(event, filter), [event, filter]);
  const targets = useMemo(() => referenceTargets(event), [event]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { items, padTop, padBottom } = useVirtualRows(lines.length, scrollRef, ROW_HEIGHT, 16);

  return (
    <div className="vtable attributes" ref={scrollRef} role="region" aria-label="Attributes" tabIndex={0}>
      <table aria-label="Attributes" aria-rowcount={lines.length + 1}>
        <colgroup>
          <col style={{ width: 108 }} />
          <col style={{ width: 96 }} />
          <col />
          <col style={{ width: 110 }} />
          <col style={{ width: 44 }} />
          <col style={{ width: 104 }} />
          <col style={{ width: 120 }} />
        </colgroup>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col">
                <span className="th-label">{c}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <tr style={{ height: padTop }} aria-hidden="true" />}
          {items.map((item) => {
            const line = lines[item.index]!;
            return (
              <tr key={lineKey(line)} data-testid="attribute-row" aria-rowindex={item.index + 2} className={lineClass(line) || undefined} style={{ height: ROW_HEIGHT }}>
                <Line line={line} targets={targets} />
              </tr>
            );
          })}
          {padBottom > 0 && <tr style={{ height: padBottom }} aria-hidden="true" />}
        </tbody>
      </table>
      {lines.length === 0 && <div className="vtable-empty">{filter.trim() ? 'No attribute matches the filter.' : 'This event has no attributes.'}</div>}
    </div>
  );
}
