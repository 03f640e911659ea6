/** Issues with where they are: severity, the file, the place inside it (JSON pointer or line), and what is wrong. */
import type { Issue } from '../../../../shared/feed/issues';
import { splitIssuePath } from '../../components/format';

const RANK = { error: 0, warning: 1, info: 2 } as const;

export function IssueTable({ issues, label, limit = 500 }: { issues: readonly Issue[]; label: string; limit?: number }) {
  if (issues.length === 0) return null;
  const sorted = [...issues].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const places = sorted.map((i) => splitIssuePath(i.path));
  // Issues about whole files (manifest.json) have no place inside: no empty column then.
  const withPath = places.some((p) => p.pointer !== '');
  return (
    <div className="issue-table-wrap">
      <table className={withPath ? 'issue-table' : 'issue-table no-path'} aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">File</th>
            {withPath && <th scope="col">Path</th>}
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, limit).map((issue, n) => {
            const where = places[n]!;
            return (
              <tr key={n} className={`issue-${issue.severity}`}>
                <td className="issue-severity">{issue.severity}</td>
                <td className="mono" title={where.file}>
                  {where.file}
                </td>
                {withPath && (
                  <td className="mono" title={where.pointer}>
                    {where.pointer}
                  </td>
                )}
                <td title={issue.code}>{issue.message}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {sorted.length > limit && <p className="muted">… and {sorted.length - limit} more</p>}
    </div>
  );
}
