/**
 * An event's attributes a page at a time, for the virtualised attribute table: the first page comes with the event
 * (events.get / feeds.previewEvent); the table asks for the pages around what it shows (`ensure`), in any order, so
 * dragging the scroll bar to the middle of 345,819 rows fetches the middle page, not everything before it. Sorting
 * and filtering are the engine's (events.attributes / feeds.previewAttributes); a new order or filter starts over.
 *
 * At most MAX_PAGES pages are held; the ones furthest from the last asked are dropped and fetched again if scrolled
 * back to. Answers to an older order, filter or event are dropped.
 *
 * Deliberately small and self-contained (one state object, one fetch function) so it can move onto the query cache.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IpcError } from '../../../../shared/ipc/envelope';
import { useEnvironment } from '../../app/engine-context';
import type { AttributePage, AttributeSort, AttributeView, ObjectView } from '../../app/types';

/** The engine's page size for the pane (events.get's first page has the same). */
export const PAGE_SIZE = 200;
const MAX_PAGES = 40;

/** Whose attributes: a stored event, or one inside a feed folder or zip being previewed. */
export type AttributeSource = { readonly kind: 'stored'; readonly uuid: string } | { readonly kind: 'preview'; readonly source: string; readonly uuid: string };

export interface AttributeQuery {
  /** null: the event's own order. */
  readonly sort: Exclude<AttributeSort, 'id'> | null;
  readonly direction: 'asc' | 'desc';
  readonly text: string;
  readonly includeDeleted: boolean;
  /** Only this object's attributes; null: all. */
  readonly objectUuid: string | null;
}

export const EVENT_ORDER: AttributeQuery = { sort: null, direction: 'asc', text: '', includeDeleted: true, objectUuid: null };

/** The query the first page of events.get answers (the event's order, nothing filtered). */
export function isEventOrder(q: AttributeQuery): boolean {
  return q.sort === null && q.direction === 'asc' && q.text.trim() === '' && q.includeDeleted && q.objectUuid === null;
}

function pageInput(q: AttributeQuery, offset: number) {
  const text = q.text.trim();
  return {
    offset,
    limit: PAGE_SIZE,
    sort: q.sort ?? ('id' as const),
    direction: q.direction,
    filter: {
      includeDeleted: q.includeDeleted,
      ...(text ? { text } : {}),
      ...(q.objectUuid !== null ? { objectUuid: q.objectUuid } : {}),
    },
  };
}

interface State {
  readonly key: string;
  readonly total: number | null;
  /** Page index → rows. */
  readonly pages: ReadonlyMap<number, readonly AttributeView[]>;
  readonly objects: ReadonlyMap<string, ObjectView>;
  readonly error: IpcError | null;
}

export interface AttributePages {
  /** Rows matching the query; null until the first page of a new query has come. */
  readonly total: number | null;
  /** The row at this position, if its page is here. */
  row(index: number): AttributeView | undefined;
  /** An object that a fetched row belongs to. */
  object(uuid: string): ObjectView | undefined;
  readonly error: IpcError | null;
  /** Make sure the pages holding rows `first`…`last` are here or coming. */
  ensure(first: number, last: number): void;
}

function withPage(state: State, index: number, page: AttributePage): State {
  const pages = new Map(state.pages);
  pages.delete(index);
  pages.set(index, page.rows);
  // Keep the pages nearest the one just fetched (the reader is around there).
  while (pages.size > MAX_PAGES) {
    let furthest = index;
    for (const i of pages.keys()) if (Math.abs(i - index) > Math.abs(furthest - index)) furthest = i;
    pages.delete(furthest);
  }
  const objects = new Map(state.objects);
  for (const o of page.objects) objects.set(o.uuid, o);
  return { ...state, total: page.total, pages, objects, error: null };
}

const EMPTY = (key: string): State => ({ key, total: null, pages: new Map(), objects: new Map(), error: null });

/** A number per first page (by identity): a new first page (the event was read again) starts over. */
const generations = new WeakMap<AttributePage, number>();
let nextGeneration = 0;
function generationOf(first: AttributePage): number {
  let n = generations.get(first);
  if (n === undefined) generations.set(first, (n = ++nextGeneration));
  return n;
}

/**
 * `first` is the page the event came with; it is used for the event's own order, and a new `first` (the event was
 * read again after a change) starts over.
 */
export function useAttributePages(source: AttributeSource, first: AttributePage, query: AttributeQuery): AttributePages {
  const { engine } = useEnvironment();
  const key = JSON.stringify([source, query, generationOf(first)]);
  const seeded = isEventOrder(query);
  const initial = useCallback((k: string): State => (seeded ? withPage(EMPTY(k), 0, first) : EMPTY(k)), [seeded, first]);
  const [state, setState] = useState<State>(() => initial(key));
  // A new query or event shows its own (first) rows at once; the stored state catches up with the next answer.
  const current = state.key === key ? state : initial(key);
  const asked = useRef(new Set<string>());
  // The key now shown: answers to any other are dropped.
  const shown = useRef(key);
  useEffect(() => {
    shown.current = key;
  }, [key]);

  const fetchPage = useCallback(
    (index: number) => {
      const ticket = `${key}#${index}`;
      if (asked.current.has(ticket)) return;
      asked.current.add(ticket);
      const input = pageInput(query, index * PAGE_SIZE);
      const answer =
        source.kind === 'stored'
          ? engine.call('events.attributes', { uuid: source.uuid, ...input })
          : engine.call('feeds.previewAttributes', { source: source.source, uuid: source.uuid, ...input });
      void answer.then((r) => {
        setState((stored) => {
          if (shown.current !== key) return stored;
          const s = stored.key === key ? stored : initial(key);
          if (!r.ok) return { ...s, error: r.error };
          return withPage(s, index, r.value);
        });
        // A dropped page may be asked for again later.
        asked.current.delete(ticket);
      });
    },
    [engine, key, query, source, initial],
  );

  // A new order or filter: its first page (the event's own order already has it).
  useEffect(() => {
    if (!seeded) fetchPage(0);
  }, [seeded, fetchPage]);

  const ensure = useCallback(
    (firstRow: number, lastRow: number) => {
      if (current.total === null) return;
      const lastIndex = Math.min(lastRow, current.total - 1);
      for (let i = Math.floor(Math.max(0, firstRow) / PAGE_SIZE); i * PAGE_SIZE <= lastIndex; i++) {
        // A page shorter than it should be (the event grew since) is asked again.
        const want = Math.min(PAGE_SIZE, current.total - i * PAGE_SIZE);
        if ((current.pages.get(i)?.length ?? -1) < want) fetchPage(i);
      }
    },
    [current, fetchPage],
  );

  return {
    total: current.total,
    row: (index) => current.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    object: (uuid) => current.objects.get(uuid),
    error: current.error,
    ensure,
  };
}
