/** Small, readable engine answers for component tests. */
import type { EventRow, EventView, FeedPreview, FeedSummary, ImportReport, PreviewEvent } from '../../../renderer/src/app/types';
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

const attribute = (uuid: string, type: string, value: string, over: Partial<EventView['attributes'][number]> = {}) => ({
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
  ...over,
});

export function eventView(n: number): EventView {
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
    attributes: [
      attribute('10000000-0000-4000-8000-000000000001', 'domain', 'evil.example.com', { comment: 'C2 server', tags: [{ name: 'kill-chain:c2', local: false }] }),
      attribute('10000000-0000-4000-8000-000000000002', 'ip-dst', '198.51.100.7', { toIds: false, distribution: 0 }),
    ],
    objects: [
      {
        uuid: '20000000-0000-4000-8000-000000000001',
        name: 'file',
        metaCategory: 'file',
        description: 'File object',
        templateUuid: '688c46fb-5edb-40a3-8273-1af7923e2215',
        templateVersion: 8,
        comment: 'dropper',
        timestamp: 1_700_000_000,
        distribution: 5,
        deleted: false,
        attributes: [
          attribute('30000000-0000-4000-8000-000000000001', 'filename', 'invoice.doc', { category: 'Payload delivery', objectRelation: 'filename' }),
          attribute('30000000-0000-4000-8000-000000000002', 'sha256', 'a'.repeat(64), { category: 'Payload delivery', objectRelation: 'sha256' }),
        ],
        references: [
          { uuid: '40000000-0000-4000-8000-000000000001', referencedUuid: '10000000-0000-4000-8000-000000000001', relationshipType: 'communicates-with', comment: '', deleted: false },
        ],
      },
    ],
    issues: [],
  };
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
    ...over,
  };
}
