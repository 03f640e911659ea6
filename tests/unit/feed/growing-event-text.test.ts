import { describe, expect, it } from 'vitest';
import { feedEventText } from '../../../shared/feed/feed-json';
import { GrowingEventText, type EventHead } from '../../../shared/feed/growing-event-text';
import type { Attribute } from '../../../shared/model/attribute';
import type { MispObject } from '../../../shared/model/object';

const head: EventHead = {
  uuid: '5a9e9e26-fe40-4726-8563-5585950d210f', info: 'Honeypot 2026-12-03 — ünïcode', date: '2026-12-03', timestamp: 1_796_300_000,
  publishTimestamp: 1_796_300_000, published: true, analysis: 0, threatLevelId: 4, extendsUuid: '', protected: false,
  orgc: { name: 'Example', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' }, tags: [{ name: 'tlp:white', local: false }],
};

const attribute = (n: number, over: Partial<Attribute> = {}): Attribute => ({
  uuid: `11111111-1111-4111-8111-${String(n).padStart(12, '0')}`, type: 'ip-src', category: 'Network activity', value: `203.0.113.${n}`,
  toIds: true, comment: n % 2 ? 'line\nbreak "quoted" \u2028' : '', timestamp: 1_796_300_000 + n, disableCorrelation: false, tags: n === 3 ? [{ name: 'x', local: false }] : [],
  firstSeen: '2026-12-03T10:00:00+00:00', lastSeen: '2026-12-03T10:00:00+00:00', ...over,
});

const object = (n: number): MispObject => ({
  uuid: `22222222-2222-4222-8222-${String(n).padStart(12, '0')}`, name: 'cowrie', metaCategory: 'network', description: 'Cowrie honeypot object template',
  templateUuid: 'ae085d32-6534-4d52-b3eb-063fccb753e7', templateVersion: 3, comment: '', timestamp: 1_796_300_100, references: [],
  attributes: [attribute(100 + n, { type: 'text', category: 'Other', value: 'root', objectRelation: 'username' })],
});

describe('GrowingEventText: an event laid out piece by piece is the strict writer\'s file', () => {
  it('equals feedEventText with no items, attributes only, objects only, both, and after an item changed', () => {
    const g = new GrowingEventText();
    expect(g.text(head)).toBe(feedEventText({ ...head, attributes: [], objects: [], reports: [] }));
    const attributes = [attribute(1), attribute(2), attribute(3)];
    for (const a of attributes) g.addAttribute(a);
    expect(g.text(head)).toBe(feedEventText({ ...head, attributes, objects: [], reports: [] }));
    g.addObject(object(1));
    g.addObject(object(2));
    expect(g.text(head)).toBe(feedEventText({ ...head, attributes, objects: [object(1), object(2)], reports: [] }));
    const moved = { ...attributes[1]!, lastSeen: '2026-12-03T11:00:00+00:00', timestamp: 1_796_303_600 };
    g.setAttribute(1, moved);
    const later = { ...head, timestamp: head.timestamp + 1 };
    expect(g.text(later)).toBe(feedEventText({ ...later, attributes: [attributes[0]!, moved, attributes[2]!], objects: [object(1), object(2)], reports: [] }));
    const objectsOnly = new GrowingEventText();
    objectsOnly.addObject(object(3));
    expect(objectsOnly.text(head)).toBe(feedEventText({ ...head, attributes: [], objects: [object(3)], reports: [] }));
  });
});
