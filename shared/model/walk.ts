import type { Attribute } from './attribute';
import type { Event } from './event';
import type { MispObject } from './object';

export interface AttributeSite {
  readonly attribute: Attribute;
  /** The object holding it, absent for top-level attributes. */
  readonly object?: MispObject;
}

/**
 * Every attribute of an event: top-level ones in order, then each object's in object order. This is the order
 * PyMISP writes hashes.csv in, so exports built on it line up with upstream output.
 */
export function allAttributes(event: Event): AttributeSite[] {
  const sites: AttributeSite[] = event.attributes.map((attribute) => ({ attribute }));
  for (const object of event.objects) {
    for (const attribute of object.attributes) sites.push({ attribute, object });
  }
  return sites;
}

export function countAttributes(event: Event): number {
  return event.objects.reduce((n, o) => n + o.attributes.length, event.attributes.length);
}

/** Uuids an object reference may point at: every attribute and object of the event. */
export function referenceTargets(event: Event): Set<string> {
  const targets = new Set<string>();
  for (const { attribute } of allAttributes(event)) targets.add(attribute.uuid);
  for (const object of event.objects) targets.add(object.uuid);
  return targets;
}

/** MISP refuses to store a published event that has nothing in it. */
export function isEmptyEvent(event: Event): boolean {
  return event.attributes.length === 0 && event.objects.length === 0 && event.reports.length === 0;
}
