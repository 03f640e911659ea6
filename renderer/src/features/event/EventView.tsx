/**
 * One event in MISP's anatomy: header fields, tags, then the attribute table (objects' attributes among them, under
 * their object's name). Used for stored events (events.get) and, read-only, for events inside a feed being previewed
 * (feeds.previewEvent): both open with the header and first page, and page, sort and filter on the engine.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { ANALYSIS_LABELS, THREAT_LEVEL_LABELS, isAnalysis, isThreatLevel } from '../../../../shared/model/levels';
import { usePersistentState } from '../../app/persistent-state';
import type { EventView as EventViewData, ObjectView } from '../../app/types';
import { CopyButton } from '../../components/CopyButton';
import { IssueList } from '../../components/IssueList';
import { TagChip } from '../../components/TagChip';
import { distributionLabel, formatTime } from '../../components/format';
import { AttributesTable } from './AttributesTable';
import { objectCount, referenceTexts } from './attribute-lines';
import { useAttributePages, type AttributeQuery, type AttributeSource } from './attribute-pages';
import { useSettled } from '../../components/use-settled';

function Field({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={wide ? 'event-field wide' : 'event-field'}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function EventHeader({ event, preview }: { event: EventViewData; preview: boolean }) {
  return (
    <dl className="event-fields">
      <Field label="Date">{event.date}</Field>
      <Field label="Org">{event.orgName ?? '—'}</Field>
      <Field label="Threat level">{isThreatLevel(event.threatLevelId) ? THREAT_LEVEL_LABELS[event.threatLevelId] : event.threatLevelId}</Field>
      <Field label="Analysis">{isAnalysis(event.analysis) ? ANALYSIS_LABELS[event.analysis] : event.analysis}</Field>
      <Field label="Distribution">{distributionLabel(event.distribution)}</Field>
      <Field label="Published">{event.published ? (event.publishTimestamp > 0 ? `Yes · ${formatTime(event.publishTimestamp)}` : 'Yes') : 'No'}</Field>
      <Field label="UUID" wide>
        <span className="mono">{event.uuid}</span> <CopyButton value={event.uuid} label="Copy event uuid" />
      </Field>
      <Field label="Timestamp">{formatTime(event.timestamp)}</Field>
      {!preview && <Field label="Origin feed">{event.feedName ?? 'local'}</Field>}
      {!preview && <Field label="Locally edited">{event.locallyEdited ? 'Yes' : 'No'}</Field>}
    </dl>
  );
}

const SORTS: readonly (AttributeQuery['sort'])[] = [null, 'type', 'category', 'value', 'timestamp', 'toIds', 'comment'];
type Order = Pick<AttributeQuery, 'sort' | 'direction'>;
const isOrder = (v: unknown): v is Order =>
  typeof v === 'object' && v !== null && SORTS.includes((v as Order).sort) && ['asc', 'desc'].includes((v as Order).direction);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

function ObjectBar({ object, onClose }: { object: ObjectView | undefined; onClose: () => void }) {
  const references = object ? referenceTexts(object) : [];
  return (
    <div className="toolbar object-bar" role="group" aria-label="Object">
      <span>
        Object <span className="object-name">{object?.name ?? '…'}</span>
        {object && object.metaCategory && object.metaCategory !== object.name && <span className="muted"> {object.metaCategory}</span>}
        {object?.comment && <span> · {object.comment}</span>}
        {object && <span className="muted"> · {objectCount(object)}</span>}
        {references.length > 0 && <span className="references"> · references: {references.join(', ')}</span>}
      </span>
      <button type="button" className="link" onClick={onClose}>
        Show all attributes
      </button>
    </div>
  );
}

export function EventView({ event, source, preview = false, actions }: {
  event: EventViewData;
  /** Where further pages come from. */
  source: AttributeSource;
  /** Read-only look inside a feed: no origin feed yet, the reader's issues shown. */
  preview?: boolean;
  actions?: ReactNode;
}) {
  const [order, setOrder] = usePersistentState<Order>('event.attributes.order', { sort: null, direction: 'asc' }, isOrder);
  const [includeDeleted, setIncludeDeleted] = usePersistentState('event.attributes.deleted', true, isBoolean);
  const [filter, setFilter] = useState('');
  const text = useSettled(filter, 250);
  const [objectUuid, setObjectUuid] = useState<string | null>(null);
  const query = useMemo<AttributeQuery>(
    () => ({ ...order, text, includeDeleted: includeDeleted || event.counts.deleted === 0, objectUuid }),
    [order, text, includeDeleted, event.counts.deleted, objectUuid],
  );
  const pages = useAttributePages(source, event.page, query);
  const narrowed = query.text.trim() !== '' || !query.includeDeleted || query.objectUuid !== null;
  const { counts } = event;
  return (
    <article className="event-view" aria-label={`Event ${event.info}`}>
      <header className="pane-header">
        <h2 title={event.info}>{event.info}</h2>
        {preview && <span className="badge">preview · read-only</span>}
        {event.locallyEdited && <span className="badge warn">locally edited</span>}
        {actions}
      </header>
      <EventHeader event={event} preview={preview} />
      {event.tags.length > 0 && (
        <div className="tags event-tags" aria-label="Event tags">
          {event.tags.map((t) => (
            <TagChip key={t.name} name={t.name} colour={t.colour} />
          ))}
        </div>
      )}
      {preview && <IssueList issues={event.issues} />}
      <div className="toolbar attributes-toolbar">
        <h3>
          Attributes <span className="muted">{counts.attributes.toLocaleString('en-US')}</span>
          {counts.objects > 0 && (
            <>
              {' '}
              · Objects <span className="muted">{counts.objects.toLocaleString('en-US')}</span>
            </>
          )}
          {narrowed && pages.total !== null && (
            <span className="muted" data-testid="attributes-shown">
              {' '}
              · {pages.total.toLocaleString('en-US')} shown
            </span>
          )}
        </h3>
        {counts.deleted > 0 && (
          <label className="facet">
            <input type="checkbox" checked={includeDeleted} onChange={(e) => setIncludeDeleted(e.target.checked)} /> Deleted ({counts.deleted})
          </label>
        )}
        <input type="search" aria-label="Filter attributes" placeholder="Filter value, type, category, tag" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      {objectUuid !== null && <ObjectBar object={pages.object(objectUuid)} onClose={() => setObjectUuid(null)} />}
      <AttributesTable pages={pages} query={query} withObjects={counts.objects > 0} onSort={(sort, direction) => setOrder({ sort, direction })} onObject={setObjectUuid} />
    </article>
  );
}
