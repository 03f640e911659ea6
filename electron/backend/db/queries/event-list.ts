/** A page of events for the events list: sorted and searched in SQL, so the UI never loads the whole library. */
import type { z } from 'zod';
import type { eventListRequestSchema, eventListSchema } from '../../../../shared/ipc/library-schemas';
import type { ReadHandle } from '../handles';

type Request = z.output<typeof eventListRequestSchema>;
type EventList = z.infer<typeof eventListSchema>;

// Whitelisted ORDER BY clauses: the sort key comes from the UI, so it never reaches SQL as text.
const ORDER: Record<Request['sort'], string> = {
  date: 'e.date %DIR, e.timestamp %DIR, e.id %DIR',
  timestamp: 'e.timestamp %DIR, e.id %DIR',
  info: 'e.info COLLATE NOCASE %DIR, e.id %DIR',
  org: 'e.orgc_name COLLATE NOCASE %DIR, e.id %DIR',
  attributes: 'e.attribute_count %DIR, e.id %DIR',
};

function likeTerm(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function listEvents(db: ReadHandle, request: Request): EventList {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (request.feedId !== undefined) {
    where.push('e.feed_id = @feedId');
    params['feedId'] = request.feedId;
  }
  if (request.org !== undefined) {
    where.push('e.orgc_name = @org COLLATE NOCASE');
    params['org'] = request.org;
  }
  if (request.tag !== undefined) {
    where.push('EXISTS (SELECT 1 FROM event_tag x JOIN tag t ON t.id = x.tag_id WHERE x.event_id = e.id AND t.name = @tag COLLATE NOCASE)');
    params['tag'] = request.tag;
  }
  if (request.dateFrom !== undefined) {
    where.push('e.date >= @dateFrom');
    params['dateFrom'] = request.dateFrom;
  }
  if (request.dateTo !== undefined) {
    where.push('e.date <= @dateTo');
    params['dateTo'] = request.dateTo;
  }
  const search = request.search?.trim();
  if (search) {
    // MISP's index search: uuid exactly, or info / org / a tag name as a case-insensitive substring.
    where.push(`(e.uuid = @exact OR e.info LIKE @like ESCAPE '\\' OR e.orgc_name LIKE @like ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM event_tag x JOIN tag t ON t.id = x.tag_id WHERE x.event_id = e.id AND t.name LIKE @like ESCAPE '\\'))`);
    params['exact'] = search.toLowerCase();
    params['like'] = likeTerm(search);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.prepare(`SELECT count(*) FROM event e ${clause}`).pluck().get(params) as number;
  const order = ORDER[request.sort].replaceAll('%DIR', request.direction === 'asc' ? 'ASC' : 'DESC');
  const rows = db
    .prepare(
      `SELECT e.id, e.uuid, e.info, e.date, e.timestamp, e.orgc_name, e.attribute_count, e.object_count, e.distribution,
              e.published, e.feed_id, json_extract(f.config, '$.name') AS feed_name, e.locally_edited,
              (SELECT json_group_array(json_object('name', t.name, 'colour', t.colour))
                 FROM event_tag x JOIN tag t ON t.id = x.tag_id WHERE x.event_id = e.id) AS tags
       FROM event e LEFT JOIN feed f ON f.id = e.feed_id ${clause}
       ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: request.limit, offset: request.offset }) as {
    uuid: string; info: string; date: string; timestamp: number; orgc_name: string | null; attribute_count: number;
    object_count: number; distribution: number | null; published: number; feed_id: number | null; feed_name: string | null;
    locally_edited: number; tags: string;
  }[];
  return {
    total,
    rows: rows.map((r) => ({
      uuid: r.uuid,
      info: r.info,
      date: r.date,
      timestamp: r.timestamp,
      orgName: r.orgc_name,
      tags: (JSON.parse(r.tags) as { name: string; colour: string | null }[]).map((t) => ({ name: t.name, ...(t.colour ? { colour: t.colour } : {}) })),
      attributeCount: r.attribute_count,
      objectCount: r.object_count,
      distribution: r.distribution,
      published: r.published === 1,
      feedId: r.feed_id,
      feedName: r.feed_name,
      locallyEdited: r.locally_edited === 1,
    })),
  };
}
