/**
 * Events from the library a page at a time: the first page when the query changes (search, sort, feed filter), the
 * next ones as the list scrolls near its end. Answers to an older query are dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IpcError } from '../../../../shared/ipc/envelope';
import { useEnvironment } from '../../app/engine-context';
import type { EventRow, EventSort } from '../../app/types';

export const PAGE_SIZE = 200;

export interface EventQuery {
  readonly search: string;
  readonly sort: EventSort;
  readonly direction: 'asc' | 'desc';
  readonly feedId: number | null;
  /** Facets as MISP's index offers them; '' for none. */
  readonly facets: EventFacets;
}

export interface EventFacets {
  readonly org: string;
  readonly tag: string;
  readonly dateFrom: string;
  readonly dateTo: string;
}

export const NO_FACETS: EventFacets = { org: '', tag: '', dateFrom: '', dateTo: '' };

interface Pages {
  readonly key: string;
  readonly rows: readonly EventRow[];
  readonly total: number;
  readonly error: IpcError | null;
}

export interface PagedEvents {
  readonly rows: readonly EventRow[];
  readonly total: number | null;
  readonly loading: boolean;
  readonly error: IpcError | null;
  loadMore(): void;
}

function request(query: EventQuery, offset: number) {
  const search = query.search.trim();
  return {
    offset,
    limit: PAGE_SIZE,
    sort: query.sort,
    direction: query.direction,
    ...(search ? { search } : {}),
    ...(query.feedId !== null ? { feedId: query.feedId } : {}),
    ...(query.facets.org.trim() ? { org: query.facets.org.trim() } : {}),
    ...(query.facets.tag.trim() ? { tag: query.facets.tag.trim() } : {}),
    ...(query.facets.dateFrom ? { dateFrom: query.facets.dateFrom } : {}),
    ...(query.facets.dateTo ? { dateTo: query.facets.dateTo } : {}),
  };
}

export function usePagedEvents(query: EventQuery, refresh: unknown): PagedEvents {
  const { engine } = useEnvironment();
  const key = JSON.stringify([query, refresh]);
  const [pages, setPages] = useState<Pages>({ key: '', rows: [], total: 0, error: null });
  const loadingMore = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    const [q] = JSON.parse(key) as [EventQuery];
    void engine.call('events.list', request(q, 0)).then((r) => {
      if (!live) return;
      setPages(r.ok ? { key, rows: r.value.rows, total: r.value.total, error: null } : { key, rows: [], total: 0, error: r.error });
    });
    return () => {
      live = false;
    };
  }, [engine, key]);

  const current = pages.key === key;
  const loadMore = useCallback(() => {
    if (pages.key !== key || pages.rows.length >= pages.total) return;
    const ticket = `${key}#${pages.rows.length}`;
    if (loadingMore.current === ticket) return;
    loadingMore.current = ticket;
    const [q] = JSON.parse(key) as [EventQuery];
    void engine.call('events.list', request(q, pages.rows.length)).then((r) => {
      setPages((p) => {
        if (p.key !== key || p.rows.length !== pages.rows.length) return p;
        return r.ok ? { ...p, rows: [...p.rows, ...r.value.rows], total: r.value.total } : { ...p, error: r.error };
      });
    });
  }, [engine, key, pages]);

  return {
    rows: pages.rows,
    total: current ? pages.total : null,
    loading: !current,
    error: current ? pages.error : null,
    loadMore,
  };
}
