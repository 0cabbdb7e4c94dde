import type { RuleDefaults } from '../contracts/venue-rules';
import type { Queryable } from '../db/sql';
import { findAvailability } from './search';

// The booking grid: for a run of venue-local days, each venue's opening hours and closures, what
// its bookings take (the viewer's own named, pending requests marked) and, from the room finder,
// the free time the viewer may book. One statement for what is there, one room-finder statement
// per day for what is free, so the grid and the room finder never disagree.

export interface GridQuery {
  /** The first venue-local day, YYYY-MM-DD, and how many days from it (1 to 7). */
  date: string;
  days: number;
  venueId?: number;
  capacity?: number;
  amenities?: string[];
}

export interface GridBlock {
  /** Only for the viewer's own bookings, or every booking when they administer the venue. */
  id: number | null;
  event_name: string | null;
  mine: boolean;
  /** Waiting for the venue's staff to approve it: it holds the time meanwhile. */
  pending: boolean;
  /** One occurrence of a repeating booking. */
  series: boolean;
  starts_at: string;
  ends_at: string;
}

export interface GridDay {
  date: string;
  /** Why the venue is closed that day, or null. */
  closed: string | null;
  /** Open from–to on the venue's clock (HH:MM); null when the venue keeps no hours (open all day). */
  hours: { opens: string; closes: string } | null;
  /** A venue that keeps hours but not on this weekday is shut: hours null and shut true. */
  shut: boolean;
  bookings: GridBlock[];
  /** Free time the viewer may book, as ISO instants. */
  free: { starts_at: string; ends_at: string }[];
}

export interface GridVenue {
  id: number;
  name: string;
  capacity: number | null;
  building: string;
  floor: string;
  time_zone: string;
  amenities: string[];
  approval_required: boolean;
  days: GridDay[];
}

/** Every day from `date`, `days` of them, as YYYY-MM-DD (calendar arithmetic, no clock). */
export function daysFrom(date: string, days: number): string[] {
  const first = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Array.from({ length: days }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}

/** The grid for `viewer`: venues (not archived) matching the filters, by name, each with its days. */
export async function bookingGrid(
  sql: Queryable,
  viewer: { id: number; role: string },
  query: GridQuery,
  defaults: RuleDefaults & { bookingHorizonMs: number },
  now = new Date(),
): Promise<GridVenue[]> {
  const dates = daysFrom(query.date, query.days);
  const amenities = (query.amenities ?? []).map((name) => name.toLowerCase());
  const seesAll =
    viewer.role === 'super_admin'
      ? sql`true`
      : sql`exists (select 1 from venue_admins a where a.venue_id = v.id and a.user_id = ${viewer.id})`;
  type Row = Omit<GridVenue, 'days'> & { days: Omit<GridDay, 'free'>[] };
  const [rows, ...freeByDay] = await Promise.all([
    sql<Row[]>`
      select v.id, v.name, v.capacity, v.building, v.floor, v.time_zone, v.approval_required,
        array(select am.name from venue_amenities va join amenities am on am.id = va.amenity_id
              where va.venue_id = v.id order by am.name) as amenities,
        (select json_agg(json_build_object(
            'date', to_char(d.day, 'YYYY-MM-DD'),
            'closed', (select c.reason from venue_closures c where c.venue_id = v.id and c.dates @> d.day limit 1),
            'hours', (select json_build_object('opens', to_char(h.opens, 'HH24:MI'), 'closes', to_char(h.closes, 'HH24:MI'))
                      from venue_hours h where h.venue_id = v.id and h.weekday = extract(dow from d.day)),
            'shut', exists (select 1 from venue_hours h where h.venue_id = v.id)
                    and not exists (select 1 from venue_hours h where h.venue_id = v.id and h.weekday = extract(dow from d.day)),
            'bookings', coalesce((
              select json_agg(json_build_object(
                  'id', case when b.user_id = ${viewer.id} or ${seesAll} then b.id end,
                  'event_name', case when b.user_id = ${viewer.id} or ${seesAll} then b.event_name end,
                  'mine', b.user_id = ${viewer.id},
                  'pending', b.approval_status is not distinct from 'pending',
                  'series', b.series_id is not null,
                  'starts_at', lower(b.during), 'ends_at', upper(b.during)
                ) order by lower(b.during))
              from bookings b
              where b.venue_id = v.id and b.status in ('active', 'completed')
                and b.during && tstzrange(d.day::timestamp at time zone v.time_zone, (d.day + 1)::timestamp at time zone v.time_zone)
            ), '[]'::json)
          ) order by d.day)
          from unnest(${sql.array(dates)}::date[]) as d(day)) as days
      from venues v
      where v.archived_at is null
        ${query.venueId === undefined ? sql`` : sql`and v.id = ${query.venueId}`}
        ${query.capacity === undefined ? sql`` : sql`and v.capacity >= ${query.capacity}`}
        and (select count(*) from venue_amenities va join amenities am on am.id = va.amenity_id
             where va.venue_id = v.id and lower(am.name) = any(${sql.array(amenities)}::text[])) = ${amenities.length}
      order by v.name, v.id`,
    ...dates.map((date) =>
      findAvailability(
        sql,
        viewer,
        {
          date,
          from: '00:00',
          to: '24:00',
          venueId: query.venueId,
          capacity: query.capacity,
          amenities: query.amenities,
        },
        defaults,
        now,
      ),
    ),
  ]);
  const iso = (value: string) => new Date(value).toISOString();
  return rows.map((venue) => ({
    ...venue,
    days: venue.days.map((day, i) => ({
      ...day,
      bookings: day.bookings.map((block) => ({
        ...block,
        starts_at: iso(block.starts_at),
        ends_at: iso(block.ends_at),
      })),
      free: (freeByDay[i]?.find((free) => free.venue_id === venue.id)?.free ?? []).map((slot) => ({
        starts_at: iso(slot.starts_at),
        ends_at: iso(slot.ends_at),
      })),
    })),
  }));
}
