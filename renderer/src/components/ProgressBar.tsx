/** A determinate bar when the total is known, an indeterminate one while it is not. */
export function ProgressBar({ label, done, total, compact = false }: { label: string; done: number; total: number | null; compact?: boolean }) {
  const known = total !== null && total > 0;
  const percent = known ? Math.min(100, (done / total) * 100) : 0;
  return (
    <div
      className={`progress${compact ? ' compact' : ''}${known ? '' : ' indeterminate'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? total : undefined}
      aria-valuenow={known ? done : undefined}
      aria-valuetext={known ? `${done} of ${total}` : 'working'}
    >
      <div className="progress-fill" style={known ? { width: `${percent}%` } : undefined} />
    </div>
  );
}
