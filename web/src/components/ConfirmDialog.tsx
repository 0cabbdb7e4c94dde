import type { ComponentChildren } from 'preact';
import { ModalDialog } from './ModalDialog';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  children?: ComponentChildren;
}

/** Asks before something that cannot be undone; the safe answer has focus first. */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onClose,
  children,
}: ConfirmDialogProps) {
  return (
    <ModalDialog open={open} title={title} onClose={onClose}>
      {children}
      <div class="actions">
        <button
          type="button"
          class="danger"
          onClick={() => {
            onConfirm();
            onClose();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" autofocus onClick={onClose}>
          {cancelLabel}
        </button>
      </div>
    </ModalDialog>
  );
}
