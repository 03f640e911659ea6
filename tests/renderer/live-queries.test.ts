import { describe, expect, it } from 'vitest';
import { isAffected, staleTimeOf } from '../../renderer/src/app/live-queries';
import { EVERYTHING_CHANGED } from '../../renderer/src/transport/client';
import { libraryChanged } from '../../renderer/src/transport/fake';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

const KEYS = {
  feedsList: ['feeds.list', {}],
  feedsGet: ['feeds.get', { id: 3 }],
  preview: ['feeds.preview', { source: '/media/usb/feed' }],
  previewEvent: ['feeds.previewEvent', { source: '/media/usb/feed', uuid: A }],
  eventsList: ['events.list', { limit: 200, sort: 'date', direction: 'desc' }],
  eventA: ['events.get', { uuid: A }],
  eventB: ['events.get', { uuid: B }],
  attributesA: ['events.attributes', { uuid: A, offset: 0 }],
  importsList: ['imports.list', { limit: 500 }],
  importsGet: ['imports.get', { id: 12 }],
  search: ['search.value', { value: '198.51.100.7' }],
  appInfo: ['app.info', {}],
} as const;

type Name = keyof typeof KEYS;

function affected(event: Parameters<typeof isAffected>[0]): Name[] {
  return (Object.keys(KEYS) as Name[]).filter((name) => isAffected(event, KEYS[name]));
}

describe('live queries: what a library.changed event makes stale', () => {
  it('feeds → every feeds query, but not previews of a folder or zip', () => {
    expect(affected(libraryChanged({ feeds: true }))).toEqual(['feedsList', 'feedsGet']);
  });

  it('events by uuid → those events’ queries and every events list (and value search)', () => {
    expect(affected(libraryChanged({ events: [A] }))).toEqual(['eventsList', 'eventA', 'attributesA', 'search']);
    expect(affected(libraryChanged({ events: [B] }))).toEqual(['eventsList', 'eventB', 'search']);
  });

  it("events 'all' → every events query", () => {
    expect(affected(libraryChanged({ events: 'all' }))).toEqual(['eventsList', 'eventA', 'eventB', 'attributesA', 'search']);
  });

  it('imports → the import log', () => {
    expect(affected(libraryChanged({ imports: true }))).toEqual(['importsList', 'importsGet']);
  });

  it('cache → value search and feeds (their cached counts)', () => {
    expect(affected(libraryChanged({ cache: true }))).toEqual(['feedsList', 'feedsGet', 'search']);
  });

  it('reference → nothing yet; nothing → nothing', () => {
    expect(affected(libraryChanged({ reference: true }))).toEqual([]);
    expect(affected(libraryChanged({}))).toEqual([]);
  });

  it('external (another process cannot say what it touched) → everything but sources on disk', () => {
    const all = (Object.keys(KEYS) as Name[]).filter((n) => n !== 'preview' && n !== 'previewEvent');
    expect(affected(libraryChanged({ external: true }))).toEqual(all);
    expect(affected(EVERYTHING_CHANGED)).toEqual(all);
  });

  it('ignores keys that are not engine queries', () => {
    expect(isAffected(EVERYTHING_CHANGED, [])).toBe(false);
    expect(isAffected(EVERYTHING_CHANGED, [42])).toBe(false);
  });

  it('keeps library answers until a change, re-reads sources when reopened', () => {
    expect(staleTimeOf('events.get')).toBe(Infinity);
    expect(staleTimeOf('feeds.previewEvent')).toBe(0);
  });
});
