import type { RuleDefaults } from '../contracts/venue-rules';
import type { Queryable } from '../db/sql';

// The room finder: which venues are free when, for the person asking. One statement over range
// types (multiranges): each candidate venue's window on the asked day, cut to its opening hours,
// its notice and advance rules, minus what its active bookings (pending requests included) block,
// each gap narrowed by the buffers a new booking would keep, and gaps shorter than its minimum
// length dropped.

export interface AvailabilityQuery {
  /** The venue-local day, YYYY-MM-DD, and the part of it asked about (HH:MM[:SS]; to may be 24:00). */
  date: string;
  from: string;
  to: string;
  /** At least this many people. */
  capacity?: number;
  /** Every one of these amenities (by name, any case). */
  amenities?: string[];
  /** Only this venue. */
  venueId?: number;
  /** At least this long free (a minute unless asked). */
  minLengthMinutes?: number;
}

export interface FreeVenue {
  venue_id: number;
  name: string;
  capacity: number | null;
  building: string;
  floor: string;
  time_zone: string;
  amenities: string[];
  /** ISO instants and the venue-local times (24:00 for midnight at the end). */
  free: { starts_at: string; ends_at: string; start_time: string; end_time: string }[];
}

/**
 * The venues `user` may book that have free time on the day, each with its free intervals, in
 * name order. Honours opening hours, closures, archived venues, buffers, existing and pending
 * bookings, and the caller's rules (who may book, notice, advance, minimum length).
 */
export async function findAvailability(
  sql: Queryable,
  user: { id: number; role: string },
  query: AvailabilityQuery,
  defaults: RuleDefaults & { bookingHorizonMs: number },
  now = new Date(),
): Promise<FreeVenue[]> {
  const amenities = (query.amenities ?? []).map((name) => name.toLowerCase());
  const seconds = (ms: number) => ms / 1000;
  const minLength = Math.max(1, query.minLengthMinutes ?? 1);
  return sql<FreeVenue[]>`
    with asked as (
      select ${query.date}::date as day, ${query.from}::time as t0, ${query.to}::time as t1, ${now}::timestamptz as now
    ),
    candidates as (
      select v.id, v.name, v.capacity, v.building, v.floor, v.time_zone, a.day, a.now,
        tstzrange((a.day + a.t0) at time zone v.time_zone, (a.day + a.t1) at time zone v.time_zone, '[)') as win,
        coalesce(r.setup_buffer, make_interval(secs => ${seconds(defaults.setupBufferMs)})) as setup,
        coalesce(r.teardown_buffer, make_interval(secs => ${seconds(defaults.teardownBufferMs)})) as teardown,
        coalesce(r.min_notice, make_interval(secs => ${seconds(defaults.minNoticeMs)})) as min_notice,
        coalesce(r.max_advance, make_interval(secs => ${seconds(defaults.maxAdvanceMs)})) as max_advance,
        make_interval(secs => ${seconds(defaults.bookingHorizonMs)}) as horizon,
        greatest(coalesce(r.min_duration, make_interval(secs => ${seconds(defaults.minDurationMs)})), make_interval(mins => ${minLength})) as min_length,
        exists (select 1 from venue_hours vh where vh.venue_id = v.id) as keeps_hours,
        h.opens, h.closes
      from venues v
      cross join asked a
      left join venue_rules r on r.venue_id = v.id
      left join venue_hours h on h.venue_id = v.id and h.weekday = extract(dow from a.day)
      where v.archived_at is null
        and (a.day + a.t1) > (a.day + a.t0)
        ${query.venueId === undefined ? sql`` : sql`and v.id = ${query.venueId}`}
        ${query.capacity === undefined ? sql`` : sql`and v.capacity >= ${query.capacity}`}
        and (select count(*) from venue_amenities va join amenities am on am.id = va.amenity_id
             where va.venue_id = v.id and lower(am.name) = any(${sql.array(amenities)}::text[])) = ${amenities.length}
        and not exists (select 1 from venue_closures c where c.venue_id = v.id and c.dates @> a.day)
        and (${user.role} = 'super_admin'
          or exists (select 1 from venue_admins va where va.venue_id = v.id and va.user_id = ${user.id} and ${user.role} = 'hall_admin')
          or ((r.booking_roles is null or ${user.role} = any(r.booking_roles))
            and (not coalesce(r.restricted, false) or exists (select 1 from venue_bookers vb where vb.venue_id = v.id and vb.user_id = ${user.id}))))
    ),
    bookable as (
      -- When a new booking may lie: the window, within the day's hours, from the notice on, up to the advance.
      select c.*,
        tstzmultirange(c.win)
        * case when not c.keeps_hours then tstzmultirange(tstzrange(null, null))
               when c.opens is null then '{}'::tstzmultirange
               else tstzmultirange(tstzrange((c.day + c.opens) at time zone c.time_zone, (c.day + c.closes) at time zone c.time_zone, '[)')) end
        * tstzmultirange(tstzrange(c.now + c.min_notice,
            c.now + case when c.max_advance > interval '0' then least(c.max_advance, c.horizon) else c.horizon end, '[)'))
          as may
      from candidates c
    ),
    around as (
      -- What existing bookings block near the window (their buffers included), per venue.
      select b.id, tstzmultirange(tstzrange(lower(b.win) - b.setup, upper(b.win) + b.teardown, '[)'))
        - coalesce((select range_agg(k.blocked) from bookings k
                    where k.venue_id = b.id and k.status = 'active'
                      and k.blocked && tstzrange(lower(b.win) - b.setup, upper(b.win) + b.teardown, '[)')), '{}') as open
      from bookable b where not isempty(b.may)
    ),
    gaps as (
      -- Each open stretch, narrowed by the buffers a new booking keeps around itself.
      select b.id, b.min_length,
        tstzmultirange(tstzrange(lower(g) + b.setup, upper(g) - b.teardown, '[)')) * b.may as fits
      from around o
      join bookable b on b.id = o.id
      cross join lateral unnest(o.open) as g
      where lower(g) + b.setup < upper(g) - b.teardown
    ),
    free as (
      select f.id, f.min_length, r as slot
      from gaps f cross join lateral unnest(f.fits) as r
      where upper(r) - lower(r) >= f.min_length
    )
    select v.id as venue_id, v.name, v.capacity, v.building, v.floor, v.time_zone,
      array(select am.name from venue_amenities va join amenities am on am.id = va.amenity_id where va.venue_id = v.id order by am.name) as amenities,
      json_agg(json_build_object(
        'starts_at', lower(f.slot), 'ends_at', upper(f.slot),
        'start_time', to_char(lower(f.slot) at time zone v.time_zone, 'HH24:MI'),
        'end_time', case when (upper(f.slot) at time zone v.time_zone)::date > (lower(f.slot) at time zone v.time_zone)::date
                         then '24:00' else to_char(upper(f.slot) at time zone v.time_zone, 'HH24:MI') end
      ) order by lower(f.slot)) as free
    from free f join venues v on v.id = f.id
    group by v.id
    order by v.name, v.id`;
}
