import { useEffect, useRef, useState } from 'preact/hooks';
import { unreadCountStore } from '../live/live-state';
import { useStore } from '../state/use-store';
import { RecentNotifications } from './RecentNotifications';

/**
 * The bell: the unread count exactly as the stream says it, and a disclosure panel of the newest
 * notifications. Escape or a click elsewhere closes it; Escape returns focus to the bell.
 */
export function NotificationBell() {
  const count = useStore(unreadCountStore) ?? 0;
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const onFocusOut = (event: FocusEvent) => {
    const next = event.relatedTarget as Node | null;
    if (next && !root.current?.contains(next)) setOpen(false);
  };

  return (
    <div class="bell" ref={root} onFocusOut={onFocusOut}>
      <button
        ref={button}
        type="button"
        class="bell-button"
        aria-label={`Notifications, ${count} unread`}
        aria-expanded={open}
        aria-controls="bell-panel"
        onClick={() => setOpen(!open)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" class="bell-icon">
          <path d="M12 2a6 6 0 0 0-6 6v3.6l-1.7 3.4A1 1 0 0 0 5.2 16.5h13.6a1 1 0 0 0 .9-1.5L18 11.6V8a6 6 0 0 0-6-6zm0 20a3 3 0 0 0 2.8-2H9.2A3 3 0 0 0 12 22z" />
        </svg>
        <span class="badge" aria-hidden="true" hidden={count === 0}>
          {count}
        </span>
      </button>
      <div id="bell-panel" class="bell-panel" hidden={!open}>
        <h2 class="bell-heading">Recent notifications</h2>
        {open && <RecentNotifications onChosen={() => setOpen(false)} />}
        <p class="bell-footer">
          <a href="/notifications" onClick={() => setOpen(false)}>
            See all
          </a>
        </p>
      </div>
    </div>
  );
}
