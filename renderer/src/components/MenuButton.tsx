/**
 * A button that opens a small menu of commands (row actions). Arrow keys move through the items, Enter runs one,
 * Escape closes and gives the focus back to the button.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuItem {
  readonly label: string;
  readonly run: () => void;
  readonly disabled?: boolean;
  readonly danger?: boolean;
  /** Shown on hover: why it is disabled, or what it does. */
  readonly hint?: string;
}

export function MenuButton({ label, text = '⋯', items }: { label: string; text?: string; items: readonly MenuItem[] }) {
  // Fixed to the viewport: a menu inside a table cell would otherwise be clipped by the cell and the scroller.
  const [open, setOpen] = useState<{ top: number; right: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const close = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && e.target !== button.current) setOpen(null);
    };
    const closeOnScroll = (e: Event) => {
      if (!menu.current?.contains(e.target as Node)) setOpen(null);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('scroll', closeOnScroll, true);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('scroll', closeOnScroll, true);
    };
  }, [open]);

  const onMenuKeyDown = (e: KeyboardEvent) => {
    const buttons = [...(menu.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const focus = (i: number) => buttons[(i + buttons.length) % buttons.length]?.focus();
    switch (e.key) {
      case 'ArrowDown':
        focus(at + 1);
        break;
      case 'ArrowUp':
        focus(at - 1);
        break;
      case 'Home':
        focus(0);
        break;
      case 'End':
        focus(buttons.length - 1);
        break;
      case 'Escape':
      case 'Tab':
        setOpen(null);
        button.current?.focus();
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  const place = () => {
    const r = button.current?.getBoundingClientRect();
    return { top: (r?.bottom ?? 0) + 2, right: Math.max(4, window.innerWidth - (r?.right ?? 0)) };
  };

  return (
    <span className="menu-anchor">
      <button
        ref={button}
        type="button"
        className="menu-button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen(open ? null : place())}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            e.stopPropagation();
            setOpen(place());
          }
        }}
      >
        {text}
      </button>
      {open && (
        <ul className="menu" role="menu" id={id} aria-label={label} ref={menu} onKeyDown={onMenuKeyDown} style={open}>
          {items.map((item) => (
            <li key={item.label} role="none">
              <button
                type="button"
                role="menuitem"
                className={item.danger ? 'danger' : undefined}
                disabled={item.disabled}
                title={item.hint}
                onClick={() => {
                  setOpen(null);
                  // Back on the button, so the keyboard user is where they were (a form may take the focus next).
                  button.current?.focus();
                  item.run();
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
