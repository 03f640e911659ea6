/** The event as the UI shows it (IPC eventViewSchema), from the model: one mapping for previewed and stored events. */
import type { z } from 'zod';
import type { Issue } from '../../../shared/feed/issues';
import type { eventViewSchema } from '../../../shared/ipc/library-schemas';
import type { Attribute } from '../../../shared/model/attribute';
import type { Event } from '../../../shared/model/event';
import type { Tag } from '../../../shared/model/tag';

export type EventView = z.infer<typeof eventViewSchema>;

export interface EventMeta {
  readonly feedId: number | null;
  readonly feedName: string | null;
  readonly locallyEdited: boolean;
}

const tagView = (t: Tag) => ({ name: t.name, local: t.local, ...(t.colour !== undefined ? { colour: t.colour } : {}) });

function attributeView(a: Attribute) {
  return {
    uuid: a.uuid,
    type: a.type,
    category: a.category,
    value: a.value,
    toIds: a.toIds,
    comment: a.comment,
    timestamp: a.timestamp,
    distribution: a.distribution ?? null,
    objectRelation: a.objectRelation ?? null,
    firstSeen: a.firstSeen ?? null,
    lastSeen: a.lastSeen ?? null,
    deleted: a.deleted === true,
    disableCorrelation: a.disableCorrelation,
    tags: a.tags.map(tagView),
  };
}

export function eventToView(event: Event, meta: EventMeta, issues: readonly Issue[] = []): EventView {
  return {
    uuid: event.uuid,
    info: event.info,
    date: event.date,
    timestamp: event.timestamp,
    publishTimestamp: event.publishTimestamp,
    published: event.published,
    analysis: event.analysis,
    threatLevelId: event.threatLevelId,
    distribution: event.distribution ?? null,
    orgName: event.orgc?.name ?? null,
    orgUuid: event.orgc?.uuid ?? null,
    feedId: meta.feedId,
    feedName: meta.feedName,
    locallyEdited: meta.locallyEdited,
    tags: event.tags.map(tagView),
    attributes: event.attributes.map(attributeView),
    objects: event.objects.map((o) => ({
      uuid: o.uuid,
      name: o.name,
      metaCategory: o.metaCategory,
      description: o.description,
      templateUuid: o.templateUuid,
      templateVersion: o.templateVersion,
      comment: o.comment,
      timestamp: o.timestamp,
      distribution: o.distribution ?? null,
      deleted: o.deleted === true,
      attributes: o.attributes.map(attributeView),
      references: o.references.map((r) => ({
        uuid: r.uuid,
        referencedUuid: r.referencedUuid,
        relationshipType: r.relationshipType,
        comment: r.comment,
        deleted: r.deleted === true,
      })),
    })),
    issues: [...issues],
  };
}
