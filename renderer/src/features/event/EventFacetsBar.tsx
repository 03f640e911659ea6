/**
 * The facets of MISP's event index: creator org, a tag, a date range. Text facets apply on Enter or when the field
 * is left, so the list is not re-queried on every key.
 */
import { useState } from 'react';
import type { EventFacets } from './paged-events';

function TextFacet({ label, value, onCommit }: { label: string; value: string; onCommit: (v: string) => void }) {
  const [typed, setTyped] = useState(value);
  const commit = () => typed !== value && onCommit(typed);
  return (
    <label className="facet">
      {label}
      <input
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        spellCheck={false}
      />
    </label>
  );
}

export function EventFacetsBar({ facets, onChange }: { facets: EventFacets; onChange: (f: EventFacets) => void }) {
  const active = facets.org !== '' || facets.tag !== '' || facets.dateFrom !== '' || facets.dateTo !== '';
  return (
    <div className="toolbar facets" role="group" aria-label="Filter events">
      <TextFacet key={`org:${facets.org}`} label="Org" value={facets.org} onCommit={(org) => onChange({ ...facets, org })} />
      <TextFacet key={`tag:${facets.tag}`} label="Tag" value={facets.tag} onCommit={(tag) => onChange({ ...facets, tag })} />
      <label className="facet">
        From
        <input type="date" value={facets.dateFrom} onChange={(e) => onChange({ ...facets, dateFrom: e.target.value })} />
      </label>
      <label className="facet">
        To
        <input type="date" value={facets.dateTo} onChange={(e) => onChange({ ...facets, dateTo: e.target.value })} />
      </label>
      {active && (
        <button type="button" onClick={() => onChange({ org: '', tag: '', dateFrom: '', dateTo: '' })}>
          Clear filters
        </button>
      )}
    </div>
  );
}
