/**
 * Where does a value occur? Stored attributes through the correlation index, and cached feeds through their md5
 * sets. A typed-in value has no type, so it is tried in the forms correlation keys take (as typed, lower-cased,
 * and as each type family would normalise it), and md5 is taken of each, as MISP's cache search does after
 * lower-casing and trimming.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { correlationKeys } from '../../../../shared/misp/correlation';
import type { valueSearchSchema } from '../../../../shared/ipc/library-schemas';
import type { ReadHandle } from '../handles';
import { keyMatch } from './correlation-key';

type ValueSearch = z.infer<typeof valueSearchSchema>;

/** Types whose normalisation differs (addresses, names, hashes, urls); their keys cover the common spellings. */
const PROBE_TYPES = ['ip-dst', 'domain', 'url', 'md5', 'email', 'text'];
const MAX_HITS = 1000;

export function searchKeys(value: string): string[] {
  const trimmed = value.trim();
  const keys = new Set<string>([trimmed, trimmed.toLowerCase()]);
  for (const type of PROBE_TYPES) for (const k of correlationKeys({ type, value: trimmed })) keys.add(k);
  keys.delete('');
  return [...keys];
}

export function searchValue(db: ReadHandle, value: string): ValueSearch {
  const keys = searchKeys(value);
  const match = keyMatch('k', keys);
  const attributes = db
    .prepare(
      `SELECT DISTINCT e.uuid AS eventUuid, e.info AS eventInfo, a.uuid AS attributeUuid, a.type, a.value,
              json_extract(f.config, '$.name') AS feedName
       FROM attribute a JOIN event e ON e.id = a.event_id LEFT JOIN feed f ON f.id = e.feed_id
       WHERE a.id IN (SELECT k.attribute_id FROM correlation_key k WHERE ${match.sql})
       LIMIT ${MAX_HITS}`,
    )
    .all(...match.params) as ValueSearch['attributes'];
  const digests = keys.map((k) => createHash('md5').update(k, 'utf8').digest());
  const cacheHits = db
    .prepare(
      // Only live cache sets: a set being built beside a feed's cache, or retired and waiting for its rows to be
      // deleted, is never seen (see db/migrations/003-cache-sets.ts).
      `SELECT DISTINCT s.feed_id AS feedId, json_extract(f.config, '$.name') AS feedName, ce.uuid AS eventUuid
       FROM feed_cache c
       JOIN cache_set s ON s.id = c.set_id AND s.state = 'live'
       JOIN feed f ON f.id = s.feed_id
       LEFT JOIN feed_cache_event ce ON ce.set_id = c.set_id AND ce.ref = c.event_ref
       WHERE c.md5 IN (${digests.map(() => '?').join(', ')}) LIMIT ${MAX_HITS}`,
    )
    .all(...digests) as ValueSearch['cacheHits'];
  return { value, keys, attributes, cacheHits };
}
