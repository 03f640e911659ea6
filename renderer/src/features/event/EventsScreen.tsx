/**
 * Events: every event in the library (local and from feeds), searched, sorted and paged by the engine; the open one
 * in the pane on the right. Sort order survives restarts; the feed filter comes from where the screen was opened.
 */
import { useRef, useState } from 'react';
import { useEngineQuery } from '../../app/engine-query';
import { useNavigation, type ExportPreset } from '../../app/navigation';
import { usePersistentState } from '../../app/persistent-state';
import type { EventSort } from '../../app/types';
import { SplitView } from '../../components/SplitView';
import { formatCount } from '../../components/format';
import { EventDetailPane } from './EventDetailPane';
import { EventsTable } from './EventsTable';
import { EventFacetsBar } from './EventFacetsBar';
import { NO_FACETS, usePagedEvents, type EventFacets } from './paged-events';

const SEARCH_DELAY_MS = 250;
const isSort = (v: unknown): v is EventSort => v === 'date' || v === 'org' || v === 'info' || v === 'attributes' || v === 'timestamp';
const isDirection = (v: unknown): v is 'asc' | 'desc' => v === 'asc' || v === 'desc';

/** The list's feed and facets as a new export's filter (the search text has no export equivalent). */
function presetOf(feedId: number | null, feedName: string | null, f: EventFacets, total: number | null): ExportPreset {
  const what = total === null ? 'the events' : formatCount(total, 'event');
  return {
    label: feedName ? `${what} of ${feedName}` : what,
    ...(feedId !== null ? { origin: feedId } : {}),
    ...(f.tag ? { tag: f.tag } : {}),
    ...(f.org ? { org: f.org } : {}),
    ...(f.dateFrom ? { dateFrom: f.dateFrom } : {}),
    ...(f.dateTo ? { dateUntil: f.dateTo } : {}),
  };
}

export function EventsScreen({ feedId: initialFeedId = null, eventUuid = null }: { feedId?: number | null; eventUuid?: string | null }) {
  const [sort, setSort] = usePersistentState<EventSort>('events.sort', 'date', isSort);
  const [direction, setDirection] = usePersistentState<'asc' | 'desc'>('events.direction', 'desc', isDirection);
  const [feedId, setFeedId] = useState<number | null>(initialFeedId);
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [facets, setFacets] = useState<EventFacets>(NO_FACETS);
  const [openUuid, setOpenUuid] = useState<string | null>(eventUuid);
  const [expanded, setExpanded] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const feeds = useEngineQuery('feeds.list', {});
  const events = usePagedEvents({ search, sort, direction, feedId, facets });
  const { go } = useNavigation();
  const feedName = feedId === null ? null : ((feeds.data ?? []).find((f) => f.id === feedId)?.settings.name ?? `feed ${feedId}`);

  const onType = (text: string) => {
    setTyped(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setSearch(text), SEARCH_DELAY_MS);
  };

  const countText =
    events.total === null
      ? 'Loading…'
      : events.rows.length < events.total
        ? `${formatCount(events.total, 'event')} · ${events.rows.length} loaded`
        : formatCount(events.total, 'event');

  return (
    <section className="screen" aria-labelledby="events-title">
      <header className="screen-header">
        <h1 id="events-title">Events</h1>
        <div className="toolbar">
          <input
            type="search"
            data-search
            aria-label="Search events"
            placeholder="Search info, org, tag, uuid"
            value={typed}
            onChange={(e) => onType(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                clearTimeout(timer.current);
                setSearch(typed);
              }
            }}
          />
          <select aria-label="Feed" value={feedId ?? ''} onChange={(e) => setFeedId(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">All feeds and local events</option>
            {(feeds.data ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.settings.name}
              </option>
            ))}
          </select>
          <span className="muted" data-testid="events-total" aria-live="polite">
            {countText}
          </span>
          <button
            type="button"
            disabled={typed.trim() !== '' || events.total === 0}
            title={typed.trim() !== '' ? 'The search text is no export filter: clear it, or narrow with the feed and the facets' : 'A new export of the events listed here'}
            onClick={() => go({ screen: 'exports', preset: presetOf(feedId, feedName, facets, events.total) })}
          >
            Export these…
          </button>
        </div>
      </header>
      <EventFacetsBar facets={facets} onChange={setFacets} />
      {events.error && (
        <p role="alert" className="error-box">
          Cannot list the events: {events.error.message}
        </p>
      )}
      <SplitView
        id="events"
        detailLabel="Event view"
        defaultWidth={800}
        list={
          <EventsTable
            rows={events.rows}
            sort={sort}
            direction={direction}
            onSort={(s, d) => {
              setSort(s);
              setDirection(d);
            }}
            openUuid={openUuid}
            onOpen={(e) => setOpenUuid(e.uuid)}
            onEndReached={events.loadMore}
          />
        }
        expanded={expanded}
        onClose={() => setOpenUuid(null)}
        detail={
          openUuid ? (
            <EventDetailPane key={openUuid} uuid={openUuid} expanded={expanded} onExpand={() => setExpanded(!expanded)} onClose={() => setOpenUuid(null)} />
          ) : null
        }
      />
    </section>
  );
}
