import { useEffect, useState } from 'preact/hooks';
import { fetchSignInMethods } from '../api/auth';
import type { SignInMethods } from '../api/types';

/** Asked once per page load: the server's settings change only with a restart. */
let asked: Promise<SignInMethods | null> | undefined;

/**
 * How one signs in here (GET /api/auth/methods): undefined while asking, null when the server
 * could not say (the password form is offered then, as before single sign-on existed).
 */
export function useSignInMethods(): SignInMethods | null | undefined {
  const [methods, setMethods] = useState<SignInMethods | null | undefined>(undefined);
  useEffect(() => {
    let current = true;
    asked ??= fetchSignInMethods().catch(() => {
      asked = undefined;
      return null;
    });
    void asked.then((answer) => {
      if (current) setMethods(answer);
    });
    return () => {
      current = false;
    };
  }, []);
  return methods;
}

/**
 * "Sign in with <provider>": a link (a whole-page navigation) to the server's start route, which
 * sends the browser to the identity provider and, once back, to `next`.
 */
export function SingleSignOnLink({ sso, next }: { sso: NonNullable<SignInMethods['sso']>; next: string }) {
  const href = next === '/' ? sso.start_url : `${sso.start_url}?next=${encodeURIComponent(next)}`;
  return (
    <a class="button-link primary sso-link" href={href}>
      Sign in with {sso.display_name}
    </a>
  );
}
