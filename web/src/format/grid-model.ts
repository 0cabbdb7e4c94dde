import type { GridBlock, GridDay, GridVenue } from '../api/types';
import { clockOf, dayOfDate, instantOfWallTime, wallTimeWords } from './zoned-time';

// The booking grid as cells: each row is one venue on one local day, cut into half hours on the
// venue's own clock. A cell is free (the room finder says the viewer may book it), booked (a
// booking overlaps it), closed (a closure), shut (outside opening hours) or unavailable (too soon,
// too far ahead, a buffer, a time the clocks skip). Neighbouring cells that are the same booking
// or the same shut stretch are one item; each free half hour is its own item, to be chosen.

export const SLOT_MINUTES = 30;

export type CellKind = 'free' | 'booked' | 'closed' | 'shut' | 'unavailable';

export interface GridItem {
  /** Columns [from, to). */
  from: number;
  to: number;
  kind: CellKind;
  block?: GridBlock;
  /** What the item shows; its accessible name adds the row and the times. */
  label: string;
}

export interface GridRow {
  venue: GridVenue;
  day: GridDay;
  /** The row's name: the venue in a day view, the day in a week view. */
  heading: string;
  items: GridItem[];
}

export interface GridModel {
  /** Minutes after local midnight of the first column. */
  axisStart: number;
  columns: number;
  rows: GridRow[];
}

/** A free stretch chosen in one row: columns [from, to). */
export interface GridSelection {
  row: number;
  from: number;
  to: number;
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
export const timeOfMinutes = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const DEFAULT_FROM = 7 * 60;
const DEFAULT_TO = 22 * 60;

/** The instant a column edge names on a row's day: 24:00 is the next day's midnight. */
function edge(day: string, minutes: number, zone: string): Date {
  if (minutes < 24 * 60) return instantOfWallTime(day, timeOfMinutes(minutes), zone);
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return instantOfWallTime(next.toISOString().slice(0, 10), '00:00', zone);
}

/** Minutes after the row's local midnight of an instant, clamped to the day. */
function localMinutes(instant: Date, day: string, zone: string): number {
  const midnight = edge(day, 0, zone).getTime();
  if (instant.getTime() <= midnight) return 0;
  if (instant.getTime() >= edge(day, 24 * 60, zone).getTime()) return 24 * 60;
  const clock = clockOf(instant, zone);
  return minutesOf(clock);
}

/** The hours shown: 07:00–22:00 at least, widened to every row's opening hours and bookings, in whole hours. */
function axisOf(rows: { venue: GridVenue; day: GridDay }[]): [number, number] {
  let from = DEFAULT_FROM;
  let to = DEFAULT_TO;
  for (const { venue, day } of rows) {
    if (day.hours) {
      from = Math.min(from, minutesOf(day.hours.opens));
      to = Math.max(to, day.hours.closes === '00:00' ? 24 * 60 : minutesOf(day.hours.closes));
    }
    for (const block of day.bookings) {
      from = Math.min(from, localMinutes(new Date(block.starts_at), day.date, venue.time_zone));
      const end = localMinutes(new Date(block.ends_at), day.date, venue.time_zone);
      to = Math.max(to, end === 0 ? 24 * 60 : end);
    }
  }
  return [Math.floor(from / 60) * 60, Math.min(24 * 60, Math.ceil(to / 60) * 60)];
}

export function blockLabel(block: GridBlock): string {
  const name = block.mine ? `Yours${block.event_name ? `: ${block.event_name}` : ''}` : (block.event_name ?? 'Booked');
  return block.pending ? `${name} (awaiting approval)` : name;
}

function cellOf(venue: GridVenue, day: GridDay, start: number): Omit<GridItem, 'from' | 'to'> {
  if (day.closed !== null) return { kind: 'closed', label: `Closed: ${day.closed}` };
  const zone = venue.time_zone;
  const s = edge(day.date, start, zone);
  const e = edge(day.date, start + SLOT_MINUTES, zone);
  // A wall time the clocks skip names no instant of its own.
  if (clockOf(s, zone) !== timeOfMinutes(start) || e <= s)
    return { kind: 'unavailable', label: 'Not on the clock today' };
  const block = day.bookings.find((b) => new Date(b.starts_at) < e && new Date(b.ends_at) > s);
  if (block) return { kind: 'booked', block, label: blockLabel(block) };
  if (day.free.some((f) => new Date(f.starts_at) <= s && new Date(f.ends_at) >= e))
    return { kind: 'free', label: 'Free' };
  const open =
    !day.shut &&
    (!day.hours ||
      (start >= minutesOf(day.hours.opens) &&
        start + SLOT_MINUTES <= (day.hours.closes === '00:00' ? 24 * 60 : minutesOf(day.hours.closes))));
  return open ? { kind: 'unavailable', label: 'Not bookable' } : { kind: 'shut', label: 'Shut' };
}

function itemsOf(venue: GridVenue, day: GridDay, axisStart: number, columns: number): GridItem[] {
  const items: GridItem[] = [];
  for (let column = 0; column < columns; column++) {
    const cell = cellOf(venue, day, axisStart + column * SLOT_MINUTES);
    const last = items[items.length - 1];
    const same =
      last &&
      last.kind === cell.kind &&
      cell.kind !== 'free' &&
      last.block?.starts_at === cell.block?.starts_at &&
      last.label === cell.label;
    if (same) last.to = column + 1;
    else items.push({ ...cell, from: column, to: column + 1 });
  }
  return items;
}

/** The grid of a day across venues (`week` false) or of one venue's days (`week` true). */
export function gridModel(venues: GridVenue[], week: boolean): GridModel {
  const pairs = week
    ? (venues[0]?.days ?? []).map((day) => ({ venue: venues[0] as GridVenue, day }))
    : venues.flatMap((venue) => (venue.days[0] ? [{ venue, day: venue.days[0] }] : []));
  const [from, to] = axisOf(pairs);
  const columns = (to - from) / SLOT_MINUTES;
  return {
    axisStart: from,
    columns,
    rows: pairs.map(({ venue, day }) => ({
      venue,
      day,
      heading: week ? dayOfDate(day.date) : venue.name,
      items: itemsOf(venue, day, from, columns),
    })),
  };
}

/** The item covering a column of a row. */
export const itemAt = (row: GridRow, column: number) =>
  row.items.find((item) => item.from <= column && column < item.to) as GridItem;

/** Whether every column of [from, to) in the row is free. */
export function allFree(row: GridRow, from: number, to: number): boolean {
  for (let column = from; column < to; column++) if (itemAt(row, column)?.kind !== 'free') return false;
  return true;
}

/** What a chosen stretch books: the venue, its local day and times (24:00 written as 00:00 next day by the form). */
export function slotOfSelection(model: GridModel, selection: GridSelection) {
  const row = model.rows[selection.row] as GridRow;
  const start = model.axisStart + selection.from * SLOT_MINUTES;
  const end = model.axisStart + selection.to * SLOT_MINUTES;
  return {
    venueId: row.venue.id,
    date: row.day.date,
    startTime: timeOfMinutes(start),
    endTime: end >= 24 * 60 ? '00:00' : timeOfMinutes(end),
  };
}

/** "09:00–09:30" (the person's way) for columns [from, to). */
export function columnTimes(model: GridModel, from: number, to: number): string {
  const end = model.axisStart + to * SLOT_MINUTES;
  return `${wallTimeWords(timeOfMinutes(model.axisStart + from * SLOT_MINUTES))}–${end >= 24 * 60 ? wallTimeWords('24:00') : wallTimeWords(timeOfMinutes(end))}`;
}
