/**
 * hashes.csv entries for one written event. Two modes, because upstream and MISP disagree:
 *
 * - `pymisp` reproduces PyMISP byte for byte: md5 of every attribute value (object attributes included, top-level
 *   ones first), composite values split on every `|` with each part hashed, no normalisation, no skipping of
 *   deleted, non-correlating or correlation-disabled attributes, duplicates kept.
 * - `correlating` (our default) writes only what MISP itself would correlate on, as the feed spec's checklist
 *   recommends: the md5 of each correlation key of each live attribute (no port halves, no non-correlating types,
 *   nothing with correlation disabled), each once per event. Every line can then actually match on a consumer.
 *
 * shared/ has no crypto, so the caller passes `md5` (hex of the UTF-8 bytes).
 */
import { correlationKeys } from '../misp';
import type { Event } from '../model/event';
import { allAttributes } from '../model/walk';
import type { HashEntry } from './hashes-csv';

export type Md5 = (text: string) => string;
export type HashMode = 'correlating' | 'pymisp';

/** PyMISP's split: any type containing `|`, plus malware-sample (stored as filename|md5). */
export function pymispParts(type: string, value: string): string[] {
  return type.includes('|') || type === 'malware-sample' ? value.split('|') : [value];
}

export function eventHashes(event: Event, md5: Md5, mode: HashMode = 'correlating'): HashEntry[] {
  const eventUuid = event.uuid;
  const out: HashEntry[] = [];
  if (mode === 'pymisp') {
    for (const { attribute } of allAttributes(event)) {
      for (const part of pymispParts(attribute.type, attribute.value)) out.push({ md5: md5(part), eventUuid });
    }
    return out;
  }
  if (event.disableCorrelation === true) return out;
  const seen = new Set<string>();
  for (const { attribute } of allAttributes(event)) {
    if (attribute.deleted === true) continue;
    const keys = correlationKeys({
      type: attribute.type,
      value: attribute.value,
      disable_correlation: attribute.disableCorrelation,
    });
    for (const key of keys) {
      const hash = md5(key);
      if (seen.has(hash)) continue;
      seen.add(hash);
      out.push({ md5: hash, eventUuid });
    }
  }
  return out;
}
