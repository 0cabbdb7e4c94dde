import type { ComponentChildren } from 'preact';
import { ApiError, errorMessage } from '../api/api-error';
import type { Venue } from '../api/types';
import { fetchVenueSchedule } from '../api/venues';
import { isBookingNews, useLiveRefetch, useScheduleRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';
import { formatInstant, instantOfWallTime, shortTime, zoneNameAt } from '../format/zoned-time';

/** One day of a venue: its booked slots (the caller's own named), so the free time shows between them. */
export function DaySchedule({ venue, date, refreshKey }: { venue: Venue; date: string; refreshKey: number }) {
  const schedule = useLoad(() => fetchVenueSchedule(venue.id, date), [venue.id, date, refreshKey]);
  useLiveRefetch(isBookingNews, schedule.reload);
  // Anyone's booking there, made or changed while the page is open, redraws the day.
  useScheduleRefetch((id) => id === venue.id, schedule.reload);
  const zone = schedule.data?.time_zone ?? venue.time_zone;
  const noon = instantOfWallTime(date, '12:00', zone);
  const day = formatInstant(noon, zone).split(',')[0];

  let body: ComponentChildren;
  if (schedule.loading) body = <p class="muted">Loading the day…</p>;
  else if (schedule.error && !schedule.data)
    body = (
      <p class="muted">
        {schedule.error instanceof ApiError && schedule.error.status === 404
          ? 'The day view is not available.'
          : errorMessage(schedule.error)}
      </p>
    );
  else if (!schedule.data || schedule.data.bookings.length === 0)
    body = <p>Nothing booked yet: the whole day is free.</p>;
  else
    body = (
      <ul class="day-list">
        {schedule.data.bookings.map((slot) => (
          <li key={`${slot.start_time}-${slot.end_time}`} class={slot.mine ? 'slot mine' : 'slot'}>
            <span class="slot-time">
              {shortTime(slot.start_time)}–{shortTime(slot.end_time)}
            </span>{' '}
            {slot.mine ? (
              <span>
                Your booking
                {slot.event_name &&
                  (slot.id ? (
                    <>
                      : <a href={`/bookings/${slot.id}`}>{slot.event_name}</a>
                    </>
                  ) : (
                    `: ${slot.event_name}`
                  ))}
              </span>
            ) : (
              <span>Booked{slot.event_name ? `: ${slot.event_name}` : ''}</span>
            )}
          </li>
        ))}
      </ul>
    );

  return (
    <section class="card day-view" aria-labelledby="day-view-heading">
      <h2 id="day-view-heading">
        {venue.name} on {day}
      </h2>
      <p class="muted small">
        Times in {zone} ({zoneNameAt(noon, zone)}).
      </p>
      {body}
    </section>
  );
}
