import type { Queryable } from '../db/sql';
import { venueLocalSlot } from '../db/venue-local-time';

/** One booking of a venue's export, as a spreadsheet reads it: the slot on the venue's clock, instants in UTC. */
export interface ExportedBooking {
  id: number;
  event_name: string;
  booker_name: string;
  booker_email: string;
  date: string;
  start_time: string;
  end_time: string;
  time_zone: string;
  status: 'active' | 'cancelled' | 'completed';
  approval_status: 'pending' | 'approved' | 'denied' | null;
  confirmed_at: Date | null;
  checked_in_at: Date | null;
  cancel_reason: string | null;
}

/** Every booking at the venue starting on the local dates from `from` to `to` (inclusive), whatever became of it, in start order. */
export async function venueBookingsBetween(
  sql: Queryable,
  venueId: number,
  from: string,
  to: string,
): Promise<ExportedBooking[]> {
  return sql<ExportedBooking[]>`
    select b.id, b.event_name, u.full_name as booker_name, u.email as booker_email,
      ${venueLocalSlot(sql, { startsAt: sql`lower(b.during)`, endsAt: sql`upper(b.during)` }, sql`v.time_zone`, 'HH24:MI')},
      v.time_zone, b.status, b.approval_status, b.confirmed_at, b.checked_in_at, b.cancel_reason
    from bookings b join venues v on v.id = b.venue_id join users u on u.id = b.user_id
    where b.venue_id = ${venueId}
      and lower(b.during) >= (${from}::date)::timestamp at time zone v.time_zone
      and lower(b.during) < (${to}::date + 1)::timestamp at time zone v.time_zone
    order by lower(b.during), b.id`;
}

/** The export's columns, in order: the header row names them. */
export const EXPORT_COLUMNS = [
  'id',
  'event_name',
  'booker_name',
  'booker_email',
  'date',
  'start_time',
  'end_time',
  'time_zone',
  'status',
  'approval_status',
  'confirmed_at',
  'checked_in_at',
  'cancel_reason',
] as const satisfies readonly (keyof ExportedBooking)[];

/**
 * One CSV cell (RFC 4180). Text a booker typed may look like a formula to a spreadsheet (an event
 * named `=HYPERLINK(...)`), so a cell starting with = + - @ (or a tab or carriage return, which
 * some read past) is written with an apostrophe first and shown as the text it is.
 */
export function csvCell(value: string | number | Date | null): string {
  const text = value === null ? '' : value instanceof Date ? value.toISOString() : String(value);
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}

/** The export as CSV text: a header row, then one row per booking, each line ending CRLF. */
export function bookingsCsv(rows: ExportedBooking[]): string {
  const lines = [EXPORT_COLUMNS.join(','), ...rows.map((row) => EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(','))];
  return lines.map((line) => `${line}\r\n`).join('');
}
