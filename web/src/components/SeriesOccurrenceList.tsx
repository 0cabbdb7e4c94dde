import type { BookingSeries, SeriesOccurrence } from '../api/types';
import { isUpcoming, occurrenceState } from '../format/series-words';
import { dayOfDate, formatSlot, formatWallSlot } from '../format/zoned-time';
import type { CancelScope } from './CancelSeriesDialog';
import type { ChangeScope } from './ChangeSeriesDialog';

const STATE_CLASS: Record<SeriesOccurrence['status'], string> = {
  active: 'state-active',
  cancelled: 'state-cancelled',
  completed: 'state-completed',
};

type Row = { date: string; occurrence: SeriesOccurrence } | { date: string; occurrence: null };

/**
 * Every date of the series in order, each at its time in the venue's zone (named, so a date across
 * a daylight-saving change shows its own offset), with its state (saying when it alone is off the
 * series' times) and, while it is to come, its change and two cancels; dates the series left out
 * are listed where they fall, saying so.
 */
export function SeriesOccurrenceList({
  series,
  onCancel,
  onChange,
}: {
  series: BookingSeries;
  onCancel: (scope: CancelScope) => void;
  onChange: (scope: ChangeScope) => void;
}) {
  const booked = new Set(series.occurrences.map((o) => o.date));
  const leftOut = series.excluded_dates.filter(
    (date) => !booked.has(date) && (series.ends_before === null || date < series.ends_before),
  );
  const rows: Row[] = [
    ...series.occurrences.map((occurrence) => ({ date: occurrence.date, occurrence })),
    ...leftOut.map((date) => ({ date, occurrence: null })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  const now = Date.now();

  return (
    <ol class="occurrence-list">
      {rows.map(({ date, occurrence }) => {
        const day = dayOfDate(date);
        if (!occurrence) {
          return (
            <li key={date} class="occurrence left-out">
              <span class="occurrence-when">
                {formatWallSlot(date, series.start_time, series.end_time, series.time_zone)}
              </span>
              <span class="muted">Not booked: left out of the series</span>
            </li>
          );
        }
        const pending = occurrence.status === 'active' && !occurrence.confirmed ? ' state-pending' : '';
        return (
          <li key={date} class="occurrence">
            <a class="occurrence-when" href={`/bookings/${occurrence.booking_id}`}>
              {formatSlot(new Date(occurrence.starts_at), new Date(occurrence.ends_at), series.time_zone)}
            </a>
            <span class={`${STATE_CLASS[occurrence.status]}${pending}`}>{occurrenceState(occurrence, now)}</span>
            {isUpcoming(occurrence, now) && (
              <div class="actions">
                <button type="button" onClick={() => onChange({ kind: 'following', occurrence })}>
                  Change this and following<span class="visually-hidden">: {day}</span>
                </button>
                <button type="button" class="danger" onClick={() => onCancel({ kind: 'date', occurrence })}>
                  Cancel this date<span class="visually-hidden">: {day}</span>
                </button>
                <button type="button" class="danger" onClick={() => onCancel({ kind: 'following', occurrence })}>
                  Cancel this and following<span class="visually-hidden">: {day}</span>
                </button>
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
