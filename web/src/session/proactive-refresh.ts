import { accessTokenStore, lifetimeOf } from './access-token';
import { refreshAccessToken } from './refresh-access';
import { sessionEnded } from './session-state';

/** Renew this long before the token expires, so no call goes out with a stale one. */
const AHEAD_MS = 60_000;
/** Never sooner than this after a token arrives, whatever its claims say: no refresh loop. */
const MIN_DELAY_MS = 10_000;
const RETRY_UNREACHABLE_MS = 15_000;

let timer: ReturnType<typeof setTimeout> | undefined;

function schedule(delay: number): void {
  clearTimeout(timer);
  timer = setTimeout(renew, Math.max(delay, MIN_DELAY_MS));
}

async function renew(): Promise<void> {
  if (!accessTokenStore.get()) return;
  const outcome = await refreshAccessToken();
  if (outcome.ok) return; // the new token reschedules through the store
  if (outcome.unreachable) schedule(RETRY_UNREACHABLE_MS);
  else sessionEnded(outcome.message);
}

/** Keeps the in-memory access token fresh from its `exp` claim for as long as there is one. */
export function keepAccessTokenFresh(): () => void {
  const onChange = () => {
    const token = accessTokenStore.get();
    const lifetime = token ? lifetimeOf(token) : null;
    if (lifetime === null) clearTimeout(timer);
    else schedule(Math.max(lifetime - AHEAD_MS, lifetime / 2));
  };
  onChange();
  const unsubscribe = accessTokenStore.subscribe(onChange);
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}
