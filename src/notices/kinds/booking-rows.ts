import { findBookingDetails, type BookingDetails } from '../../bookings/details';
import {
  bookingInvitation,
  calendarIdentity,
  seriesInvitation,
  type Invitation,
} from '../../calendar/booking-calendar';
import { loadCalendarSeries } from '../../series/calendar';
import { describeDuration } from '../../config/duration';
import { findUser } from '../../users/store';
import { venueAdminUsers } from '../../venues/store';
import { formatSlot } from '../../mail/format-time';
import type { SubscribableEventType } from '../../webhooks';
import { confirmationDeadline } from '../../contracts/booking-policy';
import type { NoticeContext, Recipient } from '../kind';
import type { BookingNotice } from '../../contracts/notice';

// What every booking notice loads and says, once per notice: the booking with its venue and
// booker, the venue's hall admins, the words that name it, and the facts a webhook carries.

export interface BookingRows {
  booking: BookingDetails;
  booker: Recipient;
  /** Active hall admins of the venue, in id order. */
  hallAdmins: Recipient[];
}

export async function loadBookingRows(
  { sql }: NoticeContext,
  bookingId: number,
  { withHallAdmins }: { withHallAdmins: boolean },
): Promise<BookingRows | null> {
  const booking = await findBookingDetails(sql, bookingId);
  if (!booking) return null;
  const admins = withHallAdmins ? await venueAdminUsers(sql, booking.venue_id) : [];
  return {
    booking,
    booker: {
      id: booking.user_id,
      email: booking.user_email,
      fullName: booking.user_name,
      isActive: booking.user_active,
    },
    hallAdmins: admins.map((admin) => ({
      id: admin.id,
      email: admin.email,
      fullName: admin.full_name,
      isActive: admin.is_active,
    })),
  };
}

/** Someone the notice names by id, among those already loaded or else from their row. */
export async function recipientById({ sql }: NoticeContext, rows: BookingRows, id: number): Promise<Recipient | null> {
  const loaded = [rows.booker, ...rows.hallAdmins].find((recipient) => recipient.id === id);
  if (loaded) return loaded;
  const user = await findUser(sql, id);
  return user ? { id: user.id, email: user.email, fullName: user.full_name, isActive: user.is_active } : null;
}

/** `"Titration practical" at Chemistry Lab, Sun 6 Dec, 18:50–19:50 GMT+5:30`: how the inbox names a booking. */
export function bookingPhrase(booking: BookingDetails): string {
  return `"${booking.event_name}" at ${booking.venue_name}, ${formatSlot(booking.starts_at, booking.ends_at, booking.time_zone)}`;
}

export const bookingLink = (booking: BookingDetails) => `/bookings/${booking.id}`;

/** What every booking email shows of the booking. */
export function bookingEmailCommon(booking: BookingDetails) {
  return {
    eventName: booking.event_name,
    venueName: booking.venue_name,
    slot: { start: booking.starts_at, end: booking.ends_at, timeZone: booking.time_zone },
  };
}

/** The leads the booked and moved emails explain, in words. */
export function lifecycleLeads({ config }: NoticeContext) {
  return {
    reminderLead: describeDuration(config.lifecycle.reminderLeadMs),
    confirmDeadlineLead: describeDuration(config.lifecycle.confirmDeadlineMs),
  };
}

/**
 * The booking's calendar part, made from the row as it is now: its time, and the SEQUENCE of its
 * schedule version. An occurrence of a series is part of the series' one repeating event: the part
 * is that event as it now stands (this date cancelled is an EXDATE, moved an override), so the
 * calendar updates the series instead of gaining a stray event.
 */
export async function calendarPart(
  { config, sql }: NoticeContext,
  booking: BookingDetails,
  method: Invitation['method'],
): Promise<Invitation> {
  if (booking.series_id !== null && booking.series_id !== undefined) {
    const series = await loadCalendarSeries(sql, booking.series_id);
    if (series) return seriesInvitation(series, series.cancelled ? 'CANCEL' : 'REQUEST', calendarIdentity(config));
  }
  return bookingInvitation(booking, method, calendarIdentity(config));
}

/** The deadline the reminder named, or null when the booking is never cancelled for silence. */
export function reminderDeadline(booking: BookingDetails, confirmDeadlineMs: number): Date | null {
  const timing = {
    startsAt: booking.starts_at.getTime(),
    reminderSent: booking.reminder_sent,
    confirmDeadline: booking.confirm_deadline?.getTime() ?? null,
  };
  const deadline = confirmationDeadline(timing, confirmDeadlineMs);
  return deadline === null ? null : new Date(deadline);
}

const BOOKING_EVENT: Record<BookingNotice['kind'], SubscribableEventType> = {
  created: 'booking.created',
  reminder: 'booking.reminder',
  cancelled: 'booking.cancelled',
  auto_cancelled: 'booking.auto_cancelled',
  rescheduled: 'booking.rescheduled',
  no_show: 'booking.no_show',
  approval_requested: 'booking.approval_requested',
  approval_chased: 'booking.approval_chased',
  approval_decided: 'booking.approval_decided',
};

/** The id a booking notice's webhook event carries: stable across attempts, one per notice. */
export function bookingEventId(notice: BookingNotice): string {
  const version = 'scheduleVersion' in notice ? `:v${notice.scheduleVersion}` : '';
  const stage = 'stage' in notice ? `:${notice.stage}` : '';
  return `booking:${notice.bookingId}${version}:${notice.kind}${stage}`;
}

/**
 * What a booking notice tells a webhook: ids, instants, names and states, never a link token, a
 * password or anyone's email address. Its id is the notice's own, so a retry is the same event.
 */
export function bookingEvent(context: NoticeContext, notice: BookingNotice, booking: BookingDetails) {
  const deadline =
    booking.status === 'active' && !booking.confirmed
      ? reminderDeadline(booking, context.config.lifecycle.confirmDeadlineMs)
      : null;
  return {
    id: bookingEventId(notice),
    type: BOOKING_EVENT[notice.kind],
    occurredAt: context.now.toISOString(),
    data: {
      booking_id: booking.id,
      venue_id: booking.venue_id,
      venue_name: booking.venue_name,
      time_zone: booking.time_zone,
      user_id: booking.user_id,
      event_name: booking.event_name,
      starts_at: booking.starts_at.toISOString(),
      ends_at: booking.ends_at.toISOString(),
      status: booking.status,
      schedule_version: booking.schedule_version,
      confirmed: booking.confirmed,
      confirm_by: deadline?.toISOString() ?? null,
      auto_cancelled: booking.auto_cancelled,
      no_show: booking.no_show,
      cancelled_by: booking.cancelled_by,
      cancel_reason: booking.cancel_reason,
    },
  };
}
