/**
 * Which stored events an export takes. The event-level rules are the format core's filter (the same semantics as
 * a feed's rules on import: MISP's tag and org expressions); origin, local-only and an explicit selection are
 * Ferry's own. Only the event rows and their tag names are read here: nothing of an event is loaded before it is
 * chosen.
 */
import type { z } from 'zod';
import { compileEventFilter, parseEventFilter, type EventFilterInput, type FilterSubject } from '../../../../shared/feed/filters';
import { hasErrors, type Issue } from '../../../../shared/feed/issues';
import type { exportFilterSchema } from '../../../../shared/ipc/export-schemas';
import type { ReadHandle } from '../handles';
import { failure, success, type Result } from '../../result';

export type ExportFilter = z.output<typeof exportFilterSchema>;

export interface SelectedEvent {
  readonly id: number;
  readonly uuid: string;
  readonly info: string;
  /** Last change, Unix seconds: an incremental export keeps the earlier file when this has not moved. */
  readonly timestamp: number;
  readonly attributeCount: number;
}

interface Row {
  id: number; uuid: string; info: string; date: string; timestamp: number; publish_timestamp: number; published: number;
  distribution: number | null; orgc_name: string | null; orgc_uuid: string | null; feed_id: number | null;
  locally_edited: number; attribute_count: number;
}

/** The filter's MISP part as the format core parses it; its problems are errors naming the field. */
function compile(filter: ExportFilter, now: number): Result<ReturnType<typeof compileEventFilter>> {
  const input: EventFilterInput = {
    ...(filter.tags ? { tags: filter.tags } : {}),
    ...(filter.orgs ? { orgs: filter.orgs } : {}),
    ...(filter.published !== undefined ? { published: filter.published } : {}),
    ...(filter.dateFrom ? { dateFrom: filter.dateFrom } : {}),
    ...(filter.dateUntil ? { dateUntil: filter.dateUntil } : {}),
    ...(filter.changedFrom || filter.changedUntil
      ? { timestamp: [filter.changedFrom ?? '0', filter.changedUntil ?? String(Number.MAX_SAFE_INTEGER)] as [string, string] }
      : {}),
  };
  const parsed = parseEventFilter(input, 'filter');
  if (hasErrors(parsed.issues)) {
    const first = parsed.issues.find((i: Issue) => i.severity === 'error')!;
    return failure('invalid-input', `${first.path}: ${first.message}`, parsed.issues);
  }
  return success(compileEventFilter(parsed.value, { now }));
}

/** The chosen events in a stable order (event date, then id), on the caller's snapshot. */
export function selectEvents(db: ReadHandle, filter: ExportFilter, now = Math.floor(Date.now() / 1000)): Result<SelectedEvent[]> {
  const compiled = compile(filter, now);
  if (!compiled.ok) return compiled;
  const rule = compiled.value;
  const tags = new Map<number, string[]>();
  if (!rule.isEmpty) {
    const rows = db.prepare<[], { event_id: number; name: string }>('SELECT x.event_id, t.name FROM event_tag x JOIN tag t ON t.id = x.tag_id').all();
    for (const r of rows) {
      const list = tags.get(r.event_id);
      if (list) list.push(r.name);
      else tags.set(r.event_id, [r.name]);
    }
  }
  const origins = filter.origins ? new Set(filter.origins) : null;
  const wanted = filter.events ? new Set(filter.events.map((u) => u.toLowerCase())) : null;
  const rows = db
    .prepare<[], Row>(
      `SELECT id, uuid, info, date, timestamp, publish_timestamp, published, distribution, orgc_name, orgc_uuid, feed_id,
              locally_edited, attribute_count
       FROM event ORDER BY date, id`,
    )
    .all();
  const out: SelectedEvent[] = [];
  for (const r of rows) {
    if (wanted && !wanted.has(r.uuid)) continue;
    if (origins && !origins.has(r.feed_id ?? 'local')) continue;
    if (filter.localOnly && r.feed_id !== null && r.locally_edited !== 1) continue;
    if (!rule.isEmpty) {
      const subject: FilterSubject = {
        tags: tags.get(r.id) ?? [],
        published: r.published === 1,
        date: r.date,
        timestamp: r.timestamp,
        publishTimestamp: r.publish_timestamp,
        ...(r.orgc_name !== null ? { orgName: r.orgc_name } : {}),
        ...(r.orgc_uuid !== null ? { orgUuid: r.orgc_uuid } : {}),
        ...(r.distribution !== null ? { distribution: r.distribution } : {}),
      };
      if (!rule.matches(subject)) continue;
    }
    out.push({ id: r.id, uuid: r.uuid, info: r.info, timestamp: r.timestamp, attributeCount: r.attribute_count });
  }
  return success(out);
}
