import type { Booking, Me } from '../api/types';
import { bookingSlot, bookingState } from '../format/booking-state';
import { checkedInWords, checkInWindowWords } from '../format/check-in';
import { BookingActions } from './BookingActions';

export interface BookingCardProps {
  booking: Booking;
  viewer: Me;
  as: 'owner' | 'venue';
  onChanged: () => void;
  /** The event name as a heading linking to the booking; off on the booking's own page, whose h1 it is. */
  titled?: boolean;
  /** The title's heading level: 2 in a page's main list, 3 under a section's h2. */
  level?: 2 | 3;
}

const STATE_CLASS: Record<Booking['status'], string> = {
  active: 'state-active',
  cancelled: 'state-cancelled',
  completed: 'state-completed',
};

/** A booking's facts in words (slot in the venue's zone, state) and what the viewer may do with it. */
export function BookingCard({ booking, viewer, as, onChanged, titled = true, level = 2 }: BookingCardProps) {
  const Heading = level === 2 ? 'h2' : 'h3';
  // Checked in (whatever became of the booking since), or the window while it may still be used.
  const checkIn = checkedInWords(booking) ?? (booking.status === 'active' ? checkInWindowWords(booking) : null);
  const booker = booking.user_name || `User #${booking.user}`;
  return (
    <div class="card">
      {titled && (
        <Heading class="card-title">
          <a href={`/bookings/${booking.id}`}>{booking.event_name}</a>
        </Heading>
      )}
      <dl class="facts">
        <div>
          <dt>Venue</dt>
          <dd>{booking.venue_name}</dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>{bookingSlot(booking)}</dd>
        </div>
        {as === 'venue' && (
          <div>
            <dt>Booked by</dt>
            <dd>{booking.user === viewer.id ? 'You' : booker}</dd>
          </div>
        )}
        <div>
          <dt>State</dt>
          <dd
            class={`${STATE_CLASS[booking.status]}${booking.status === 'active' && !booking.confirmed ? ' state-pending' : ''}`}
          >
            {bookingState(booking, viewer.id)}
          </dd>
        </div>
        {booking.approval_status === 'approved' && (
          <div>
            <dt>Approval</dt>
            <dd>
              {booking.approval_decided_by
                ? `Approved by ${booking.venue_name}'s staff`
                : 'Approved automatically: not decided in time'}
            </dd>
          </div>
        )}
        {booking.series_id ? (
          <div>
            <dt>Repeats</dt>
            <dd>
              <a href={`/series/${booking.series_id}`}>All dates of this repeating booking</a>
            </dd>
          </div>
        ) : null}
        {booking.event_details && (
          <div>
            <dt>Details</dt>
            <dd class="pre-line">{booking.event_details}</dd>
          </div>
        )}
      </dl>
      {checkIn && <p class={booking.checked_in_at ? 'check-in done' : 'check-in'}>{checkIn}</p>}
      <BookingActions booking={booking} viewer={viewer} as={as} onChanged={onChanged} inList={titled} />
    </div>
  );
}
