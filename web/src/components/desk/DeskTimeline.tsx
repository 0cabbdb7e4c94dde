import type { Booking, Venue } from '../../api/types';
import { zoneNameAt } from '../../format/zoned-time';
import { DeskBookingRow } from './DeskBookingRow';

/**
 * One venue's day on the desk: its bookings in start order, each a row with its times on the
 * venue's clock (the zone named once, in the heading's hint).
 */
export function DeskTimeline({
  venue,
  bookings,
  dayWords,
  filtered,
  onChanged,
}: {
  venue: Venue;
  bookings: Booking[];
  /** "Tue 8 Dec". */
  dayWords: string;
  /** A state filter is on: an empty day says "none of these" rather than "nothing booked". */
  filtered: boolean;
  onChanged: (decided: boolean) => void;
}) {
  const headingId = `desk-venue-${venue.id}`;
  const zone = zoneNameAt(new Date(), venue.time_zone);
  return (
    <section class="desk-venue" aria-labelledby={headingId}>
      <h2 id={headingId} class="section-heading">
        {venue.name}
      </h2>
      <p class="hint small">
        {bookings.length === 0
          ? filtered
            ? `No booking in this state on ${dayWords}.`
            : `Nothing booked on ${dayWords}.`
          : `${bookings.length === 1 ? '1 booking' : `${bookings.length} bookings`} on ${dayWords}, times in ${zone}.`}
      </p>
      {bookings.length > 0 && (
        <ul class="desk-timeline" aria-labelledby={headingId}>
          {bookings.map((booking) => (
            <DeskBookingRow key={booking.id} booking={booking} venue={venue} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}
