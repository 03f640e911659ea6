/**
 * An event's attributes as the lines of MISP's attribute table: the event's own attributes first, then each object
 * as a header line followed by its attributes (with their relation names). A filter keeps matching lines, and an
 * object's header whenever one of its attributes matches.
 */
import type { AttributeView, EventView, ObjectView } from '../../app/types';

export type AttributeLine =
  | { readonly kind: 'attribute'; readonly attribute: AttributeView }
  | { readonly kind: 'object'; readonly object: ObjectView; readonly shown: number }
  | { readonly kind: 'object-attribute'; readonly attribute: AttributeView; readonly object: ObjectView };

function matches(a: AttributeView, needle: string): boolean {
  return (
    needle === '' ||
    a.value.toLowerCase().includes(needle) ||
    a.type.includes(needle) ||
    a.category.toLowerCase().includes(needle) ||
    a.comment.toLowerCase().includes(needle) ||
    (a.objectRelation ?? '').includes(needle) ||
    a.tags.some((t) => t.name.toLowerCase().includes(needle))
  );
}

export function attributeLines(event: EventView, filter: string): AttributeLine[] {
  const needle = filter.trim().toLowerCase();
  const lines: AttributeLine[] = [];
  for (const attribute of event.attributes) if (matches(attribute, needle)) lines.push({ kind: 'attribute', attribute });
  for (const object of event.objects) {
    const objectMatches = needle !== '' && (object.name.toLowerCase().includes(needle) || object.comment.toLowerCase().includes(needle));
    const attributes = object.attributes.filter((a) => objectMatches || matches(a, needle));
    if (attributes.length === 0 && !objectMatches && needle !== '') continue;
    lines.push({ kind: 'object', object, shown: attributes.length });
    for (const attribute of attributes) lines.push({ kind: 'object-attribute', attribute, object });
  }
  return lines;
}

/** What a reference points at, in words: another object by name, or an attribute by type and value. */
export function referenceTargets(event: EventView): Map<string, string> {
  const names = new Map<string, string>();
  for (const a of event.attributes) names.set(a.uuid, `${a.type} ${a.value}`);
  for (const o of event.objects) {
    names.set(o.uuid, `${o.name} object${o.comment ? ` (${o.comment})` : ''}`);
    for (const a of o.attributes) names.set(a.uuid, `${o.name}/${a.objectRelation ?? a.type} ${a.value}`);
  }
  return names;
}

export function countAttributes(event: EventView): number {
  return event.attributes.length + event.objects.reduce((n, o) => n + o.attributes.length, 0);
}
