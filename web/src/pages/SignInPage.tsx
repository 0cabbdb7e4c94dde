import { useLocation } from 'preact-iso/router';
import { useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/api-error';
import { ErrorAlert, Status } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { SingleSignOnLink, useSignInMethods } from '../components/SingleSignOn';
import { safeNext } from '../safe-next';
import { signIn } from '../session/session-lifecycle';
import { sessionStore } from '../session/session-state';
import { useStore } from '../state/use-store';

function refusal(error: unknown): string {
  if (error instanceof ApiError && error.status === 429 && error.retryAfter) {
    const minutes = Math.ceil(error.retryAfter / 60);
    return `${error.message} Try again in ${error.retryAfter < 90 ? `${error.retryAfter} seconds` : `${minutes} minutes`}.`;
  }
  return errorMessage(error);
}

export function SignInPage() {
  const session = useStore(sessionStore);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const methods = useSignInMethods();
  const { query } = useLocation();
  // Why the last session ended (revoked, signed out elsewhere), passed on by the session code.
  const reason = session.phase === 'signed_out' ? session.message : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      // On success the session changes and the app takes the user to the page they wanted.
      await signIn(String(form.get('email') ?? '').trim(), String(form.get('password') ?? ''));
    } catch (failure) {
      setError(refusal(failure));
      setBusy(false);
    }
  };

  const passwordForm = (
    <form onSubmit={submit} class="stack card">
      <div class="field">
        <label for="sign-in-email">Email</label>
        <input id="sign-in-email" name="email" type="email" autocomplete="username" required />
      </div>
      <div class="field">
        <label for="sign-in-password">Password</label>
        <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required />
      </div>
      <ErrorAlert message={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </div>
    </form>
  );

  const sso = methods?.sso;
  return (
    <>
      <PageHeading title="Sign in" />
      <Status class="notice">{reason}</Status>
      {sso && (
        <div class="stack sso-sign-in">
          <SingleSignOnLink sso={sso} next={safeNext(query.next)} />
          {methods.password === 'everyone' && <p class="muted">Or with your email and password:</p>}
        </div>
      )}
      {sso && methods.password === 'break_glass_only' ? (
        // Passwords are for the break-glass account only: the form stays out of the way until asked for.
        <details class="break-glass">
          <summary>Break-glass sign-in</summary>
          <p class="muted">
            Password sign-in is turned off: everyone signs in with {sso.display_name}. Only the break-glass
            administrator account signs in here, when {sso.display_name} cannot be used.
          </p>
          {passwordForm}
        </details>
      ) : (
        passwordForm
      )}
    </>
  );
}
