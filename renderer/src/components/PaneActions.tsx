/** The buttons at the top right of a detail pane: take the whole width (or give it back), close. */
export function PaneActions({ what, expanded, onExpand, onClose }: { what: string; expanded?: boolean; onExpand?: () => void; onClose: () => void }) {
  return (
    <span className="pane-actions">
      {onExpand && (
        <button type="button" className="icon" aria-pressed={expanded} aria-label={`Full width ${what}`} title={expanded ? 'Show the list again' : 'Use the whole width'} onClick={onExpand}>
          {expanded ? '⇥' : '⇤'}
        </button>
      )}
      <button type="button" className="icon" aria-label={`Close ${what}`} title="Close (Esc)" onClick={onClose}>
        ×
      </button>
    </span>
  );
}
