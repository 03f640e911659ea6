/**
 * How a row of the paged attribute table shows the object it belongs to. Rows are attributes, one line each (so
 * row N is the N-th attribute of the order, whatever page it is on); in the event's own order an object's
 * attributes are consecutive, and the first of a run carries the object's name. In a sorted or filtered order the
 * attributes of one object may be apart: each still names its object.
 */
import type { AttributeView, ObjectView } from '../../app/types';

export type ObjectMark =
  /** The event's own attribute. */
  | { readonly kind: 'none' }
  /** The first row of a run of one object's attributes. */
  | { readonly kind: 'start'; readonly uuid: string }
  /** A further row of the same run. */
  | { readonly kind: 'continued'; readonly uuid: string };

export function objectMark(row: AttributeView, previous: AttributeView | undefined): ObjectMark {
  if (row.objectUuid === null) return { kind: 'none' };
  return previous?.objectUuid === row.objectUuid ? { kind: 'continued', uuid: row.objectUuid } : { kind: 'start', uuid: row.objectUuid };
}

/** "2 attributes", or "1 of 2 attributes" when a filter keeps only some. */
export function objectCount(o: ObjectView): string {
  const all = `${o.attributeCount} attribute${o.attributeCount === 1 ? '' : 's'}`;
  return o.matching === o.attributeCount ? all : `${o.matching} of ${all}`;
}

/** "communicates-with → domain evil.example.com" for each live reference. */
export function referenceTexts(o: ObjectView): string[] {
  const texts = o.references.filter((r) => !r.deleted).map((r) => `${r.relationshipType} → ${r.target ?? r.referencedUuid}`);
  if (o.referenceCount > o.references.length) texts.push(`… ${o.referenceCount - o.references.length} more`);
  return texts;
}

/** Everything about an object, for a tooltip. */
export function objectTitle(o: ObjectView): string {
  return [`${o.name}${o.metaCategory && o.metaCategory !== o.name ? ` (${o.metaCategory})` : ''} ${o.uuid}`, o.description, o.comment, objectCount(o), ...referenceTexts(o)]
    .filter(Boolean)
    .join('\n');
}
