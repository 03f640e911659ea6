import { describe, expect, it } from 'vitest';
import { readEvent, streamEvent } from '../../../shared/feed/event-reader';
import { prepareFeedEvent } from '../../../shared/feed/event-writer';
import { feedEventJson } from '../../../shared/feed/feed-json';
import type { Event } from '../../../shared/model';

const EVENT = '5a9e9e26-fe40-4726-8563-5585950d210f';
const ATTRIBUTE = '11111111-1111-4111-8111-000000000001';
const uuid = (n: number) => `22222222-2222-4222-8222-${String(n).padStart(12, '0')}`;

const note = (n: number, extra: Record<string, unknown> = {}) => ({ uuid: uuid(n), object_uuid: EVENT, object_type: 'Event', authors: 'a', created: '2024-04-16 12:00:00', note: `note ${n}`, ...extra });

function doc(event: Record<string, unknown>, attribute: Record<string, unknown> = {}) {
  return {
    Event: {
      uuid: EVENT, info: 'analyst data', date: '2024-05-01', timestamp: '1714557600', analysis: '1', threat_level_id: '2',
      Orgc: { name: 'ExampleOrg', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
      Attribute: [{ uuid: ATTRIBUTE, type: 'ip-dst', category: 'Network activity', value: '198.51.100.1', to_ids: true, timestamp: '1714557600', ...attribute }],
      ...event,
    },
  };
}

const codes = (issues: readonly { code: string; path: string }[]) => issues.filter((i) => i.code.startsWith('analyst-data') || i.code === 'event.duplicate-uuid').map((i) => `${i.code} ${i.path}`);

describe('analyst data: read as written, refused as PyMISP refuses it', () => {
  it('keeps valid records in order and says why each other one was skipped', () => {
    const r = readEvent(JSON.stringify(doc({
      Note: [note(1), note(2, { note: null }), 'text', note(1)],
      Opinion: [{ uuid: uuid(3), object_uuid: EVENT, object_type: 'Event', opinion: 50 }],
      Relationship: { uuid: uuid(4) },
    }, {
      Relationship: [
        { uuid: uuid(5), related_object_type: 'Attribute', relationship_type: 'x' },
        { uuid: uuid(6), related_object_type: 'Spaceship', related_object_uuid: EVENT, relationship_type: 'x' },
        { uuid: 'nope', related_object_type: 'Event', related_object_uuid: EVENT },
        { uuid: uuid(7), related_object_type: 'Event', related_object_uuid: EVENT, relationship_type: 'x', distribution: 4 },
      ],
    })), { file: 'e.json' });
    expect(r.value!.analystData!.map((d) => [d.kind, d.uuid])).toEqual([['Note', uuid(1)]]);
    expect(r.value!.attributes[0]!.analystData).toBeUndefined();
    expect(codes(r.issues).sort()).toEqual([
      'analyst-data.invalid e.json#/Event/Attribute/0/Relationship/0',
      'analyst-data.invalid e.json#/Event/Attribute/0/Relationship/1',
      'analyst-data.invalid e.json#/Event/Attribute/0/Relationship/3',
      'analyst-data.invalid e.json#/Event/Note/1',
      'analyst-data.invalid e.json#/Event/Opinion/0',
      'analyst-data.not-a-list e.json#/Event/Relationship',
      'analyst-data.not-object e.json#/Event/Note/2',
      'analyst-data.uuid-invalid e.json#/Event/Attribute/0/Relationship/2/uuid',
      'event.duplicate-uuid e.json#/Event/Note/3/uuid',
    ]);
    expect(r.issues.find((i) => i.path === 'e.json#/Event/Opinion/0')?.message).toContain('without a comment');
  });

  it('reads the same records when a large event is streamed item by item', () => {
    const text = JSON.stringify(doc({ Note: [note(1)] }, { Note: [note(2, { object_uuid: ATTRIBUTE, object_type: 'Attribute' })] }));
    const stream = streamEvent(text, { deferItemsFrom: 10 }).value!;
    const attributes: unknown[] = [];
    stream.readItems({ attribute: (a) => attributes.push(a), object: () => {}, report: () => {} });
    expect(stream.header.analystData?.map((d) => d.uuid)).toEqual([uuid(1)]);
    expect(attributes).toEqual([expect.objectContaining({ analystData: [expect.objectContaining({ uuid: uuid(2) })] })]);
  });
});

describe('analyst data: written back with the distribution filter', () => {
  it('leaves out records whose distribution is not exported, and writes keys sorted after the item\'s own lists', () => {
    const event = readEvent(JSON.stringify(doc({ Note: [note(1, { distribution: '0' }), note(2, { distribution: '1', language: 'en' })] }))).value as Event;
    const prepared = prepareFeedEvent(event, { validDistributions: [1, 2, 3, 5] });
    expect(prepared.status).toBe('written');
    if (prepared.status !== 'written') return;
    const json = feedEventJson(prepared.value).Event as Record<string, unknown>;
    const notes = json['Note'] as Record<string, unknown>[];
    expect(notes.map((n) => n['uuid'])).toEqual([uuid(2)]);
    expect(Object.keys(notes[0]!)).toEqual([...Object.keys(notes[0]!)].sort());
    expect(Object.keys(json).slice(-3)).toEqual(['Tag', 'Attribute', 'Note']);
  });
});
