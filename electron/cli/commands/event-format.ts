/**
 * `ferry event show` and `ferry preview --event`: an event streamed to stdout page by page, so an event of 345,819
 * attributes is written in constant memory, with the header on screen at once.
 *
 * Human form, in MISP's event-view order: header, tags, counts, then the attributes in the event's order, each
 * object introduced by a line of its own (name, meta-category, attribute count, references) before its attributes.
 *
 * `--json`: one JSON document, written as it is read:
 *   { …the header fields of events.get (uuid, info, date, …, tags, issues), "counts": {…},
 *     "attributes": [every attribute, in the event's order, as events.attributes rows: with "objectUuid" (null for
 *                    the event's own) and "objectRelation"],
 *     "objects": [every object, as the pages' object summaries: no attribute list, "attributeCount", references] }
 * If reading fails half-way, the document is still closed properly and carries an "error" member {code, message},
 * and the exit code says so.
 */
import { once } from 'node:events';
import type { ChannelOutput } from '../../../shared/ipc/contract';
import type { Envelope, IpcError } from '../../../shared/ipc/envelope';
import { MAX_PAGE_ROWS } from '../../../shared/ipc/library-schemas';
import { exitCodeFor } from '../exit-codes';
import { EXIT, type Output } from '../output';

type EventPage = ChannelOutput<'events.get'>;
type AttributePage = ChannelOutput<'events.attributes'>;
type Row = AttributePage['rows'][number];
type ObjectSummary = AttributePage['objects'][number];

/** Where the pages come from: a stored event (events.get / events.attributes) or a previewed one. */
export interface EventPager {
  first(): Promise<Envelope<EventPage>>;
  /** The rows after the row with id `after`, in the event's order; `limit` rows at most. */
  after(after: number, limit: number): Promise<Envelope<AttributePage>>;
}

/** Buffered writes that wait for the stream to drain, so a slow reader of stdout never makes us hold the event. */
function bufferedWriter(out: NodeJS.WritableStream) {
  let buffer = '';
  const flush = async () => {
    if (buffer === '') return;
    const text = buffer;
    buffer = '';
    if (!out.write(text)) await once(out, 'drain');
  };
  return {
    async write(text: string) {
      buffer += text;
      if (buffer.length >= 1 << 16) await flush();
    },
    flush,
  };
}

const COLUMNS = { category: 20, type: 24, ids: 3, deleted: 7 } as const;

function cell(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);
}

function attributeLine(a: Row): string {
  const type = a.objectUuid !== null ? `  ${a.objectRelation ?? a.type} (${a.type})` : a.type;
  return [cell(a.category, COLUMNS.category), cell(type, COLUMNS.type), cell(a.toIds ? 'ids' : '', COLUMNS.ids), cell(a.deleted ? 'deleted' : '', COLUMNS.deleted), a.value]
    .join('  ')
    .trimEnd();
}

function objectLine(o: ObjectSummary | undefined, uuid: string): string {
  if (!o) return `object ${uuid}\n`;
  let line = `object ${o.name}${o.metaCategory && o.metaCategory !== o.name ? ` (${o.metaCategory})` : ''} ${o.uuid}${o.deleted ? ' deleted' : ''}`;
  line += ` · ${o.attributeCount} attribute${o.attributeCount === 1 ? '' : 's'}${o.comment ? ` · ${o.comment}` : ''}\n`;
  for (const r of o.references) line += `  → ${r.relationshipType} ${r.target ?? r.referencedUuid}${r.deleted ? ' (deleted)' : ''}\n`;
  if (o.referenceCount > o.references.length) line += `  → … ${o.referenceCount - o.references.length} more references\n`;
  return line;
}

function headerText(e: EventPage): string {
  const lines = [
    `${e.info}`,
    `uuid ${e.uuid}  date ${e.date}  org ${e.orgName ?? '-'}  published ${e.published ? 'yes' : 'no'}  timestamp ${e.timestamp}`,
    e.feedName ? `feed ${e.feedName}${e.locallyEdited ? '  (edited locally)' : ''}` : e.locallyEdited ? 'local event (edited)' : '',
    e.tags.length > 0 ? `tags ${e.tags.map((t) => t.name).join(', ')}` : '',
  ].filter((l) => l !== '');
  const c = e.counts;
  const counts =
    `${c.attributes} attributes${c.deleted ? ` (${c.deleted} deleted)` : ''}` + (c.objects ? `, ${c.objects} objects${c.deletedObjects ? ` (${c.deletedObjects} deleted)` : ''}` : '');
  const head = [cell('category', COLUMNS.category), cell('type', COLUMNS.type), cell('ids', COLUMNS.ids), cell('', COLUMNS.deleted), 'value'].join('  ');
  return `${lines.join('\n')}\n\n${counts}\n${head}\n`;
}

/**
 * Write the event to `out` page by page; returns the exit code. `problems` decides, from the header, whether the
 * command found problems (a previewed event with errors).
 */
export async function streamEvent(output: Output, pager: EventPager, out: NodeJS.WritableStream, problems: (e: EventPage) => boolean = () => false): Promise<number> {
  const opened = await pager.first();
  if (!opened.ok) return output.error(opened.error);
  const event = opened.value;
  const w = bufferedWriter(out);
  const { page: firstPage, ...header } = event;
  const objects = new Map<string, ObjectSummary>();
  let lastObject: string | null = null;
  let rowsWritten = 0;

  if (output.json) await w.write(JSON.stringify(header).slice(0, -1) + ',"attributes":[');
  else await w.write(headerText(event));

  const writePage = async (page: AttributePage) => {
    for (const o of page.objects) if (!objects.has(o.uuid)) objects.set(o.uuid, o);
    for (const row of page.rows) {
      if (output.json) await w.write((rowsWritten > 0 ? ',' : '') + JSON.stringify(row));
      else {
        if (row.objectUuid !== null && row.objectUuid !== lastObject) await w.write(objectLine(objects.get(row.objectUuid), row.objectUuid));
        await w.write(attributeLine(row) + '\n');
      }
      lastObject = row.objectUuid;
      rowsWritten++;
    }
    // Human output needs an object only while its attributes are being written.
    if (!output.json) for (const uuid of [...objects.keys()]) if (uuid !== lastObject) objects.delete(uuid);
  };

  let failed: IpcError | null = null;
  await writePage(firstPage);
  let last = firstPage.rows.at(-1)?.id;
  // The first page may be shorter than a full one; keep asking until a page comes back short.
  let more = last !== undefined && rowsWritten < firstPage.total;
  while (more && last !== undefined) {
    const next = await pager.after(last, MAX_PAGE_ROWS);
    if (!next.ok) {
      failed = next.error;
      break;
    }
    await writePage(next.value);
    last = next.value.rows.at(-1)?.id ?? last;
    more = next.value.rows.length === MAX_PAGE_ROWS;
  }

  if (output.json) {
    let tail = '],"objects":[';
    let first = true;
    for (const o of objects.values()) {
      tail += (first ? '' : ',') + JSON.stringify(o);
      first = false;
      if (tail.length >= 1 << 16) {
        await w.write(tail);
        tail = '';
      }
    }
    await w.write(tail + ']' + (failed ? `,"error":${JSON.stringify({ code: failed.code, message: failed.message })}` : '') + '}\n');
  } else if (event.issues.length > 0) {
    await w.write('\n' + event.issues.map((i) => `${i.severity}: ${i.path}: ${i.message}`).join('\n') + '\n');
  }
  await w.flush();
  if (failed) {
    output.note(`ferry: stopped after ${rowsWritten} attributes: ${failed.message}`);
    return exitCodeFor(failed.code);
  }
  return problems(event) ? EXIT.problems : EXIT.ok;
}
