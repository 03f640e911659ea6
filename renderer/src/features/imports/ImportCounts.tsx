/** The numbers of an import: per outcome for a fetch, values indexed for a cache. */
import type { ImportMode, ImportReport } from '../../app/types';

type Counts = ImportReport['counts'];

interface Count {
  readonly label: string;
  readonly value: number;
  readonly tone?: 'good' | 'warn' | 'bad';
}

function countsFor(mode: ImportMode, c: Counts): Count[] {
  switch (mode) {
    case 'fetch':
      return [
        { label: 'Selected', value: c.selected },
        { label: 'Added', value: c.added, tone: 'good' },
        { label: 'Updated', value: c.updated, tone: 'good' },
        { label: 'Unchanged', value: c.unchanged },
        { label: 'Filtered', value: c.filtered },
        { label: 'Rejected', value: c.rejected, tone: 'bad' },
        { label: 'Conflicts', value: c.conflicts, tone: 'warn' },
        { label: 'Attributes', value: c.attributes },
      ];
    case 'cache':
      return [
        { label: 'Events', value: c.selected },
        { label: 'Cached values', value: c.cachedValues, tone: 'good' },
      ];
    default: {
      const exhaustive: never = mode;
      return exhaustive;
    }
  }
}

export function ImportCounts({ mode, counts }: { mode: ImportMode; counts: Counts }) {
  return (
    <dl className="counts" aria-label="Import counts">
      {countsFor(mode, counts).map((c) => (
        <div key={c.label} className={c.value > 0 && c.tone ? `count ${c.tone}` : 'count'}>
          <dt>{c.label}</dt>
          <dd data-testid={`count-${c.label.toLowerCase().replace(/ /g, '-')}`}>{c.value.toLocaleString('en')}</dd>
        </div>
      ))}
    </dl>
  );
}
