import { useLocation } from 'preact-iso/router';
import { useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { ErrorAlert, Status } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { safeNext } from '../safe-next';
import { changeOwnPassword } from '../session/session-lifecycle';
import { useMe } from '../session/use-me';

const MIN_LENGTH = 12;

export function ChangePasswordPage() {
  const me = useMe();
  const { query, route } = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const current = String(form.get('current') ?? '');
    const next = String(form.get('new') ?? '');
    const repeated = String(form.get('repeat') ?? '');
    setStatus(null);
    if (next.length < MIN_LENGTH) return setError(`The new password must be at least ${MIN_LENGTH} characters long.`);
    if (next !== repeated) return setError('The two new passwords differ. Type the same one twice.');
    setBusy(true);
    setError(null);
    try {
      const message = await changeOwnPassword(current, next);
      formElement.reset();
      if (query.next) route(safeNext(query.next));
      else setStatus(`${message}. You were signed out everywhere else.`);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="narrow">
      <PageHeading title="Choose a new password" />
      {me.must_change_password ? (
        <p>You signed in with an emailed password. Choose one of your own to go on.</p>
      ) : (
        <p class="hint">
          Your other sessions end, and your calendar feed links stop working: make new ones in Settings afterwards.
        </p>
      )}
      <form onSubmit={submit} class="stack card" noValidate>
        <div class="field">
          <label for="password-current">Current password</label>
          <input id="password-current" name="current" type="password" autocomplete="current-password" required />
        </div>
        <div class="field">
          <label for="password-new">New password</label>
          <input
            id="password-new"
            name="new"
            type="password"
            autocomplete="new-password"
            required
            minLength={MIN_LENGTH}
            aria-describedby="password-rule"
          />
          <p id="password-rule" class="hint">
            At least {MIN_LENGTH} characters.
          </p>
        </div>
        <div class="field">
          <label for="password-repeat">Repeat new password</label>
          <input
            id="password-repeat"
            name="repeat"
            type="password"
            autocomplete="new-password"
            required
            minLength={MIN_LENGTH}
          />
        </div>
        <ErrorAlert message={error} />
        <Status>{status}</Status>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Change password
          </button>
        </div>
      </form>
    </div>
  );
}
