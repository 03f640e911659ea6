/**
 * Step 2: the manifest's events, searchable; tick the ones to fetch (select all / none act on the rows shown) and
 * open any of them read-only in the pane.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import type { PreviewEvent } from '../../app/types';
import { SplitView } from '../../components/SplitView';
import { ManifestEventsTable, withShown, withoutShown } from './ManifestEventsTable';
import { PreviewEventPane } from './PreviewEventPane';
import { useWizard } from './wizard-state';

function matches(e: PreviewEvent, needle: string): boolean {
  if (needle === '') return true;
  return (
    e.info.toLowerCase().includes(needle) ||
    e.date.includes(needle) ||
    (e.orgName ?? '').toLowerCase().includes(needle) ||
    e.uuid.includes(needle) ||
    e.tags.some((t) => t.name.toLowerCase().includes(needle))
  );
}

export function PreviewStep() {
  const wizard = useWizard();
  const { preview, search, selected, openedEvent } = wizard.state;
  const [expanded, setExpanded] = useState(false);
  const needle = useDeferredValue(search.trim().toLowerCase());
  const all = useMemo(() => preview?.events ?? [], [preview]);
  const shown = useMemo(() => all.filter((e) => matches(e, needle)), [all, needle]);
  if (!preview) return null;
  const shownText = shown.length === all.length ? `${shown.length} shown` : `${shown.length} of ${all.length} shown`;

  return (
    <div className="wizard-step fill">
      <div className="toolbar">
        <input
          type="search"
          data-search
          aria-label="Search feed events"
          placeholder="Filter by info, date, org, tag or uuid"
          value={search}
          onChange={(e) => wizard.setSearch(e.target.value)}
        />
        <button type="button" onClick={() => wizard.setSelected(withShown(selected, shown))}>
          Select all shown
        </button>
        <button type="button" onClick={() => wizard.setSelected(withoutShown(selected, shown))}>
          Select none
        </button>
        <span className="muted" aria-live="polite">
          <span data-testid="shown-count">{shownText}</span> · <strong data-testid="selected-count">{selected.size}</strong> selected
        </span>
      </div>
      <SplitView
        id="wizard-event"
        detailLabel="Event preview"
        defaultWidth={760}
        list={<ManifestEventsTable events={shown} selected={selected} onSelect={wizard.setSelected} openedUuid={openedEvent} onOpen={(e) => wizard.openEvent(e.uuid)} />}
        expanded={expanded}
        onClose={() => wizard.openEvent(null)}
        detail={
          openedEvent ? (
            <PreviewEventPane
              key={openedEvent}
              source={preview.source.path}
              uuid={openedEvent}
              expanded={expanded}
              onExpand={() => setExpanded(!expanded)}
              onClose={() => wizard.openEvent(null)}
            />
          ) : null
        }
      />
      <div className="form-actions">
        <button type="button" onClick={() => wizard.goTo('source')}>
          Back
        </button>
        <button type="button" className="primary" onClick={() => wizard.goTo('destination')}>
          Next: fetch or cache
        </button>
      </div>
    </div>
  );
}
