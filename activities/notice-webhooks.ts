import { findBookingDetails, type BookingDetails } from '../src/bookings/details';
import { findWaitlistEntryDetails } from '../src/waitlist/details';
import type { WebhookEvent } from '../src/webhooks';
import type { SubscribableEventType } from '../src/webhooks/event-types';
import { confirmationDeadline } from '../workflows/booking-policy';
import type { BookingNotice, EmailDeliveryRequest } from '../workflows/email-types';
import type { ActivityDeps } from './deps';

// What a notice tells a webhook: the event's type and its facts (ids, instants, names, states),
// never a link token, a password or anyone's email address. The event id is the notice's own key,
// so a retried delivery is the same event to the receiver (`webhook-id`).

const BOOKING_EVENT: Record<BookingNotice['kind'], SubscribableEventType> = {
  created: 'booking.created',
  reminder: 'booking.reminder',
  cancelled: 'booking.cancelled',
  auto_cancelled: 'booking.auto_cancelled',
  rescheduled: 'booking.rescheduled',
  no_show: 'booking.no_show',
};

/** The id a booking notice's webhook event carries: stable across attempts, one per notice. */
export function bookingNoticeEventId(notice: BookingNotice): string {
  const version = 'scheduleVersion' in notice ? `:v${notice.scheduleVersion}` : '';
  return `booking:${notice.bookingId}${version}:${notice.kind}`;
}

function bookingFacts(booking: BookingDetails, confirmDeadlineMs: number): Record<string, unknown> {
  const deadline = booking.status === 'active' && !booking.confirmed
    ? confirmationDeadline({ startsAt: booking.starts_at.getTime(), reminderSent: booking.reminder_sent, confirmDeadline: booking.confirm_deadline?.getTime() ?? null }, confirmDeadlineMs)
    : null;
  return {
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
    confirm_by: deadline === null ? null : new Date(deadline).toISOString(),
    auto_cancelled: booking.auto_cancelled,
    no_show: booking.no_show,
    cancelled_by: booking.cancelled_by,
    cancel_reason: booking.cancel_reason,
  };
}

/** The webhook event of a booking notice, from current rows; null once the booking is gone. */
export async function bookingNoticeEvent({ sql, config }: ActivityDeps, notice: BookingNotice): Promise<WebhookEvent | null> {
  const booking = await findBookingDetails(sql, notice.bookingId);
  if (!booking) return null;
  return { id: bookingNoticeEventId(notice), type: BOOKING_EVENT[notice.kind], occurredAt: new Date().toISOString(), data: bookingFacts(booking, config.lifecycle.confirmDeadlineMs) };
}

/**
 * The webhook event of an email the older, per-email path sends (welcome, hall admin assigned,
 * waitlist offer, daily digest); null for kinds that have none. Keyed by the email's own key.
 */
export async function emailEvent({ sql }: ActivityDeps, request: EmailDeliveryRequest): Promise<WebhookEvent | null> {
  const { email } = request;
  const at = new Date().toISOString();
  switch (email.kind) {
    case 'welcome':
      return { id: request.key, type: 'user.welcome', occurredAt: at, data: { user_id: email.userId } };
    case 'venue_assigned':
      return { id: request.key, type: 'venue.admin_assigned', occurredAt: at, data: { user_id: email.userId, venue_id: email.venueId } };
    case 'daily_digest':
      return { id: request.key, type: 'digest.daily', occurredAt: at, data: { user_id: email.adminId, time_zone: email.timeZone, local_date: email.localDate } };
    case 'waitlist_slot_available': {
      const entry = await findWaitlistEntryDetails(sql, email.entryId);
      if (!entry) return null;
      return {
        id: request.key, type: 'waitlist.offer', occurredAt: at,
        data: {
          waitlist_entry_id: entry.id, venue_id: entry.venue_id, venue_name: entry.venue_name, time_zone: entry.time_zone, user_id: entry.user_id,
          starts_at: entry.starts_at.toISOString(), ends_at: entry.ends_at.toISOString(), status: entry.status, offer_expires_at: entry.offer_expires_at?.toISOString() ?? null,
        },
      };
    }
    default:
      return null;
  }
}
