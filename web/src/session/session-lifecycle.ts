import { changePassword, fetchMe, login, logout } from '../api/auth';
import { stopLiveStream } from '../live/notification-stream';
import { setAccessToken } from './access-token';
import { refreshAccessToken } from './refresh-access';
import { sessionEnded, signedInAs, signedOut } from './session-state';

const UNREACHABLE =
  'BookIT could not reach the server to restore your session. Check your connection and sign in again.';

/** Set beside the refresh cookie (which page script cannot read): a session may be there to resume. */
const mayHaveSession = () => typeof document !== 'undefined' && /(?:^|;\s*)bookit_session=/.test(document.cookie);

/** On app load: the refresh cookie, if there is a live one, becomes an access token and the user. */
export async function resumeSession(): Promise<void> {
  // A first visit, or after signing out: nothing to resume, and no request that must fail.
  if (!mayHaveSession()) {
    signedOut(null);
    return;
  }
  const outcome = await refreshAccessToken();
  if (!outcome.ok) {
    if (outcome.unreachable) signedOut(UNREACHABLE);
    // No cookie is a first visit (no message); a revoked one is worth explaining.
    else if (outcome.message && /ended|revoked|copied|already used/i.test(outcome.message))
      sessionEnded(outcome.message);
    else signedOut(null);
    return;
  }
  try {
    signedInAs(await fetchMe());
  } catch {
    signedOut(UNREACHABLE);
  }
}

/** Throws the server's refusal (401 wrong credentials, 429 with retryAfter) for the form to show. */
export async function signIn(email: string, password: string): Promise<void> {
  const { access } = await login(email, password);
  setAccessToken(access);
  signedInAs(await fetchMe());
}

/**
 * Ends every session of the user, here and elsewhere; the stream goes first so it does not report
 * it. A session that began with single sign-on ends at the identity provider too: the browser goes
 * there (the server names the page), and the provider sends it back to sign-in.
 */
export async function signOut(): Promise<void> {
  stopLiveStream();
  let endSessionUrl: string | undefined;
  try {
    endSessionUrl = (await logout()).end_session_url;
  } catch {
    // Forgetting the token here is what matters to this tab; the cookie dies with the server's session.
  } finally {
    signedOut(null);
  }
  if (endSessionUrl) window.location.assign(endSessionUrl);
}

/**
 * Changing the password ends every other session, and with them this tab's stream (it would hear
 * `session_ended`): so the stream stops first and restarts with the new session's token.
 */
export async function changeOwnPassword(oldPassword: string, newPassword: string): Promise<string> {
  stopLiveStream();
  try {
    const { message, access } = await changePassword(oldPassword, newPassword);
    setAccessToken(access);
    return message;
  } finally {
    // Also after a refusal: the stream restarts (and must_change_password is read afresh) either way.
    try {
      signedInAs(await fetchMe());
    } catch {
      // A 401 has already ended the session; anything else leaves the old state, which is still right.
    }
  }
}
