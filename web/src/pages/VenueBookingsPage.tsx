import { useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { fetchPage, withQuery, type Page } from '../api/page';
import type { Booking } from '../api/types';
import { listVenues } from '../api/venues';
import { BookingCard } from '../components/BookingCard';
import { ApprovalRuleForm } from '../components/ApprovalRuleForm';
import { CheckInRuleForm } from '../components/CheckInRuleForm';
import { ErrorAlert } from '../components/Feedback';
import { OlderButton } from '../components/OlderButton';
import { PageHeading } from '../components/PageHeading';
import { VenueNoShows } from '../components/VenueNoShows';
import { isBookingNews, useLiveRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';
import { usePagedList } from '../hooks/use-paged-list';
import { useMe } from '../session/use-me';

/**
 * Per venue the user administers (a super admin: every venue): its upcoming bookings, who was
 * released as a no-show, its check-in rule and whether its staff approve each booking.
 */
export function VenueBookingsPage() {
  const me = useMe();
  const venues = useLoad(listVenues, []);
  const mine = (venues.data ?? []).filter((v) => me.role === 'super_admin' || v.admin_ids.includes(me.id));
  const [chosenId, setChosenId] = useState<number | null>(null);
  const venue = mine.find((v) => v.id === chosenId) ?? mine[0];

  const bookings = usePagedList(
    (limit) => withQuery('/api/bookings', { venue: venue?.id, when: 'upcoming', limit }),
    (url): Promise<Page<Booking>> => (venue ? fetchPage<Booking>(url) : Promise.resolve({ items: [], next: null })),
    [venue?.id],
  );
  useLiveRefetch(isBookingNews, bookings.reload);

  return (
    <>
      <PageHeading title="Venue bookings" />
      <ErrorAlert message={venues.error ? errorMessage(venues.error) : bookings.error} />
      {venues.loading ? (
        <p class="muted">Loading venues…</p>
      ) : !venue ? (
        <p>You do not administer any venue yet.</p>
      ) : (
        <>
          <div class="field inline-field">
            <label for="venue-bookings-venue">Venue</label>
            <select
              id="venue-bookings-venue"
              value={String(venue.id)}
              onChange={(e) => setChosenId(Number((e.currentTarget as HTMLSelectElement).value))}
            >
              {mine.map((v) => (
                <option key={v.id} value={String(v.id)}>
                  {v.name}
                </option>
              ))}
            </select>
          </div>
          <h2>Upcoming at {venue.name}</h2>
          {bookings.loading ? (
            <p class="muted">Loading bookings…</p>
          ) : bookings.items.length === 0 ? (
            <p class="muted">No upcoming bookings at {venue.name}.</p>
          ) : (
            <ul class="card-list">
              {bookings.items.map((booking) => (
                <li key={booking.id}>
                  <BookingCard booking={booking} viewer={me} as="venue" onChanged={bookings.reload} level={3} />
                </li>
              ))}
            </ul>
          )}
          <OlderButton next={bookings.next} busy={bookings.loadingOlder} onClick={bookings.loadOlder} />
          <VenueNoShows key={`no-shows-${venue.id}`} venue={venue} headingId="venue-no-shows-heading" />
          <section aria-labelledby="venue-check-in-heading">
            <h2 id="venue-check-in-heading" class="section-heading">
              Check-in rule
            </h2>
            <div class="card">
              <CheckInRuleForm
                key={`check-in-${venue.id}`}
                venue={venue}
                onSaved={() => {
                  // The rule applies to bookings already made: their windows change with it.
                  venues.reload();
                  bookings.reload();
                }}
              />
            </div>
          </section>
          <section aria-labelledby="venue-approval-heading">
            <h2 id="venue-approval-heading" class="section-heading">
              Approval
            </h2>
            <div class="card">
              <ApprovalRuleForm key={`approval-${venue.id}`} venue={venue} onSaved={venues.reload} />
            </div>
          </section>
        </>
      )}
    </>
  );
}
