import { useLocation } from 'preact-iso/router';
import { bookingsUrl, type BookingsWhen } from '../api/bookings';
import type { Booking } from '../api/types';
import { BookingCard } from '../components/BookingCard';
import { ErrorAlert } from '../components/Feedback';
import { OlderButton } from '../components/OlderButton';
import { PageHeading } from '../components/PageHeading';
import { isBookingNews, useLiveRefetch } from '../hooks/use-live-refetch';
import { usePagedList } from '../hooks/use-paged-list';
import { fetchPage } from '../api/page';
import { useMe } from '../session/use-me';
import { agendaGroups } from '../format/agenda';

const TABS: Array<[BookingsWhen, string]> = [
  ['upcoming', 'Upcoming'],
  ['past', 'Past'],
];

const agendaId = (name: string) => `agenda-${name.toLowerCase().replace(/\s+/g, '-')}`;

export function MyBookingsPage() {
  const me = useMe();
  const { query } = useLocation();
  const when: BookingsWhen = query.when === 'past' ? 'past' : 'upcoming';
  // mine: admins would otherwise get their venues' bookings too; this page is the user's own.
  // Upcoming is an agenda, soonest first (the API's order for it), in Today, Tomorrow, This week, Later.
  const bookings = usePagedList((limit) => bookingsUrl({ when, mine: true, limit }), fetchPage<Booking>, [when]);
  useLiveRefetch(isBookingNews, bookings.reload);
  const mine = bookings.items;
  const card = (booking: Booking, level: 3) => (
    <li key={booking.id}>
      <BookingCard booking={booking} viewer={me} as="owner" onChanged={bookings.reload} level={level} />
    </li>
  );

  return (
    <>
      <PageHeading title="My bookings" />
      <nav aria-label="Which bookings" class="tabs">
        <ul>
          {TABS.map(([value, label]) => (
            <li key={value}>
              <a
                href={value === 'upcoming' ? '/bookings' : '/bookings?when=past'}
                aria-current={when === value ? 'page' : undefined}
              >
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {when === 'past' && <h2 class="visually-hidden">Past</h2>}
      <ErrorAlert message={bookings.error} />
      {bookings.loading ? (
        <p class="muted">Loading bookings…</p>
      ) : mine.length === 0 && !bookings.next ? (
        <p class="muted">
          {when === 'past' ? 'No past bookings.' : 'No upcoming bookings. '}
          {when === 'upcoming' && <a href="/book">Book a venue</a>}
        </p>
      ) : when === 'past' ? (
        <ul class="card-list">{mine.map((booking) => card(booking, 3))}</ul>
      ) : (
        agendaGroups(mine).map((group) => (
          <section key={group.name} class="agenda-group" aria-labelledby={agendaId(group.name)}>
            <h2 id={agendaId(group.name)}>{group.name}</h2>
            <ul class="card-list">{group.bookings.map((booking) => card(booking, 3))}</ul>
          </section>
        ))
      )}
      <OlderButton next={bookings.next} busy={bookings.loadingOlder} onClick={bookings.loadOlder} />
    </>
  );
}
