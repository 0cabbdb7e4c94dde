import { useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';

export interface FormSubmit {
  busy: boolean;
  /** What the last sending did, in a sentence (null when the caller shows it another way). */
  done: string | null;
  error: string | null;
  onSubmit: (event: Event) => Promise<void>;
}

/**
 * A form sent to the server: `send` reads the fields and answers a sentence; the form is emptied once
 * it went through, and keeps what was typed when it did not. `send` throws to refuse (the error is shown).
 */
export function useFormSubmit(send: (form: FormData) => Promise<string | null>): FormSubmit {
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    setBusy(true);
    setDone(null);
    setError(null);
    try {
      setDone(await send(new FormData(formElement)));
      formElement.reset();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return { busy, done, error, onSubmit };
}

/** A field's text, trimmed ('' when absent). */
export const textOf = (form: FormData, name: string): string => String(form.get(name) ?? '').trim();
