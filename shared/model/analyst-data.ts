/**
 * MISP 2.5's analyst data — notes, opinions and relationships that analysts hang on an event or on any of its
 * items — and the event's cryptographic keys. Ferry does not edit either; it keeps them as the source wrote them
 * (less the sender's local row ids) so that an event passed on through Ferry arrives with them.
 */

export const ANALYST_DATA_KINDS = ['Note', 'Opinion', 'Relationship'] as const;
export type AnalystDataKind = (typeof ANALYST_DATA_KINDS)[number];

/** A JSON object as parsed; the values are whatever JSON holds. */
export type JsonRecord = { readonly [key: string]: unknown };

export interface AnalystData {
  readonly kind: AnalystDataKind;
  readonly uuid: string;
  /** The record's fields as written, its own nested notes, opinions and relationships included. */
  readonly body: JsonRecord;
}

/** What an item with analyst data carries: events, attributes, objects and event reports. */
export interface WithAnalystData {
  /** Absent when the source had none. */
  readonly analystData?: readonly AnalystData[];
}

/** Where a stored record hangs: the holder's kind as MISP names it, and its uuid. */
export type AnalystDataHolder = 'Event' | 'Attribute' | 'Object' | 'EventReport';
