import type { Issue } from '../../../shared/feed/issues';

/** Problems found in a source, worst first, each naming where it is. */
export function IssueList({ issues, limit = 50 }: { issues: readonly Issue[]; limit?: number }) {
  if (issues.length === 0) return null;
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...issues].sort((a, b) => rank[a.severity] - rank[b.severity]);
  return (
    <details className="issues" open={issues.some((i) => i.severity === 'error')}>
      <summary>
        {issues.length} problem{issues.length === 1 ? '' : 's'} found
      </summary>
      <ul>
        {sorted.slice(0, limit).map((i, n) => (
          <li key={n} className={`issue issue-${i.severity}`}>
            <span className="issue-severity">{i.severity}</span> <code>{i.path}</code> {i.message}
          </li>
        ))}
        {sorted.length > limit && <li>… and {sorted.length - limit} more</li>}
      </ul>
    </details>
  );
}
