import { withQuery } from '../api/page';
import type { FreeVenue } from '../api/types';
import { clockOf, todayIn, zoneNameAt } from '../format/zoned-time';

type FreeInterval = FreeVenue['free'][number];

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Whether two zones read the same date and time at an instant (another name for the same clock is no news). */
const sameClock = (a: string, b: string, at: Date) =>
  todayIn(a, at) === todayIn(b, at) && clockOf(at, a) === clockOf(at, b);

/**
 * The Book page for the venue (it takes the venue from the path). The date and times ride in the
 * query, so each time is an address of its own; the Book page does not read them yet.
 */
const bookingUrl = (venue: FreeVenue, date: string, interval: FreeInterval) =>
  withQuery(`/venues/${venue.venue_id}`, { date, start_time: interval.start_time, end_time: interval.end_time });

/** One venue the room finder found: what it is, and each free interval as a way to book it. */
export function FindRoomVenueCard({ venue, date }: { venue: FreeVenue; date: string }) {
  const headingId = `free-venue-${venue.venue_id}`;
  const where = [venue.building, venue.floor ? `floor ${venue.floor}` : ''].filter(Boolean).join(', ');
  const firstStart = new Date(venue.free[0]?.starts_at ?? Date.now());
  const otherClock = !sameClock(venue.time_zone, browserZone(), firstStart);

  return (
    <article class="card free-venue" aria-labelledby={headingId}>
      <h3 id={headingId} class="card-title">
        {venue.name}
      </h3>
      <dl class="facts">
        {where && (
          <div>
            <dt>Where</dt>
            <dd>{where}</dd>
          </div>
        )}
        <div>
          <dt>Seats</dt>
          <dd>{venue.capacity ?? 'Not said'}</dd>
        </div>
        <div>
          <dt>Amenities</dt>
          <dd>{venue.amenities.length ? venue.amenities.join(', ') : 'None listed'}</dd>
        </div>
      </dl>
      {otherClock && (
        <p class="hint">
          Times are on the venue's clock: {venue.time_zone} ({zoneNameAt(firstStart, venue.time_zone)}).
        </p>
      )}
      <h4 class="small-heading" id={`${headingId}-free`}>
        Free — choose a time to book it
      </h4>
      <ul class="free-times" aria-labelledby={`${headingId}-free`}>
        {venue.free.map((interval) => (
          <li key={interval.starts_at}>
            <a
              class="button-link"
              href={bookingUrl(venue, date, interval)}
              aria-label={`${interval.start_time}–${interval.end_time}, book ${venue.name}`}
            >
              {interval.start_time}–{interval.end_time}
            </a>
          </li>
        ))}
      </ul>
    </article>
  );
}
