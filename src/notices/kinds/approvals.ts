import { activeSuperAdmins } from '../../users/store';
import { findVenue } from '../../venues/store';
import type { NoticeOf } from '../../contracts/notice';
import type { BookingDetails } from '../../bookings/details';
import type { NoticeContext, NoticeKind, NoticeMessage, Recipient } from '../kind';
import { NOTHING } from '../kind';
import {
  bookingEmailCommon,
  bookingEvent,
  bookingLink,
  bookingPhrase,
  calendarPart,
  lifecycleLeads,
  loadBookingRows,
} from './booking-rows';
import { formatInstant } from '../../mail/format-time';
import { describeRecurrence } from '../../series/recurrence';
import { findSeriesDetails, seriesOccurrences, type SeriesOccurrence } from '../../series/store';

// Venues whose staff approve bookings: the request (the booker waits, the staff are asked with
// Approve and Deny links), its chasers (a nudge, then the super admins), and the decision.

/**
 * A date of a repeating request is asked for, chased and decided with its series: its notices
 * speak of the series (its rule, its dates) under the series' keys, so the first of its dates to
 * plan one sends it and the rest change nothing.
 */
interface SeriesRequest {
  id: number;
  pattern: string;
  /** The dates the notice is about, in order. */
  dates: { start: Date; end: Date; timeZone: string }[];
}

async function seriesRequestOf(
  context: NoticeContext,
  booking: BookingDetails,
  which: (occurrence: SeriesOccurrence) => boolean,
): Promise<SeriesRequest | null> {
  if (booking.series_id === null || booking.series_id === undefined) return null;
  const series = await findSeriesDetails(context.sql, booking.series_id);
  if (!series) return null;
  const occurrences = await seriesOccurrences(context.sql, series.id);
  return {
    id: series.id,
    pattern: describeRecurrence(series.rrule),
    dates: occurrences.filter(which).map((o) => ({ start: o.starts_at, end: o.ends_at, timeZone: series.time_zone })),
  };
}

const waiting = (o: SeriesOccurrence) => o.status === 'active' && o.approval_status === 'pending';
const countOf = (n: number) => (n === 1 ? '1 date' : `${n} dates`);
/** "“Lab” at Hall, every week on Tuesday for 6 times: 6 dates", or the one booking's phrase. */
const requestPhrase = (booking: BookingDetails, series: SeriesRequest | null) =>
  series
    ? `"${booking.event_name}" at ${booking.venue_name}, ${series.pattern}: ${countOf(series.dates.length)}`
    : bookingPhrase(booking);

/** One request to one decider: in-app, and an email whose links act as that person. */
function requestTo(
  context: NoticeContext,
  booking: BookingDetails,
  onTimeout: 'deny' | 'approve',
  recipient: Recipient,
  stage: 'new' | 'nudge' | 'escalation',
  key: string,
  series: SeriesRequest | null,
): NoticeMessage {
  const decideBy = booking.approval_deadline ?? booking.starts_at;
  const title =
    stage === 'new'
      ? `Approval needed at ${booking.venue_name}`
      : stage === 'nudge'
        ? `Still waiting for approval at ${booking.venue_name}`
        : `Nobody has decided a request at ${booking.venue_name}`;
  return {
    key,
    recipient,
    preference: { type: 'new_booking', venueId: booking.venue_id },
    inApp: {
      type: 'new_booking',
      title,
      message: `${booking.user_name} asks for ${requestPhrase(booking, series)}. Decide by ${formatInstant(decideBy, booking.time_zone)}.`,
      link: '/requests',
    },
    email: {
      template: 'approval_request',
      compose: async (secrets) => ({
        content: {
          adminName: recipient.fullName,
          stage,
          bookerName: booking.user_name,
          ...bookingEmailCommon(booking),
          eventDetails: booking.event_details,
          decideBy,
          onTimeout,
          approveUrl: series
            ? await secrets.actionUrl('approve_series', series.id, recipient.id, decideBy)
            : await secrets.actionUrl('approve', booking.id, recipient.id, decideBy),
          denyUrl: series
            ? await secrets.actionUrl('deny_series', series.id, recipient.id, decideBy)
            : await secrets.actionUrl('deny', booking.id, recipient.id, decideBy),
          requestsUrl: `${context.baseUrl}/requests`,
          series: series && { pattern: series.pattern, dates: series.dates },
        },
      }),
    },
  };
}

const stillPending = (booking: BookingDetails) => booking.approval_status === 'pending' && booking.status === 'active';

/** A new request: the booker told it waits (and till when), each hall admin of the venue asked. */
export const approvalRequested: NoticeKind<NoticeOf<'approval_requested'>> = {
  async plan(context, notice) {
    const rows = await loadBookingRows(context, notice.bookingId, { withHallAdmins: true });
    if (!rows) return NOTHING;
    const { booking, booker, hallAdmins } = rows;
    const venue = await findVenue(context.sql, booking.venue_id);
    const onTimeout = venue?.approval_on_timeout ?? 'deny';
    const decideBy = booking.approval_deadline ?? booking.starts_at;
    const series = await seriesRequestOf(context, booking, waiting);
    const subject = series ? `series:${series.id}` : `booking:${booking.id}`;
    const link = series ? `/series/${series.id}` : bookingLink(booking);
    const toBooker: NoticeMessage = {
      key: `${subject}:approval:requested`,
      recipient: booker,
      preference: { type: 'booking_confirmed' },
      inApp: {
        type: 'booking_confirmed',
        title: 'Waiting for approval',
        link,
        message: `Your request for ${requestPhrase(booking, series)} waits for approval by ${booking.venue_name}'s staff, decided by ${formatInstant(decideBy, booking.time_zone)}.`,
      },
      email: {
        template: 'approval_pending',
        compose: async () =>
          stillPending(booking)
            ? {
                content: {
                  bookerName: booker.fullName,
                  ...bookingEmailCommon(booking),
                  decideBy,
                  onTimeout,
                  bookingUrl: `${context.baseUrl}${link}`,
                  series: series && { pattern: series.pattern, dates: series.dates },
                },
              }
            : null,
      },
    };
    const asks = hallAdmins
      .filter((admin) => admin.id !== booker.id)
      .map((admin) =>
        requestTo(context, booking, onTimeout, admin, 'new', `${subject}:approval:request:${admin.id}`, series),
      );
    return { messages: [toBooker, ...asks], webhook: bookingEvent(context, notice, booking) };
  },
};

/** Still undecided: the venue's hall admins nudged, or the super admins told. Nothing once it is decided. */
export const approvalChased: NoticeKind<NoticeOf<'approval_chased'>> = {
  async plan(context, notice) {
    const rows = await loadBookingRows(context, notice.bookingId, { withHallAdmins: notice.stage === 'nudged' });
    if (!rows || !stillPending(rows.booking)) return NOTHING;
    const { booking } = rows;
    const venue = await findVenue(context.sql, booking.venue_id);
    const onTimeout = venue?.approval_on_timeout ?? 'deny';
    const recipients =
      notice.stage === 'nudged'
        ? rows.hallAdmins
        : (await activeSuperAdmins(context.sql)).map(
            (user): Recipient => ({
              id: user.id,
              email: user.email,
              fullName: user.full_name,
              isActive: user.is_active,
            }),
          );
    const stage = notice.stage === 'nudged' ? 'nudge' : 'escalation';
    const series = await seriesRequestOf(context, booking, waiting);
    const subject = series ? `series:${series.id}` : `booking:${booking.id}`;
    const messages = recipients
      .filter((recipient) => recipient.id !== booking.user_id)
      .map((recipient) =>
        requestTo(
          context,
          booking,
          onTimeout,
          recipient,
          stage,
          `${subject}:approval:${notice.stage}:${recipient.id}`,
          series,
        ),
      );
    return { messages, webhook: bookingEvent(context, notice, booking) };
  },
};

/**
 * The booker told the decision: approved (booked, with the calendar invitation) or denied, and why.
 * A series decided as a whole (or by its deadline) is told once, for all its dates; a date denied
 * alone, for that date.
 */
export const approvalDecided: NoticeKind<NoticeOf<'approval_decided'>> = {
  async plan(context, notice) {
    const rows = await loadBookingRows(context, notice.bookingId, { withHallAdmins: false });
    if (!rows || (rows.booking.approval_status !== 'approved' && rows.booking.approval_status !== 'denied'))
      return NOTHING;
    const { booking, booker } = rows;
    const approved = booking.approval_status === 'approved';
    const byDefault = booking.approval_decided_by === null;
    const series = booking.approval_with_series
      ? await seriesRequestOf(
          context,
          booking,
          (o) =>
            o.approval_status === booking.approval_status &&
            (approved ? o.status === 'active' : o.status === 'cancelled'),
        )
      : null;
    const link = series ? `/series/${series.id}` : bookingLink(booking);
    const phrase = requestPhrase(booking, series);
    return {
      messages: [
        {
          key: `${series ? `series:${series.id}` : `booking:${booking.id}`}:approval:${booking.approval_status}`,
          recipient: booker,
          preference: approved ? { type: 'booking_confirmed' } : { type: 'booking_cancelled' },
          inApp: approved
            ? {
                type: 'booking_confirmed',
                title: 'Approved: booked',
                message: `${booking.venue_name}'s staff approved ${phrase}: you're booked.`,
                link,
              }
            : {
                type: 'booking_cancelled',
                title: 'Not approved',
                message: `Your request for ${phrase} was not approved.${booking.approval_reason ? ` Reason: ${booking.approval_reason}` : ''}`,
                link,
              },
          email: {
            template: 'approval_decided',
            compose: async () => ({
              content: {
                bookerName: booker.fullName,
                ...bookingEmailCommon(booking),
                approved,
                byDefault,
                reason: booking.approval_reason,
                bookingUrl: `${context.baseUrl}${link}`,
                ...lifecycleLeads(context),
                series: series && { pattern: series.pattern, dates: series.dates },
              },
              invitation:
                approved && booking.status === 'active' ? await calendarPart(context, booking, 'REQUEST') : undefined,
            }),
          },
        },
      ],
      webhook: bookingEvent(context, notice, booking),
    };
  },
};
