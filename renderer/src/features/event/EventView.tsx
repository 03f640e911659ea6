/**
 * One event in MISP's anatomy: header fields, tags, then the attribute table with objects as grouped rows. Used for
 * stored events (events.get) and, read-only, for events inside a feed being previewed (feeds.previewEvent).
 */
import { useState, type ReactNode } from 'react';
import { ANALYSIS_LABELS, THREAT_LEVEL_LABELS, isAnalysis, isThreatLevel } from '../../../../shared/model/levels';
import type { EventView as EventViewData } from '../../app/types';
import { CopyButton } from '../../components/CopyButton';
import { IssueList } from '../../components/IssueList';
import { TagChip } from '../../components/TagChip';
import { distributionLabel, formatTime } from '../../components/format';
import { AttributesTable } from './AttributesTable';
import { countAttributes } from './attribute-lines';

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

export function EventView({ event, preview = false, actions }: {
  event: EventViewData;
  /** Read-only look inside a feed: no origin feed yet, the reader's issues shown. */
  preview?: boolean;
  actions?: ReactNode;
}) {
  const [filter, setFilter] = useState('');
  const total = countAttributes(event);
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
          Attributes <span className="muted">{total}</span>
          {event.objects.length > 0 && (
            <>
              {' '}
              · Objects <span className="muted">{event.objects.length}</span>
            </>
          )}
        </h3>
        <input type="search" aria-label="Filter attributes" placeholder="Filter value, type, category, tag" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <AttributesTable event={event} filter={filter} />
    </article>
  );
}
