/**
 * The `rel="next"` target of an RFC 8288 Link header (`<url>; rel="next", ...`), or null. Only a
 * path on this origin is accepted: it is fetched with the access token.
 */
export function nextPageOf(linkHeader: string | null): string | null {
  if (!linkHeader) return null;
  for (const part of linkHeader.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match) continue;
    const rels = /\brel\s*=\s*"?([^";]+)"?/i.exec(match[2]!)?.[1]?.split(/\s+/) ?? [];
    if (!rels.includes('next')) continue;
    const url = new URL(match[1]!, location.origin);
    return url.origin === location.origin ? url.pathname + url.search : null;
  }
  return null;
}
