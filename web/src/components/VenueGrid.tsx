import { useLocation } from 'preact-iso/router';
import { errorMessage } from '../api/api-error';
import type { Venue } from '../api/types';
import { fetchGrid } from '../api/schedule';
import { gridModel, type GridSelection, slotOfSelection } from '../format/grid-model';
import { dayOfDate, instantOfWallTime, zoneNameAt } from '../format/zoned-time';
import { isBookingNews, useLiveRefetch, useScheduleRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';
import { BookingGrid } from './BookingGrid';
import type { GridView } from './GridControls';

interface Props {
  view: GridView;
  date: string;
  venue: Venue;
  capacity: string;
  amenities: string[];
  refreshKey: number;
  selection: GridSelection | null;
  onSelect: (selection: GridSelection | null) => void;
  onChoose: (slot: { venueId: number; date: string; startTime: string; endTime: string }) => void;
  weekHref: (venueId: number) => string;
}

/**
 * The grid with its data: every venue on a day, or one venue's week, from GET /api/schedule; drawn
 * again when anyone's booking there changes (the schedule events of the live stream) and after
 * each answer to "Book".
 */
export function VenueGrid({
  view,
  date,
  venue,
  capacity,
  amenities,
  refreshKey,
  selection,
  onSelect,
  onChoose,
  weekHref,
}: Props) {
  const { route } = useLocation();
  const week = view === 'week';
  const ask = {
    date,
    days: week ? 7 : 1,
    venue: week ? venue.id : undefined,
    capacity: !week && capacity ? Number(capacity) : undefined,
    amenities: week ? undefined : amenities,
  };
  const grid = useLoad(() => fetchGrid(ask), [JSON.stringify(ask), refreshKey]);
  useLiveRefetch(isBookingNews, grid.reload);
  const shown = grid.data ?? [];
  useScheduleRefetch((id) => shown.some((v) => v.id === id), grid.reload);
  const model = gridModel(shown, week);
  const zones = [...new Set(shown.map((v) => v.time_zone))];
  const noon = instantOfWallTime(date, '12:00', zones[0] ?? venue.time_zone);
  const title = week ? `${venue.name}, the week from ${dayOfDate(date)}` : `All rooms on ${dayOfDate(date)}`;

  return (
    <section class="card grid-card" aria-labelledby="grid-heading">
      <h2 id="grid-heading">{title}</h2>
      <p class="muted small">
        {zones.length <= 1
          ? `Times in ${zones[0] ?? venue.time_zone} (${zoneNameAt(noon, zones[0] ?? venue.time_zone)}).`
          : "Times on each venue's own clock."}{' '}
        Choose free time by clicking or dragging, or with the arrow keys and Enter (Shift+arrows to make it longer).
      </p>
      {grid.error !== null && <p class="error-text">{errorMessage(grid.error)}</p>}
      {grid.loading && !grid.data ? (
        <p class="muted">Loading the grid…</p>
      ) : model.rows.length === 0 ? (
        <p>No venue matches: try fewer seats or amenities.</p>
      ) : (
        <BookingGrid
          // A new question (day, view, filters) starts afresh at its first free time; live updates keep focus.
          key={JSON.stringify(ask)}
          model={model}
          label={title}
          selection={selection}
          onSelect={onSelect}
          onChoose={(chosen) => onChoose(slotOfSelection(model, chosen))}
          onOpen={(id) => route(`/bookings/${id}`)}
          rowLink={week ? undefined : (row) => weekHref(row.venue.id)}
        />
      )}
      <ul class="grid-key plain-list inline-list" aria-label="Key">
        <li>
          <span class="grid-swatch free" /> Free
        </li>
        <li>
          <span class="grid-swatch booked mine" /> Yours
        </li>
        <li>
          <span class="grid-swatch booked" /> Booked
        </li>
        <li>
          <span class="grid-swatch booked pending" /> Awaiting approval
        </li>
        <li>
          <span class="grid-swatch shut" /> Shut or closed
        </li>
        <li>
          <span class="grid-swatch unavailable" /> Not bookable
        </li>
      </ul>
    </section>
  );
}
