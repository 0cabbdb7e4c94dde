import { createStore } from './store';
import { UNDO_MS } from './undo-window';

// Short answers to what a person just did, shown in one place on every page and read out by
// screen readers (the Toasts region is a live region), each gone after a few seconds. An action
// that can be taken back waits those seconds before it is sent, with Undo beside it.

export interface Toast {
  id: number;
  message: string;
  tone: 'info' | 'error';
  /** Undo (or another way back), named for screen readers with what it undoes. */
  action?: { label: string; name: string; run: () => void };
  /** Focus moves to the action when the toast appears (the answer to a dialog just closed). */
  focus?: boolean;
}

export const toastStore = createStore<Toast[]>([]);

/**
 * The action of the newest toast that asked for focus, while it is shown: a dialog that closes
 * with such a toast (a cancel waiting for Undo) returns focus there instead of to its opener.
 */
export const toastActionToFocus: { current: HTMLElement | null } = { current: null };

let next = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export function dismissToast(id: number): void {
  clearTimeout(timers.get(id));
  timers.delete(id);
  toastStore.set(toastStore.get().filter((toast) => toast.id !== id));
}

/** Shows a toast for `ms` (errors stay until dismissed); returns its id. */
export function showToast(toast: Omit<Toast, 'id'>, ms = 6_000): number {
  const id = next++;
  toastStore.set([...toastStore.get().slice(-2), { ...toast, id }]);
  if (toast.tone !== 'error')
    timers.set(
      id,
      setTimeout(() => dismissToast(id), ms),
    );
  return id;
}

const pending = new Set<() => void>();
let flushing = false;
function flushOnLeave() {
  if (flushing) return;
  flushing = true;
  // Leaving the page (closing the tab, reloading) sends what waits at once, rather than drop it.
  window.addEventListener('pagehide', () => {
    for (const send of [...pending]) send();
  });
}

/**
 * Does `act` after UNDO_MS unless Undo is pressed: `waiting` says what is about to happen,
 * `undone` what Undo kept. `act` runs once, whether by the timer or by leaving the page.
 */
export function withUndo({
  waiting,
  undoName,
  undone,
  act,
}: {
  waiting: string;
  undoName: string;
  undone: string;
  act: (leaving: boolean) => void;
}): void {
  flushOnLeave();
  let toastId = 0;
  const send = (leaving: boolean) => {
    if (!pending.delete(sendNow)) return;
    clearTimeout(timer);
    dismissToast(toastId);
    act(leaving);
  };
  const sendNow = () => send(true);
  pending.add(sendNow);
  const timer = setTimeout(() => send(false), UNDO_MS);
  toastId = showToast(
    {
      message: waiting,
      tone: 'info',
      focus: true,
      action: {
        label: 'Undo',
        name: undoName,
        run: () => {
          if (!pending.delete(sendNow)) return;
          clearTimeout(timer);
          dismissToast(toastId);
          showToast({ message: undone, tone: 'info' });
        },
      },
    },
    UNDO_MS + 1_000,
  );
}
