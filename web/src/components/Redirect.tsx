import { useLocation } from 'preact-iso/router';
import { useEffect } from 'preact/hooks';

/** Replaces the current history entry, so Back does not bounce through the redirect. */
export function Redirect({ to }: { to: string }) {
  const { route } = useLocation();
  useEffect(() => route(to, true), [to]);
  return null;
}
