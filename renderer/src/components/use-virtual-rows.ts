/**
 * Fixed-height virtual rows inside a scrolling element, with the padding above and below the rendered window.
 * Shared by every table that may hold thousands of rows.
 */
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import type { RefObject } from 'react';

// Before layout (first paint, a hidden pane, DOM-less test environments) the element measures 0×0; render a first
// screenful rather than nothing.
const NO_LAYOUT_RECT = { width: 1000, height: 600 };

export function useVirtualRows(count: number, scrollRef: RefObject<HTMLDivElement | null>, rowHeight: number, overscan = 12) {
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
    initialRect: NO_LAYOUT_RECT,
    observeElementRect: (instance, cb) => observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : NO_LAYOUT_RECT)),
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return { virtualizer, items, padTop, padBottom };
}
