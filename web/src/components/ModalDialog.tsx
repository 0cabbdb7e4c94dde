import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

export interface ModalDialogProps {
  open: boolean;
  title: string;
  /** Escape, or the dialog closed any other way. */
  onClose: () => void;
  /**
   * Where focus goes when it closes, when not back to what opened it: an action that removes its
   * own button (cancelling a date) names a place that stays. Asked when the dialog closes.
   */
  returnFocus?: () => HTMLElement | null;
  children: ComponentChildren;
}

/**
 * A native modal `<dialog>`: showModal() makes the rest of the page inert, so focus stays inside,
 * and Escape closes it. It is labelled by its heading; focus returns to what opened it.
 */
export function ModalDialog({ open, title, onClose, returnFocus, children }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const headingId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      opener.current = document.activeElement;
      element.showModal();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  useEffect(() => {
    const element = dialog.current;
    return () => {
      if (element?.open) element.close();
    };
  }, []);

  const closed = () => {
    const back = returnFocus?.() ?? opener.current;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
    onClose();
  };

  return (
    <dialog ref={dialog} aria-labelledby={headingId} class="dialog" onClose={closed}>
      <h2 id={headingId}>{title}</h2>
      {open && children}
    </dialog>
  );
}
