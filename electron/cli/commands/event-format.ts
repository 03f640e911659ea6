import type { ChannelOutput } from '../../../shared/ipc/contract';
import { formatTable } from '../table';

type EventView = ChannelOutput<'events.get'>;

/** An event for the terminal, in MISP's event-view order: header, tags, attributes, then objects. */
export function formatEvent(e: EventView): string {
  const lines = [
    `${e.info}`,
    `uuid ${e.uuid}  date ${e.date}  org ${e.orgName ?? '-'}  published ${e.published ? 'yes' : 'no'}  timestamp ${e.timestamp}`,
    e.feedName ? `feed ${e.feedName}${e.locallyEdited ? '  (edited locally)' : ''}` : e.locallyEdited ? 'local event (edited)' : '',
    e.tags.length > 0 ? `tags ${e.tags.map((t) => t.name).join(', ')}` : '',
  ].filter((l) => l !== '');
  const attrs = e.attributes.map((a) => [a.category, a.type, a.toIds ? 'ids' : '', a.deleted ? 'deleted' : '', a.value]);
  let out = lines.join('\n') + `\n\n${e.attributes.length} attributes\n` + formatTable(['category', 'type', 'to_ids', '', 'value'], attrs);
  for (const o of e.objects) {
    out += `\nobject ${o.name} (${o.metaCategory}) ${o.uuid}${o.deleted ? ' deleted' : ''}\n`;
    out += formatTable(['relation', 'type', 'value'], o.attributes.map((a) => [a.objectRelation ?? '', a.type, a.value]));
    for (const r of o.references) out += `  → ${r.relationshipType} ${r.referencedUuid}\n`;
  }
  if (e.issues.length > 0) out += '\n' + e.issues.map((i) => `${i.severity}: ${i.path}: ${i.message}`).join('\n') + '\n';
  return out;
}
