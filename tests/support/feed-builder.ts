/** Small MISP feeds written by hand for tests: event JSON in the feed shape, the manifest, no hashes.csv. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestAttribute {
  uuid: string;
  type?: string;
  category?: string;
  value: string;
  timestamp?: number;
  deleted?: boolean;
}

export interface TestEvent {
  uuid: string;
  info?: string;
  timestamp?: number;
  tags?: string[];
  org?: string;
  attributes: TestAttribute[];
}

let counter = 0;
/** Deterministic, valid v4-shaped uuids for tests. */
export function testUuid(n = ++counter): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

export function eventJson(e: TestEvent): unknown {
  const ts = String(e.timestamp ?? 1_700_000_000);
  return {
    Event: {
      uuid: e.uuid,
      info: e.info ?? `event ${e.uuid.slice(-4)}`,
      date: '2024-01-01',
      timestamp: ts,
      publish_timestamp: ts,
      published: true,
      analysis: '2',
      threat_level_id: '3',
      Orgc: { name: e.org ?? 'TestOrg', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
      Tag: (e.tags ?? []).map((name) => ({ name, colour: '#ffffff' })),
      Attribute: e.attributes.map((a) => ({
        uuid: a.uuid,
        type: a.type ?? 'ip-dst',
        category: a.category ?? 'Network activity',
        value: a.value,
        to_ids: true,
        comment: '',
        timestamp: String(a.timestamp ?? e.timestamp ?? 1_700_000_000),
        ...(a.deleted ? { deleted: true } : {}),
      })),
    },
  };
}

export function manifestEntry(e: TestEvent) {
  return {
    info: e.info ?? `event ${e.uuid.slice(-4)}`,
    date: '2024-01-01',
    timestamp: e.timestamp ?? 1_700_000_000,
    analysis: 2,
    threat_level_id: 3,
    Orgc: { name: e.org ?? 'TestOrg', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
    Tag: (e.tags ?? []).map((name) => ({ name, colour: '#ffffff' })),
  };
}

export function writeFeedFolder(dir: string, events: TestEvent[]): string {
  mkdirSync(dir, { recursive: true });
  for (const e of events) writeFileSync(join(dir, `${e.uuid}.json`), JSON.stringify(eventJson(e)));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(Object.fromEntries(events.map((e) => [e.uuid, manifestEntry(e)]))));
  return dir;
}
