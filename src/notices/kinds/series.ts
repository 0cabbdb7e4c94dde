import { calendarIdentity, seriesInvitation } from '../../calendar/booking-calendar';
import { calendarSeriesOf } from '../../series/calendar';
import { findUser } from '../../users/store';
import { venueAdminUsers } from '../../venues/store';
import { describeRecurrence } from '../../series/recurrence';
import { findSeriesDetails, seriesOccurrences, type SeriesDetails, type SeriesOccurrence } from '../../series/store';
import type { NoticeContext, NoticeKind, NoticeMessage, Recipient } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';

// A series' own notices: one for all its dates, where each occurrence would otherwise tell its own.

async function loadSeries(context: NoticeContext, seriesId: number) {
  const series = await findSeriesDetails(context.sql, seriesId);
  if (!series) return null;
  const [occurrences, admins] = await Promise.all([
    seriesOccurrences(context.sql, seriesId),
    venueAdminUsers(context.sql, series.venue_id),
  ]);
  const booker: Recipient = {
    id: series.user_id,
    email: series.user_email,
    fullName: series.user_name,
    isActive: series.user_active,
  };
  const hallAdmins = admins.map(
    (admin): Recipient => ({ id: admin.id, email: admin.email, fullName: admin.full_name, isActive: admin.is_active }),
  );
  return { series, occurrences, booker, hallAdmins };
}

const slotOf = (series: SeriesDetails, occurrence: SeriesOccurrence) => ({
  start: occurrence.starts_at,
  end: occurrence.ends_at,
  timeZone: series.time_zone,
});

/** The series' calendar event as it now stands. */
function calendarOf(
  context: NoticeContext,
  series: SeriesDetails,
  occurrences: SeriesOccurrence[],
  method: 'REQUEST' | 'CANCEL',
) {
  return seriesInvitation(calendarSeriesOf(series, occurrences), method, calendarIdentity(context.config));
}

function seriesFacts(series: SeriesDetails, occurrences: SeriesOccurrence[]) {
  return {
    series_id: series.id,
    venue_id: series.venue_id,
    venue_name: series.venue_name,
    time_zone: series.time_zone,
    user_id: series.user_id,
    event_name: series.event_name,
    rrule: series.rrule,
    first_date: series.first_date,
    start_time: series.start_time,
    end_time: series.end_time,
    excluded_dates: series.excluded_dates,
    ends_before: series.ends_before,
    occurrences: occurrences.map((o) => ({ booking_id: o.booking_id, date: o.date, status: o.status })),
  };
}

/** A series booked: the booker, with the repeating calendar event; each hall admin of the venue, one alert for all its dates. */
export const seriesBooked: NoticeKind<NoticeOf<'series_booked'>> = {
  async plan(context, notice) {
    const loaded = await loadSeries(context, notice.seriesId);
    if (!loaded) return NOTHING;
    const { series, occurrences, booker, hallAdmins } = loaded;
    const booked = occurrences.filter((o) => o.status !== 'cancelled');
    if (booked.length === 0) return NOTHING;
    const pattern = describeRecurrence(series.rrule);
    const count = booked.length === 1 ? '1 date' : `${booked.length} dates`;
    const skipped = series.excluded_dates.map((date) => ({
      date,
      reason: 'left out (asked to, or already booked when the series was made)',
    }));
    const message = (recipient: Recipient, toBooker: boolean, key: string): NoticeMessage => ({
      key,
      recipient,
      preference: toBooker ? { type: 'booking_confirmed' } : { type: 'new_booking', venueId: series.venue_id },
      inApp: toBooker
        ? {
            type: 'booking_confirmed',
            title: 'Booked',
            message: `You booked "${series.event_name}" at ${series.venue_name}, ${pattern}: ${count}.`,
            link: '/bookings',
          }
        : {
            type: 'new_booking',
            title: `New series at ${series.venue_name}`,
            message: `${booker.fullName} booked "${series.event_name}", ${pattern}: ${count}.`,
            link: '/venue-bookings',
          },
      email: {
        template: 'series_booked',
        compose: async () => ({
          content: {
            recipientName: recipient.fullName,
            toBooker,
            bookerName: booker.fullName,
            eventName: series.event_name,
            venueName: series.venue_name,
            pattern,
            dates: booked.map((o) => slotOf(series, o)),
            skipped,
            bookingsUrl: `${context.baseUrl}${toBooker ? '/bookings' : '/venue-bookings'}`,
          },
          invitation: toBooker ? calendarOf(context, series, occurrences, 'REQUEST') : undefined,
        }),
      },
    });
    return {
      messages: [
        message(booker, true, `series:${series.id}:booked`),
        ...hallAdmins.map((admin) => message(admin, false, `series:${series.id}:booked:admin:${admin.id}`)),
      ],
      webhook: {
        id: `series:${series.id}:booked`,
        type: 'series.booked',
        occurredAt: context.now.toISOString(),
        data: seriesFacts(series, occurrences),
      },
    };
  },
};

/**
 * A series cancelled from a date on, or entirely: the booker (the calendar event ends there, or
 * goes) and the venue's hall admins other than whoever cancelled, each with the dates it freed.
 */
export const seriesCancelled: NoticeKind<NoticeOf<'series_cancelled'>> = {
  async plan(context, notice) {
    const loaded = await loadSeries(context, notice.seriesId);
    if (!loaded) return NOTHING;
    const { series, occurrences, booker, hallAdmins } = loaded;
    const cancellerName =
      notice.cancelledBy === booker.id
        ? booker.fullName
        : ((await findUser(context.sql, notice.cancelledBy))?.full_name ?? 'an administrator');
    const whole = series.cancelled_at !== null;
    const freed = occurrences.filter(
      (o) => o.status === 'cancelled' && (whole || (series.ends_before !== null && o.date >= series.ends_before)),
    );
    const dates = freed.map((o) => slotOf(series, o));
    const fromDate = whole ? null : series.ends_before;
    const byName = (recipient: Recipient) => (notice.cancelledBy === recipient.id ? 'you' : cancellerName);
    const message = (recipient: Recipient, toBooker: boolean, key: string): NoticeMessage => ({
      key,
      recipient,
      preference: { type: 'booking_cancelled' },
      inApp: {
        type: 'booking_cancelled',
        title: 'Series cancelled',
        link: toBooker ? '/bookings' : '/venue-bookings',
        message: `"${series.event_name}" at ${series.venue_name} was cancelled ${fromDate ? `from ${fromDate}` : 'entirely'} by ${byName(recipient)}: ${dates.length} ${dates.length === 1 ? 'date' : 'dates'}.`,
      },
      email: {
        template: 'series_cancelled',
        compose: async () => ({
          content: {
            recipientName: recipient.fullName,
            cancelledByName: byName(recipient),
            eventName: series.event_name,
            venueName: series.venue_name,
            fromDate,
            dates,
            bookingsUrl: `${context.baseUrl}/bookings`,
          },
          // Only the booker's calendar holds the series: it ends at the date, or goes.
          invitation: toBooker ? calendarOf(context, series, occurrences, whole ? 'CANCEL' : 'REQUEST') : undefined,
        }),
      },
    });
    const key = `series:${series.id}:cancelled:v${notice.sequence}`;
    return {
      messages: [
        message(booker, true, key),
        ...hallAdmins
          .filter((admin) => admin.id !== notice.cancelledBy && admin.id !== booker.id)
          .map((admin) => message(admin, false, `${key}:admin:${admin.id}`)),
      ],
      webhook: {
        id: key,
        type: 'series.cancelled',
        occurredAt: context.now.toISOString(),
        data: seriesFacts(series, occurrences),
      },
    };
  },
};

/**
 * A series moved to new times from a date on, or renamed: the booker (the calendar's one event
 * updated in place: new times, or the moved dates as exceptions) and the venue's hall admins other
 * than whoever changed it, each with the dates moved and those kept at their old times.
 */
export const seriesChanged: NoticeKind<NoticeOf<'series_changed'>> = {
  async plan(context, notice) {
    const loaded = await loadSeries(context, notice.seriesId);
    if (!loaded) return NOTHING;
    const { series, occurrences, booker, hallAdmins } = loaded;
    const changerName =
      notice.changedBy === booker.id
        ? booker.fullName
        : ((await findUser(context.sql, notice.changedBy))?.full_name ?? 'an administrator');
    const movedDates = new Set(notice.moved);
    const moved = occurrences.filter((o) => movedDates.has(o.date)).map((o) => slotOf(series, o));
    const byName = (recipient: Recipient) => (notice.changedBy === recipient.id ? 'you' : changerName);
    const what =
      moved.length > 0
        ? `moved ${moved.length} ${moved.length === 1 ? 'date' : 'dates'} of "${series.event_name}" at ${series.venue_name}`
        : `renamed "${notice.renamedFrom ?? series.event_name}" at ${series.venue_name} to "${series.event_name}"`;
    const kept = notice.kept.length > 0 ? ` ${notice.kept.length} kept their old time (the new one was taken).` : '';
    const message = (recipient: Recipient, toBooker: boolean, key: string): NoticeMessage => ({
      key,
      recipient,
      preference: { type: 'booking_rescheduled' },
      inApp: {
        type: 'booking_rescheduled',
        title: moved.length > 0 ? 'Series moved' : 'Series renamed',
        link: `/series/${series.id}`,
        message: `${byName(recipient) === 'you' ? 'You' : byName(recipient)} ${what}.${kept}`,
      },
      email: {
        template: 'series_changed',
        compose: async () => ({
          content: {
            recipientName: recipient.fullName,
            changedByName: byName(recipient),
            eventName: series.event_name,
            venueName: series.venue_name,
            formerName: notice.renamedFrom,
            moved,
            kept: notice.kept,
            bookingsUrl: `${context.baseUrl}/series/${series.id}`,
          },
          // Only the booker's calendar holds the series: its one event, as it now stands.
          invitation: toBooker ? calendarOf(context, series, occurrences, 'REQUEST') : undefined,
        }),
      },
    });
    const key = `series:${series.id}:changed:v${notice.sequence}`;
    return {
      messages: [
        message(booker, true, key),
        ...hallAdmins
          .filter((admin) => admin.id !== notice.changedBy && admin.id !== booker.id)
          .map((admin) => message(admin, false, `${key}:admin:${admin.id}`)),
      ],
      webhook: {
        id: key,
        type: 'series.changed',
        occurredAt: context.now.toISOString(),
        data: { ...seriesFacts(series, occurrences), moved: notice.moved, kept: notice.kept },
      },
    };
  },
};
