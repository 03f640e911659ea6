/**
 * Events from the library a page at a time, as one infinite query in the window's query cache: the first page when
 * the query changes (search, sort, feed filter, facets), the next ones as the list scrolls near its end. While a
 * new query's first page comes, the previous rows stay on screen; when `library.changed` says events changed, the
 * loaded pages are asked again in the background (so an import's new events appear without the list jumping).
 */
import { keepPreviousData, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { IpcError } from '../../../../shared/ipc/envelope';
import { useEnvironment } from '../../app/engine-context';
import { callForQuery, engineQueryKey, ipcErrorOf, type EngineQueryError, type EngineQueryKey } from '../../app/live-queries';
import type { EventList, EventRow, EventSort } from '../../app/types';

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

export interface PagedEvents {
  readonly rows: readonly EventRow[];
  /** Null while the current query's first page is coming. */
  readonly total: number | null;
  readonly loading: boolean;
  readonly error: IpcError | null;
  loadMore(): void;
}

/** The request without its offset: what identifies the list (and its query in the cache). */
function request(query: EventQuery) {
  const search = query.search.trim();
  return {
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

const loadedRows = (pages: readonly EventList[]) => pages.reduce((n, p) => n + p.rows.length, 0);

export function usePagedEvents(query: EventQuery): PagedEvents {
  const { engine } = useEnvironment();
  const base = request(query);
  const list = useInfiniteQuery<EventList, EngineQueryError, InfiniteData<EventList, number>, EngineQueryKey<'events.list'>, number>({
    queryKey: engineQueryKey('events.list', base),
    queryFn: ({ pageParam, signal }) => callForQuery(engine, 'events.list', { ...base, offset: pageParam }, signal),
    initialPageParam: 0,
    // Offsets follow what was actually loaded, so a refetch after a change pages the new list, not the old one.
    getNextPageParam: (last, pages) => {
      const loaded = loadedRows(pages);
      return last.rows.length > 0 && loaded < last.total ? loaded : undefined;
    },
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });

  const pages = list.data?.pages;
  const rows = useMemo(() => pages?.flatMap((p) => p.rows) ?? [], [pages]);
  const current = !list.isPending && !list.isPlaceholderData;
  const { hasNextPage, isFetching, isFetchNextPageError, fetchNextPage } = list;
  const loadMore = useCallback(() => {
    // Not while another fetch runs (it would be cancelled), nor again after a page failed (until the list changes).
    if (hasNextPage && !isFetching && !isFetchNextPageError) void fetchNextPage();
  }, [hasNextPage, isFetching, isFetchNextPageError, fetchNextPage]);

  return {
    rows,
    total: current && pages ? (pages.at(-1)?.total ?? 0) : null,
    loading: !current,
    error: ipcErrorOf(list.error),
    loadMore,
  };
}
