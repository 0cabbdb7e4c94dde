import { useRoute } from 'preact-iso/router';
import { ApiError, errorMessage } from '../api/api-error';
import { fetchBooking } from '../api/bookings';
import { BookingCard } from '../components/BookingCard';
import { ErrorAlert } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { isBookingNews, useLiveRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';
import { useMe } from '../session/use-me';
import { NotFoundPage } from './NotFoundPage';

export function BookingDetailPage() {
  const me = useMe();
  const { params } = useRoute();
  const id = Number(params.id);
  const valid = Number.isSafeInteger(id) && id > 0;
  const booking = useLoad(() => (valid ? fetchBooking(id) : Promise.reject(new ApiError(404, 'Not found'))), [id]);
  useLiveRefetch((n) => isBookingNews(n) && n.link === `/bookings/${id}`, booking.reload);

  const missing = booking.error instanceof ApiError && (booking.error.status === 404 || booking.error.status === 400);
  if (missing) return <NotFoundPage message="This booking does not exist or is not yours." />;
  const current = booking.data;
  const isVenueAdmin = current !== undefined && current.user !== me.id;

  return (
    <>
      <PageHeading title={current?.event_name ?? 'Booking'} />
      <p>
        <a href="/bookings">All my bookings</a>
      </p>
      <ErrorAlert message={booking.error ? errorMessage(booking.error) : null} />
      {booking.loading && <p class="muted">Loading the booking…</p>}
      {current && (
        <BookingCard
          booking={current}
          viewer={me}
          as={isVenueAdmin ? 'venue' : 'owner'}
          onChanged={booking.reload}
          titled={false}
        />
      )}
    </>
  );
}
