import { TZDate } from '@date-fns/tz';
import {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendar,
  ICalCalendarMethod,
  ICalEventStatus,
} from 'ical-generator';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';
import type { CalendarBooking } from '../bookings/calendar-bookings';

/** Who the calendar entries come from, read once from the configuration. */
export interface CalendarIdentity {
  /** The host of PUBLIC_BASE_URL: the right-hand side of every UID. */
  host: string;
  baseUrl: string;
  /** The mail From address: ORGANIZER of every event. */
  organizer: { name: string; email: string };
}

export function calendarIdentity(config: {
  http: { publicBaseUrl: string };
  mail: { from: string };
}): CalendarIdentity {
  const from = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(config.mail.from);
  const organizer = from
    ? { name: from[1]!.trim() || 'BookIT', email: from[2]!.trim() }
    : { name: 'BookIT', email: config.mail.from.trim() };
  return { host: new URL(config.http.publicBaseUrl).hostname, baseUrl: config.http.publicBaseUrl, organizer };
}

export type InvitationMethod = 'REQUEST' | 'CANCEL';

/** An invitation file for one booking, and the method its MIME type names. */
export interface Invitation {
  method: InvitationMethod;
  content: string;
}

/** The one event a booking ever is in a calendar: the same UID in every email and feed. */
export function bookingUid(bookingId: number, identity: Pick<CalendarIdentity, 'host'>): string {
  return `booking-${bookingId}@${identity.host}`;
}

/**
 * The revision of a booking's event: its schedule version, which every reschedule bumps, and one
 * more once it is cancelled (RFC 5546 counts a cancellation as a revision), so a calendar holding
 * the latest invitation applies each later one.
 */
export function bookingSequence(booking: Pick<CalendarBooking, 'schedule_version' | 'status'>): number {
  return booking.schedule_version + (booking.status === 'cancelled' ? 1 : 0);
}

/**
 * The invitation an email carries: METHOD:REQUEST for a booking made or moved (the calendar adds
 * or updates its event), METHOD:CANCEL for one cancelled (the calendar removes it).
 */
export function bookingInvitation(
  booking: CalendarBooking,
  method: InvitationMethod,
  identity: CalendarIdentity,
): Invitation {
  const calendar = newCalendar(method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL);
  addBookingEvent(calendar, booking, identity, { withAttendee: true });
  return { method, content: calendar.toString() };
}

/**
 * A subscription feed (METHOD:PUBLISH): one event per single booking and one repeating event per
 * series (as its invitations show it), cancelled ones marked so, which calendar apps fetch again
 * every hour.
 */
export function bookingFeed(
  bookings: CalendarBooking[],
  series: CalendarSeries[],
  name: string,
  identity: CalendarIdentity,
): string {
  const calendar = newCalendar(ICalCalendarMethod.PUBLISH);
  // The library writes NAME and X-WR-CALNAME as given: a venue's name is escaped here, or a CR/LF
  // in one (stored before names were refused them) would start properties of its own in every feed.
  calendar.name(escapeText(name));
  calendar.ttl(60 * 60);
  // RFC 5546 leaves attendees out of a published calendar; the booker is named in the description.
  for (const booking of bookings) addBookingEvent(calendar, booking, identity, { withAttendee: false });
  for (const one of series) addSeriesEvents(calendar, one, identity, { withAttendee: false, cancelled: one.cancelled });
  return calendar.toString();
}

function newCalendar(method: ICalCalendarMethod): ICalCalendar {
  // No calendar-wide zone (DTSTAMP stays UTC); each event names its venue's zone, and the generator
  // embeds one VTIMEZONE per zone used, as RFC 5545 requires for every TZID.
  return new ICalCalendar({
    prodId: { company: 'BookIT', product: 'Bookings', language: 'EN' },
    method,
    timezone: { name: null, generator: vtimezoneOf },
  });
}

function addBookingEvent(
  calendar: ICalCalendar,
  booking: CalendarBooking,
  identity: CalendarIdentity,
  { withAttendee }: { withAttendee: boolean },
): void {
  // Wall-clock times in the venue's zone; a zone without a VTIMEZONE definition is written in UTC.
  const zone = vtimezoneOf(booking.time_zone) ? booking.time_zone : null;
  const at = (instant: Date) => (zone ? new TZDate(instant.getTime(), zone) : instant);
  const url = `${identity.baseUrl}/bookings/${booking.id}`;
  const details = booking.event_details.trim();
  const cancelled = booking.status === 'cancelled';
  const event = calendar.createEvent({
    id: bookingUid(booking.id, identity),
    sequence: bookingSequence(booking),
    start: at(booking.starts_at),
    end: at(booking.ends_at),
    timezone: zone,
    summary: cancelled ? `Cancelled: ${booking.event_name}` : booking.event_name,
    location: booking.venue_location.trim()
      ? `${booking.venue_name}, ${booking.venue_location.trim()}`
      : booking.venue_name,
    description: [details, `Booked by ${booking.user_name}. Booking ${booking.id}: ${url}`]
      .filter(Boolean)
      .join('\n\n'),
    url,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { ...identity.organizer, name: parameterText(identity.organizer.name) },
  });
  if (withAttendee) {
    event.createAttendee({
      name: parameterText(booking.user_name),
      email: booking.user_email,
      role: ICalAttendeeRole.REQ,
      status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
      rsvp: false,
    });
  }
}

/** A series as its calendar event needs it: one VEVENT that repeats, its left-out dates as EXDATE. */
export interface CalendarSeries {
  id: number;
  venue_name: string;
  venue_location: string;
  time_zone: string;
  user_name: string;
  user_email: string;
  event_name: string;
  event_details: string;
  /** Cancelled as a whole. */
  cancelled: boolean;
  /** The first occurrence's instants. */
  starts_at: Date;
  ends_at: Date;
  /** The RRULE's FREQ/INTERVAL/BY… parts, ending by COUNT (`count`), so no UNTIL has to name a zone. */
  rule: string;
  count: number;
  /** Venue-local dates left out (conflicts, cancelled occurrences). */
  excluded_dates: string[];
  /** The local start time, HH:MM:SS, for each EXDATE. */
  start_time: string;
  /** Dates moved alone: where the rule put them, and where they are. */
  overrides: { planned_starts_at: Date; starts_at: Date; ends_at: Date }[];
  sequence: number;
}

/** The one event a series is in a calendar. */
export function seriesUid(seriesId: number, identity: Pick<CalendarIdentity, 'host'>): string {
  return `series-${seriesId}@${identity.host}`;
}

/**
 * A series' invitation: one repeating event (RRULE with COUNT, EXDATE for the dates it left out,
 * an override per date moved alone) in the venue's zone, so a calendar shows one series that each
 * later revision (SEQUENCE) updates in place; METHOD:CANCEL takes it out.
 */
export function seriesInvitation(
  series: CalendarSeries,
  method: InvitationMethod,
  identity: CalendarIdentity,
): Invitation {
  const calendar = newCalendar(method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL);
  addSeriesEvents(calendar, series, identity, { withAttendee: true, cancelled: method === 'CANCEL' });
  return { method, content: calendar.toString() };
}

function addSeriesEvents(
  calendar: ICalCalendar,
  series: CalendarSeries,
  identity: CalendarIdentity,
  { withAttendee, cancelled }: { withAttendee: boolean; cancelled: boolean },
): void {
  const zone = vtimezoneOf(series.time_zone) ? series.time_zone : null;
  const at = (instant: Date) => (zone ? new TZDate(instant.getTime(), zone) : instant);
  const url = `${identity.baseUrl}/series/${series.id}`;
  const rule = series.rule.replace(/;?(COUNT|UNTIL)=[^;]*/g, '').replace(/^;/, '');
  const localStamp = (date: string) => `${date.replace(/-/g, '')}T${series.start_time.replace(/:/g, '')}`;
  const exdates =
    series.excluded_dates.length === 0
      ? ''
      : `\nEXDATE${zone ? `;TZID=${zone}` : ''}:${series.excluded_dates.map(localStamp).join(',')}`;
  const common = {
    id: seriesUid(series.id, identity),
    sequence: series.sequence,
    timezone: zone,
    summary: cancelled ? `Cancelled: ${series.event_name}` : series.event_name,
    location: series.venue_location.trim()
      ? `${series.venue_name}, ${series.venue_location.trim()}`
      : series.venue_name,
    description: [series.event_details.trim(), `Booked by ${series.user_name}. Series ${series.id}: ${url}`]
      .filter(Boolean)
      .join('\n\n'),
    url,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { ...identity.organizer, name: parameterText(identity.organizer.name) },
  };
  const events = [
    calendar.createEvent({
      ...common,
      start: at(series.starts_at),
      end: at(series.ends_at),
      repeating: `RRULE:${rule};COUNT=${series.count}${exdates}`,
    }),
    // A cancelled series goes as a whole; its overrides go with it.
    ...(cancelled ? [] : series.overrides).map((moved) =>
      calendar.createEvent({
        ...common,
        recurrenceId: at(moved.planned_starts_at),
        start: at(moved.starts_at),
        end: at(moved.ends_at),
      }),
    ),
  ];
  if (!withAttendee) return;
  for (const event of events) {
    event.createAttendee({
      name: parameterText(series.user_name),
      email: series.user_email,
      role: ICalAttendeeRole.REQ,
      status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
      rsvp: false,
    });
  }
}

/** RFC 5545 TEXT: backslash, semicolon and comma escaped, a line break written as `\n`. */
function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * A parameter value such as CN, which the library puts in double quotes (escaping a quote with a
 * backslash, which RFC 5545 does not know: the parameter would end there). RFC 6868's caret escapes
 * instead: `^'` for a double quote, `^n` for a line break, `^^` for a caret; other control
 * characters, which a parameter may not hold, become spaces.
 */
function parameterText(text: string): string {
  return (
    text
      .replace(/\^/g, '^^')
      .replace(/"/g, "^'")
      .replace(/\r\n|\r|\n/g, '^n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
  );
}

const vtimezones = new Map<string, string | null>();
// Asked first: the library prints to the console for a zone it does not know.
const knownZones = new Set<string>(tzlib_get_timezones() as string[]);

/** The VTIMEZONE block of an IANA zone (current tz data from timezones-ical-library), or null for one it does not know. */
function vtimezoneOf(zone: string): string | null {
  if (!vtimezones.has(zone)) {
    const block: unknown = knownZones.has(zone) ? tzlib_get_ical_block(zone) : null;
    vtimezones.set(zone, Array.isArray(block) && typeof block[0] === 'string' ? block[0] : null);
  }
  return vtimezones.get(zone)!;
}
