import type { ComponentChildren } from 'preact';

/**
 * A polite live region. It is rendered even when empty, because screen readers announce changes to
 * a region that is already on the page more reliably than a region that appears with its text.
 */
export function Status({ children, class: extra }: { children?: ComponentChildren; class?: string }) {
  return (
    <div role="status" aria-live="polite" class={`status ${extra ?? ''}`}>
      {children}
    </div>
  );
}

/** An error the user must hear now. */
export function ErrorAlert({ message }: { message: string | null | undefined }) {
  return (
    <div role="alert" class="error">
      {message ?? ''}
    </div>
  );
}
