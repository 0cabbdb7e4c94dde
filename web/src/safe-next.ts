/**
 * The page to return to after sign-in, from `?next=`: only a path of this app, never another site
 * (`//host`, `/\host`, `https://…`), so a crafted sign-in link cannot send the user elsewhere.
 * Without one, the home page, which sends each role where its work is.
 */
export function safeNext(next: string | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/sign-in') || next.startsWith('/api/')) return fallback;
  return next;
}

export const signInUrlFor = (wanted: string) =>
  wanted === '/' || wanted.startsWith('/sign-in') ? '/sign-in' : `/sign-in?next=${encodeURIComponent(wanted)}`;
