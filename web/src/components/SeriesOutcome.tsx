import type { OnConflict } from '../api/booking-series';
import type { SeriesConflict, SeriesCreated } from '../api/types';
import { conflictWords, datesCount } from '../format/series-words';
import { formatWallSlot } from '../format/zoned-time';
import { ErrorAlert, Status } from './Feedback';

/** What the series asked for: its times (the same on each date) in the venue's zone. */
export interface SeriesAsked {
  eventName: string;
  startTime: string;
  endTime: string;
  zone: string;
  onConflict: OnConflict;
}

export type SeriesResult =
  | { kind: 'booked'; created: SeriesCreated; asked: SeriesAsked }
  | { kind: 'refused'; message: string; conflicts: SeriesConflict[]; asked: SeriesAsked }
  | null;

/**
 * What became of a repeating booking: the dates booked (each linking to its booking) and each date
 * not booked, why, and the times that hold it, with a link to the series; or, when nothing was
 * booked, the server's sentence and the dates in the way.
 */
export function SeriesOutcome({ result }: { result: SeriesResult }) {
  const slot = (date: string) =>
    result ? formatWallSlot(date, result.asked.startTime, result.asked.endTime, result.asked.zone) : date;
  const created = result?.kind === 'booked' ? result.created : null;
  const conflicts = result?.kind === 'booked' ? result.created.conflicts : (result?.conflicts ?? []);

  return (
    <>
      <Status>
        {created && result && (
          <p>
            Booked {datesCount(created.occurrences.length)} of “{result.asked.eventName}”
            {conflicts.length > 0 ? `; ${datesCount(conflicts.length)} not booked` : ''}.{' '}
            <a href={`/series/${created.id}`}>Open the series</a>
          </p>
        )}
      </Status>
      <ErrorAlert message={result?.kind === 'refused' ? result.message : null} />
      {created && created.occurrences.length > 0 && (
        <section aria-labelledby="series-booked-heading">
          <h2 id="series-booked-heading" class="small-heading">
            Booked
          </h2>
          <ul class="date-list">
            {created.occurrences.map((occurrence) => (
              <li key={occurrence.booking_id}>
                <a href={`/bookings/${occurrence.booking_id}`}>{slot(occurrence.date)}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {result && conflicts.length > 0 && (
        <section aria-labelledby="series-taken-heading">
          <h2 id="series-taken-heading" class="small-heading">
            Not booked
          </h2>
          <ul class="date-list">
            {conflicts.map((conflict) => (
              <li key={conflict.date}>
                {slot(conflict.date)}: {conflictWords(conflict)}
                {result.kind === 'booked' &&
                  result.asked.onConflict === 'waitlist' &&
                  (conflict.waitlist_entry_id !== undefined ? (
                    <>
                      {' — '}
                      <a href={`/waitlist/${conflict.waitlist_entry_id}`}>you are on its waitlist</a>
                    </>
                  ) : (
                    ' — you were already on its waitlist'
                  ))}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
