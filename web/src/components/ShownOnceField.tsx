import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Status } from './Feedback';

export interface ShownOnceFieldProps {
  id: string;
  label: ComponentChildren;
  value: string;
  /** What it is, in the copy's outcome: "the secret", "the link". */
  noun: string;
  /** Why it is shown only now and what to do with it; the field is described by it. */
  note: ComponentChildren;
  /** The copy button's name when "Copy" alone would be ambiguous on the page. */
  copyLabel?: string;
  /** Focus the field as it appears, so it is the next thing read and Copy is one Tab away. */
  focusOnShow?: boolean;
}

/**
 * Something the server makes and sends only once (a signing secret, a private link): a read-only
 * field with a Copy button; without a clipboard the text is selected, to copy by hand.
 */
export function ShownOnceField({ id, label, value, noun, note, copyLabel, focusOnShow = false }: ShownOnceFieldProps) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    if (focusOnShow) field.current?.focus();
    setCopied(null);
  }, [value]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(`Copied ${noun}.`);
    } catch {
      // No clipboard (plain HTTP on another host, or refused).
      field.current?.focus();
      field.current?.select();
      setCopied(`Could not copy: ${noun} is selected, copy it with Ctrl+C or ⌘C.`);
    }
  };

  return (
    <>
      <div class="field">
        <label for={id}>{label}</label>
        <div class="copy-row">
          <input
            ref={field}
            id={id}
            type="text"
            readOnly
            value={value}
            onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
            aria-describedby={`${id}-note`}
          />
          <button type="button" onClick={copy} aria-label={copyLabel}>
            Copy
          </button>
        </div>
      </div>
      <p id={`${id}-note`} class="hint">
        {note}
      </p>
      <Status>{copied}</Status>
    </>
  );
}
