import { useEffect, useRef } from 'preact/hooks';
import { dismissToast, type Toast, toastActionToFocus, toastStore } from '../state/toasts';
import { useStore } from '../state/use-store';

function ToastItem({ toast }: { toast: Toast }) {
  const action = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!toast.focus || !action.current) return;
    const element = action.current;
    toastActionToFocus.current = element;
    element.focus();
    return () => {
      if (toastActionToFocus.current === element) toastActionToFocus.current = null;
    };
  }, []);
  return (
    <li class={`toast ${toast.tone}`}>
      <span>{toast.message}</span>
      {toast.action && (
        <button type="button" ref={action} aria-label={toast.action.name} onClick={toast.action.run}>
          {toast.action.label}
        </button>
      )}
      <button type="button" class="toast-close" aria-label="Dismiss" onClick={() => dismissToast(toast.id)}>
        ×
      </button>
    </li>
  );
}

/**
 * Where toasts appear, on every signed-in page: two live regions that are always there (so screen
 * readers announce what arrives), polite for answers and assertive for errors.
 */
export function Toasts() {
  const toasts = useStore(toastStore);
  return (
    <div class="toasts">
      {(['info', 'error'] as const).map((tone) => {
        const shown = toasts.filter((toast) => toast.tone === tone);
        const list = (
          <ul class="plain-list">
            {shown.map((toast) => (
              <ToastItem key={toast.id} toast={toast} />
            ))}
          </ul>
        );
        return tone === 'info' ? (
          <div key={tone} role="status" aria-live="polite">
            {shown.length > 0 && list}
          </div>
        ) : (
          <div key={tone} role="alert">
            {shown.length > 0 && list}
          </div>
        );
      })}
    </div>
  );
}
