import { ApiError } from './api-error';
import { urlFor } from './contract';
import { fetchAll, withQuery } from './page';
import type { Booking } from './types';
import { accessToken } from '../session/access-token';
import { refreshAccessToken } from '../session/refresh-access';
import { sessionEnded } from '../session/session-state';

/** What the desk filters on: a booking's state, or what needs the desk now. */
export type DeskFilter = Booking['state'] | 'needs_action';

/**
 * The bookings starting on one local day, in start order, whatever became of them: at one venue,
 * or (no venue) at every venue the caller may see. At most a thousand, which no day holds.
 */
export const listDayBookings = (day: { venue?: number; date: string; state?: DeskFilter }): Promise<Booking[]> =>
  fetchAll<Booking>(
    urlFor('/api/bookings', {
      query: { venue: day.venue, from: day.date, to: day.date, state: day.state, limit: 100 },
    }),
  );

const send = (path: string, token: string | null) =>
  fetch(path, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    credentials: 'same-origin',
    cache: 'no-store',
  });

/** The file name the server gave (`Content-Disposition: attachment; filename="…"`), else `fallback`. */
const fileNameOf = (response: Response, fallback: string) =>
  /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallback;

/**
 * Downloads a file the API answers only with the bearer token (a link could not send it): fetched
 * with the token (refreshed once on a 401, as every call is), then saved from an object URL through
 * a temporary `<a download>`. Answers the file's name; a refusal throws the server's sentence.
 */
export async function downloadWithToken(path: string, fallbackName: string): Promise<string> {
  const sentWith = accessToken();
  let response = await send(path, sentWith);
  if (response.status === 401) {
    const current = accessToken();
    const refreshed = current !== null && current !== sentWith ? current : await refreshedToken();
    response = await send(path, refreshed);
    if (response.status === 401) sessionEnded(null);
  }
  if (!response.ok) {
    const said = await response.json().then(
      (body: { error?: unknown }) => (typeof body.error === 'string' ? body.error : null),
      () => null,
    );
    throw new ApiError(response.status, said ?? `The server answered ${response.status}`);
  }
  const name = fileNameOf(response, fallbackName);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the browser has taken the file (it reads the URL when the click is handled).
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

async function refreshedToken(): Promise<string | null> {
  const outcome = await refreshAccessToken();
  if (outcome.ok) return outcome.access;
  if (outcome.unreachable) throw new TypeError('unreachable');
  sessionEnded(outcome.message);
  throw new ApiError(401, outcome.message ?? 'Your session ended.');
}

/** GET /api/venues/{id}/bookings.csv: a venue's bookings starting from `from` to `to` (its local dates), as CSV. */
export const downloadBookingsCsv = (venueId: number, from: string, to: string) =>
  downloadWithToken(
    withQuery(`/api/venues/${venueId}/bookings.csv`, { from, to }),
    `venue-${venueId}-bookings-${from}-to-${to}.csv`,
  );
