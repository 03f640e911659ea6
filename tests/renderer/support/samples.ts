/** Small, readable engine answers for component tests. */
import type { AttributePage, EventRow, EventView, FeedPreview, FeedSummary, ImportReport, PreviewEvent } from '../../../renderer/src/app/types';
import type { ChannelInput } from '../../../shared/ipc/contract';
import { newFeedSettings } from '../../../shared/model/feed-settings';

export const uuidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function feed(id: number, name: string, over: { enabled?: boolean; events?: number; cached?: number; url?: string } = {}): FeedSummary {
  return {
    id,
    settings: { ...newFeedSettings({ name, provider: 'CIRCL', url: over.url ?? `/media/usb/${name}`, inputSource: 'local' }), enabled: over.enabled ?? true },
    status: {
      eventCount: over.events ?? 0,
      attributeCount: (over.events ?? 0) * 10,
      cachedValues: over.cached ?? 0,
      lastImportedAt: over.events ? 1_750_000_000 : null,
      lastCachedAt: over.cached ? 1_750_000_000 : null,
      lastSource: over.events || over.cached ? (over.url ?? `/media/usb/${name}`) : null,
      lastImportId: over.events || over.cached ? 1 : null,
      lastDigest: null,
      signer: null,
    },
  };
}

export function previewEvent(n: number): PreviewEvent {
  return {
    uuid: uuidOf(n),
    info: `Event number ${n}`,
    date: `2024-01-${String((n % 28) + 1).padStart(2, '0')}`,
    timestamp: 1_700_000_000 + n,
    orgName: n % 2 ? 'CIRCL' : 'ACME',
    tags: [{ name: n % 3 ? 'tlp:white' : 'tlp:amber', colour: '#ffffff' }],
    attributeCount: n,
  };
}

export function preview(count: number, path = '/media/usb/feed'): FeedPreview {
  return {
    source: { path, kind: 'folder', sizeBytes: 2048, feedRoot: '', hasHashesCsv: true, eventFileCount: count },
    events: Array.from({ length: count }, (_, i) => previewEvent(i)),
    issues: [{ severity: 'warning', code: 'feed.event-file-missing', path: 'x.json', message: 'announced but missing' }],
  };
}

export function eventRow(n: number, over: Partial<EventRow> = {}): EventRow {
  return {
    uuid: uuidOf(n),
    info: `Stored event ${n}`,
    date: '2024-03-01',
    timestamp: 1_700_000_000 + n,
    orgName: 'CIRCL',
    tags: [{ name: 'tlp:green', colour: '#33ff00' }],
    attributeCount: 3,
    objectCount: 1,
    distribution: 3,
    published: true,
    feedId: 7,
    feedName: 'circl-osint',
    locallyEdited: false,
    ...over,
  };
}

type AttributeRow = AttributePage['rows'][number];
type ObjectSummary = AttributePage['objects'][number];

export function attribute(id: number, uuid: string, type: string, value: string, over: Partial<AttributeRow> = {}): AttributeRow {
  return {
    id,
    uuid,
    type,
    category: 'Network activity',
    value,
    toIds: true,
    comment: '',
    timestamp: 1_700_000_000,
    distribution: 5,
    objectRelation: null,
    firstSeen: null,
    lastSeen: null,
    deleted: false,
    disableCorrelation: false,
    tags: [],
    objectUuid: null,
    ...over,
  };
}

export const FILE_OBJECT_UUID = '20000000-0000-4000-8000-000000000001';

export const fileObject: ObjectSummary = {
  uuid: FILE_OBJECT_UUID,
  name: 'file',
  metaCategory: 'file',
  description: 'File object',
  templateUuid: '688c46fb-5edb-40a3-8273-1af7923e2215',
  templateVersion: 8,
  comment: 'dropper',
  timestamp: 1_700_000_000,
  distribution: 5,
  deleted: false,
  attributeCount: 2,
  matching: 2,
  references: [
    {
      uuid: '40000000-0000-4000-8000-000000000001',
      referencedUuid: '10000000-0000-4000-8000-000000000001',
      relationshipType: 'communicates-with',
      comment: '',
      deleted: false,
      target: 'domain evil.example.com',
    },
  ],
  referenceCount: 1,
};

/** The sample event's attributes in its own order: two of its own, then the file object's two. */
export function sampleRows(): AttributeRow[] {
  return [
    attribute(1, '10000000-0000-4000-8000-000000000001', 'domain', 'evil.example.com', { comment: 'C2 server', tags: [{ name: 'kill-chain:c2', local: false }] }),
    attribute(2, '10000000-0000-4000-8000-000000000002', 'ip-dst', '198.51.100.7', { toIds: false, distribution: 0 }),
    attribute(3, '30000000-0000-4000-8000-000000000001', 'filename', 'invoice.doc', { category: 'Payload delivery', objectRelation: 'filename', objectUuid: FILE_OBJECT_UUID }),
    attribute(4, '30000000-0000-4000-8000-000000000002', 'sha256', 'a'.repeat(64), { category: 'Payload delivery', objectRelation: 'sha256', objectUuid: FILE_OBJECT_UUID }),
  ];
}

type PageRequest = Omit<ChannelInput<'events.attributes'>, 'uuid'>;
const SORT_KEY: Record<string, (a: AttributeRow) => string | number | boolean> = {
  id: (a) => a.id, type: (a) => a.type, category: (a) => a.category, value: (a) => a.value, timestamp: (a) => a.timestamp,
  toIds: (a) => (a.toIds ? 1 : 0), comment: (a) => a.comment,
};

/** What the engine would answer to events.attributes over these rows: filtered, sorted (ties by id), one page. */
export function pageOf(rows: readonly AttributeRow[], objects: readonly ObjectSummary[], request: PageRequest = {}): AttributePage {
  const f = request.filter ?? {};
  const text = f.text?.trim().toLowerCase() ?? '';
  const objectByUuid = new Map(objects.map((o) => [o.uuid, o]));
  const kept = rows.filter((a) => {
    if (f.includeDeleted === false && a.deleted) return false;
    if (f.objectUuid !== undefined && a.objectUuid !== f.objectUuid) return false;
    if (f.type !== undefined && a.type !== f.type) return false;
    if (!text) return true;
    const o = a.objectUuid ? objectByUuid.get(a.objectUuid) : undefined;
    return [a.value, a.type, a.category, a.comment, a.objectRelation ?? '', ...a.tags.map((t) => t.name), o?.name ?? '', o?.comment ?? ''].some((x) => x.toLowerCase().includes(text));
  });
  const key = SORT_KEY[request.sort ?? 'id']!;
  const sign = request.direction === 'desc' ? -1 : 1;
  kept.sort((x, y) => (key(x) === key(y) ? x.id - y.id : key(x) < key(y) ? -1 : 1) * sign);
  const offset = request.offset ?? 0;
  const page = kept.slice(offset, offset + (request.limit ?? 200));
  const inPage = new Set(page.flatMap((a) => (a.objectUuid ? [a.objectUuid] : [])));
  return {
    total: kept.length,
    offset,
    rows: page,
    objects: objects
      .filter((o) => inPage.has(o.uuid))
      .map((o) => ({ ...o, matching: kept.filter((a) => a.objectUuid === o.uuid).length })),
  };
}

export function eventView(n: number, rows: readonly AttributeRow[] = sampleRows(), objects: readonly ObjectSummary[] = [fileObject]): EventView {
  return {
    uuid: uuidOf(n),
    info: `Stored event ${n}`,
    date: '2024-03-01',
    timestamp: 1_700_000_000,
    publishTimestamp: 1_700_000_100,
    published: true,
    analysis: 2,
    threatLevelId: 1,
    distribution: 3,
    orgName: 'CIRCL',
    orgUuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f',
    feedId: 7,
    feedName: 'circl-osint',
    locallyEdited: false,
    tags: [{ name: 'tlp:green', colour: '#33ff00', local: false }],
    counts: { attributes: rows.length, deleted: rows.filter((a) => a.deleted).length, objects: objects.length, deletedObjects: 0 },
    page: pageOf(rows, objects),
    issues: [],
  };
}

/** `count` plain ip-dst attributes, to make paging visible. */
export function manyRows(count: number): AttributeRow[] {
  return Array.from({ length: count }, (_, i) => attribute(i + 1, `50000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, 'ip-dst', `10.0.${Math.floor(i / 250)}.${i % 250}`));
}

export function importReport(over: Partial<ImportReport> = {}): ImportReport {
  return {
    importId: 12,
    feedId: 3,
    feedName: 'feed',
    mode: 'fetch',
    source: '/media/usb/feed',
    status: 'done',
    startedAt: 1_750_000_000,
    finishedAt: 1_750_000_004,
    counts: { selected: 2, added: 1, updated: 0, unchanged: 0, filtered: 0, rejected: 1, conflicts: 0, attributes: 10, cachedValues: 0 },
    items: [
      {
        uuid: uuidOf(3),
        info: 'Event number 3',
        outcome: 'rejected',
        attributes: 0,
        issues: [{ severity: 'error', code: 'event.bad-json', path: `${uuidOf(3)}.json#/Event/Attribute/4/value`, message: 'value is not a valid ip-dst' }],
      },
    ],
    issues: [],
    cacheSource: null,
    verification: null,
    ...over,
  };
}
