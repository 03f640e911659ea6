// The deferred parse of large event files (shared/feed/deferred-json.ts): the same document as JSON.parse, the same
// event and issues from streamEvent as from readEvent, and every malformed text still refused.
import { describe, expect, it } from 'vitest';
import { DeferredItem, parseDeferringItems } from '../../../shared/feed/deferred-json';
import { readEvent, streamEvent } from '../../../shared/feed/event-reader';
import type { Issue } from '../../../shared/feed/issues';
import type { Attribute, Event, EventReport, MispObject } from '../../../shared/model';
import { hasShared, needsShared } from '../../support/shared-data';
import { eventExportFiles, FEEDS, feedEventFiles, readEventExport, readFeedFile } from './fixture-files';

/** The parsed document with every deferred element parsed in place. */
function materialise(text: string): unknown {
  const { data, lists } = parseDeferringItems(text);
  for (const list of lists) for (let i = 0; i < list.length; i++) (list as unknown[])[i] = list[i]!.parse();
  return data;
}

/** streamEvent with deferral forced, gathered back into one event, with its issues. */
function streamed(text: string, file = 'event.json'): { value: Event | null; issues: readonly Issue[] } {
  const parsed = streamEvent(text, { file, deferItemsFrom: 0 });
  if (!parsed.value) return { value: null, issues: parsed.issues };
  const attributes: Attribute[] = [];
  const objects: MispObject[] = [];
  const reports: EventReport[] = [];
  const issues = parsed.value.readItems({ attribute: (a) => attributes.push(a), object: (o) => objects.push(o), report: (r) => reports.push(r) });
  return { value: { ...parsed.value.header, attributes, objects, reports }, issues };
}

const attribute = (i: number, value: string) => ({
  uuid: `5f1c3f0e-0000-4000-8000-${String(i).padStart(12, '0')}`,
  type: 'url',
  category: 'Network activity',
  value,
  to_ids: true,
  timestamp: '1700000000',
});

const tricky = JSON.stringify({
  Event: {
    uuid: '5f1c3f0e-0000-4000-8000-0000000000ee',
    info: 'brackets ] [ } { and "quotes" \\ in text',
    date: '2026-01-01',
    timestamp: '1700000000',
    Tag: [{ name: 'tlp:white' }],
    Galaxy: [{ name: 'g', GalaxyCluster: [], Attribute: ['not an item list of the event'] }],
    Attribute: [
      attribute(1, 'http://example.com/a"]},{"b\\'),
      attribute(2, 'http://example.com/\\\\"'),
      attribute(3, 'http://exämple.com/ünïcode/☃'),
    ],
    Object: [
      {
        uuid: '5f1c3f0e-0000-4000-8000-0000000000ob',
        name: 'url',
        timestamp: '1700000000',
        Attribute: [{ ...attribute(4, 'http://example.com/in-object'), object_relation: 'url' }],
        ObjectReference: [],
      },
    ],
    EventReport: [],
  },
});

describe('parseDeferringItems', () => {
  it('gives the document JSON.parse gives, with the item lists deferred', () => {
    const spaced = JSON.stringify(JSON.parse(tricky), null, 2);
    for (const text of [tricky, spaced, `\n ${tricky} \n`]) {
      const { data, lists } = parseDeferringItems(text);
      // Attribute, Object, EventReport of the event, and the Attribute list inside Galaxy (depth 4).
      expect(lists.map((l) => l.length).sort()).toEqual([0, 1, 1, 3]);
      const event = (data as { Event: Record<string, unknown> }).Event;
      expect((event['Attribute'] as unknown[]).every((x) => x instanceof DeferredItem)).toBe(true);
      expect(materialise(text)).toEqual(JSON.parse(text));
    }
  });

  it('finds the event in the shapes the reader accepts', () => {
    const inner = JSON.parse(tricky) as { Event: unknown };
    for (const doc of [inner, inner.Event, [inner], { response: [inner] }]) {
      const text = JSON.stringify(doc);
      expect(parseDeferringItems(text).lists.length).toBeGreaterThan(0);
      expect(materialise(text)).toEqual(doc);
    }
  });

  it('leaves alone a key that only looks like its own marker', () => {
    const text = JSON.stringify({ Event: { info: 'x', Attribute: [1, 'two', null, [3], { a: {} }], extra: { '\u0000ferry-deferred-x': 0 } } });
    expect(materialise(text)).toEqual(JSON.parse(text));
  });

  it.each([
    ['a missing comma between elements', '{"Event": {"Attribute": [{"a": 1} {"b": 2}]}}'],
    ['a trailing comma', '{"Event": {"Attribute": [{"a": 1},]}}'],
    ['an unterminated string', '{"Event": {"Attribute": [{"a": "1}]}}'],
    ['an unclosed list', '{"Event": {"Attribute": [{"a": 1}'],
    ['a broken skeleton', '{"Event": {"info": tru, "Attribute": []}}'],
  ])('refuses %s', (_what, text) => {
    expect(() => materialise(text)).toThrow(SyntaxError);
  });
});

describe('streamEvent with deferred items', () => {
  it('reads the same event with the same issues as readEvent', () => {
    const whole = readEvent(tricky);
    expect(whole.value).not.toBeNull();
    expect(streamed(tricky)).toEqual({ value: whole.value, issues: whole.issues });
  });

  it('reports an item that is not JSON as event.not-json, at the item', () => {
    const text = tricky.replace('"value":"http://example.com/in-object"', '"value":http://nope');
    const s = streamed(text);
    const notJson = s.issues.filter((i) => i.code === 'event.not-json');
    expect(notJson).toHaveLength(1);
    expect(notJson[0]!.severity).toBe('error');
    expect(notJson[0]!.path).toContain('/Event/Object/0');
    // Without deferral the whole file is refused up front with the same code.
    expect(readEvent(text).issues.map((i) => i.code)).toContain('event.not-json');
  });

  it('is not used below its threshold', () => {
    const parsed = streamEvent(tricky, { deferItemsFrom: tricky.length + 1 });
    expect(parsed.value).not.toBeNull();
  });
});

describe.skipIf(!hasShared)('streamEvent with deferred items on the fixtures' + needsShared, () => {
  const files: [string, () => string][] = hasShared
    ? [
        ...eventExportFiles().map((f): [string, () => string] => [f, () => readEventExport(f)]),
        ...FEEDS.flatMap((feed) => feedEventFiles(feed).slice(0, 40).map((f): [string, () => string] => [`${feed}/${f}`, () => readFeedFile(feed, f)])),
      ]
    : [];

  it.each(files)('%s', (file, read) => {
    const text = read();
    expect(materialise(text)).toEqual(JSON.parse(text));
    const whole = readEvent(text, { file });
    expect(streamed(text, file)).toEqual({ value: whole.value, issues: whole.issues });
  });
});
