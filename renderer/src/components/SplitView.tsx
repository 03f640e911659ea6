/**
 * A list and, when something is open, its detail pane on the right. The separator drags with the mouse or moves with
 * the arrow keys; the pane's width is remembered between runs.
 */
import { useRef, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { isNumber, usePersistentState } from '../app/persistent-state';

const MIN = 280;
const STEP = 32;

export function SplitView({ id, list, detail, detailLabel, defaultWidth = 560, expanded = false, onClose }: {
  /** Names the remembered width. */
  id: string;
  list: ReactNode;
  detail: ReactNode | null;
  detailLabel: string;
  defaultWidth?: number;
  /** The detail takes the whole width; the list stays mounted (its scroll position and focus survive). */
  expanded?: boolean;
  /** Escape inside the detail pane closes it. */
  onClose?: () => void;
}) {
  const [width, setWidth] = usePersistentState(`pane.${id}`, defaultWidth, isNumber);
  const root = useRef<HTMLDivElement>(null);
  const clamp = (w: number) => {
    const max = (root.current?.clientWidth ?? 1600) - MIN;
    return Math.round(Math.max(MIN, Math.min(max > MIN ? max : w, w)));
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const startX = e.clientX;
    const startWidth = width;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (m: globalThis.PointerEvent) => setWidth(clamp(startWidth + (startX - m.clientX)));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowLeft') setWidth(clamp(width + STEP));
    else if (e.key === 'ArrowRight') setWidth(clamp(width - STEP));
    else return;
    e.preventDefault();
  };

  const wide = expanded && detail !== null;
  return (
    <div className={['split', detail !== null ? 'has-detail' : '', wide ? 'expanded' : ''].filter(Boolean).join(' ')} ref={root}>
      <div className="split-list" hidden={wide}>
        {list}
      </div>
      {detail !== null && (
        <>
          <div
            hidden={wide}
            className="split-handle"
            role="separator"
            aria-orientation="vertical"
            aria-label={`Resize ${detailLabel.toLowerCase()}`}
            aria-valuenow={width}
            tabIndex={0}
            onPointerDown={onPointerDown}
            onKeyDown={onKeyDown}
          />
          <aside
            className="split-detail"
            aria-label={detailLabel}
            style={wide ? undefined : { width: `min(${width}px, calc(100% - ${MIN}px))` }}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && onClose && !e.defaultPrevented) {
                e.preventDefault();
                onClose();
              }
            }}
          >
            {detail}
          </aside>
        </>
      )}
    </div>
  );
}
