import { ApplicationFailure, Context } from '@temporalio/activity';
import { findBookingDetails } from '../src/bookings/details';
import { findLifecycleState } from '../src/bookings/lifecycle';
import { insertNotification } from '../src/db/notifications';
import { markEmailFailed, settledEmailStatus } from '../src/db/email-log';
import { venueAdminIds } from '../src/db/venues';
import type { BookingNotice, EmailOutcome, EmailSpec, NotificationSpec } from '../workflows/email-types';
import type { ActivityDeps } from './deps';
import { notificationToWrite } from './delivery-preferences';
import { emailSender } from './email';
import { deliverWebhookEvent, markWebhookEventFailed } from '../src/webhooks';
import { bookingNoticeEvent, bookingNoticeEventId } from './notice-webhooks';

/** One person's share of a notice: an in-app notification and an email under one key. */
interface NoticeMessage {
  key: string;
  notification: NotificationSpec;
  email: EmailSpec;
}

/** Who hears of a notice, from current rows; the keys are the ones the booking has always used. */
async function messagesOf({ sql }: ActivityDeps, notice: BookingNotice): Promise<NoticeMessage[]> {
  const { bookingId } = notice;
  switch (notice.kind) {
    case 'created': {
      const booking = await findLifecycleState(sql, bookingId);
      if (!booking) return [];
      const admins = await venueAdminIds(sql, booking.venueId);
      return [
        { key: `booking:${bookingId}:created`, notification: { kind: 'booking_confirmed', bookingId }, email: { kind: 'booking_confirmed', bookingId } },
        ...admins.map((adminId): NoticeMessage => ({
          key: `booking:${bookingId}:new:admin:${adminId}`,
          notification: { kind: 'new_booking', bookingId, adminId },
          email: { kind: 'hall_admin_new_booking', bookingId, adminId },
        })),
      ];
    }
    case 'reminder': {
      const key = `booking:${bookingId}:v${notice.scheduleVersion}:reminder`;
      return [{ key, notification: { kind: 'booking_reminder', bookingId }, email: { kind: 'booking_reminder', bookingId } }];
    }
    case 'cancelled': {
      // The booker, and the venue's hall admins (who were told of the booking) unless they cancelled it.
      const { recipientId } = notice;
      const booking = await findBookingDetails(sql, bookingId);
      const admins = booking ? (await venueAdminIds(sql, booking.venue_id)).filter((id) => id !== recipientId && id !== booking.cancelled_by) : [];
      return [
        { key: `booking:${bookingId}:cancelled`, notification: { kind: 'booking_cancelled', bookingId, recipientId }, email: { kind: 'booking_cancelled', bookingId, recipientId } },
        ...admins.map((adminId): NoticeMessage => ({
          key: `booking:${bookingId}:cancelled:admin:${adminId}`,
          notification: { kind: 'booking_cancelled', bookingId, recipientId: adminId },
          email: { kind: 'booking_cancelled', bookingId, recipientId: adminId },
        })),
      ];
    }
    case 'auto_cancelled':
      return [{ key: `booking:${bookingId}:auto-cancelled`, notification: { kind: 'booking_auto_cancelled', bookingId }, email: { kind: 'booking_auto_cancelled', bookingId } }];
    case 'rescheduled': {
      // The booker, once per schedule version: the new time, with the invitation's SEQUENCE bumped.
      const key = `booking:${bookingId}:v${notice.scheduleVersion}:rescheduled`;
      return [{ key, notification: { kind: 'booking_rescheduled', bookingId }, email: { kind: 'booking_rescheduled', bookingId, scheduleVersion: notice.scheduleVersion } }];
    }
    case 'no_show': {
      const booking = await findLifecycleState(sql, bookingId);
      if (!booking) return [];
      const recipients = [booking.userId, ...(await venueAdminIds(sql, booking.venueId)).filter((id) => id !== booking.userId)];
      return recipients.map((recipientId): NoticeMessage => ({
        key: `booking:${bookingId}:no-show:${recipientId}`,
        notification: { kind: 'booking_no_show', bookingId, recipientId },
        email: { kind: 'booking_no_show', bookingId, recipientId },
      }));
    }
  }
}

/** Well inside the workflow's 30 s heartbeat timeout. */
const HEARTBEAT_EVERY_MS = 5_000;

const isRefusal = (error: unknown) => error instanceof ApplicationFailure && error.type === 'EmailRefused';

export function bookingNoticeActivities(deps: ActivityDeps) {
  const send = emailSender(deps);
  return {
    /** A notice's in-app notifications, one per person it concerns; keyed, so a retry writes nothing twice. */
    async recordBookingNotice(notice: BookingNotice): Promise<void> {
      for (const message of await messagesOf(deps, notice)) {
        const notification = await notificationToWrite(deps, { key: message.key, notification: message.notification });
        if (notification) await insertNotification(deps.sql, notification);
      }
    },

    /**
     * A notice's emails, each sent once per key. A refused recipient does not hold up the others;
     * any other failure is thrown after every recipient was tried, so Temporal retries the notice
     * and only what is still unsent goes out.
     */
    async deliverBookingNotice(notice: BookingNotice): Promise<EmailOutcome[]> {
      const context = Context.current();
      const outcomes: EmailOutcome[] = [];
      let retryable: unknown = null;
      // Alive while an SMTP exchange is slow (one may take up to its 50 s of transport timeouts):
      // only a worker that died stops heartbeating, and its attempt is retried within the timeout.
      const alive = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        for (const message of await messagesOf(deps, notice)) {
          try {
            outcomes.push(await send({ key: message.key, email: message.email, retryInitialMs: 0 }, context.info.attempt));
          } catch (error) {
            if (!isRefusal(error)) retryable ??= error;
            else outcomes.push('refused');
          }
          context.heartbeat();
        }
        // The notice's webhook event, once per endpoint: a receiver that is down makes the notice
        // retry with its emails' backoff, and what was delivered is not sent again.
        const event = await bookingNoticeEvent(deps, notice);
        if (event) await deliverWebhookEvent(deps, event).catch((error: unknown) => void (retryable ??= error));
      } finally {
        clearInterval(alive);
      }
      if (retryable) throw retryable;
      return outcomes;
    },

    /** After the last retry: every email of the notice still unsent is logged failed, for operators. */
    async recordBookingNoticeFailure(notice: BookingNotice, reason: string): Promise<void> {
      await markWebhookEventFailed(deps, bookingNoticeEventId(notice), reason);
      for (const message of await messagesOf(deps, notice)) {
        if (await settledEmailStatus(deps.sql, message.key)) continue;
        await markEmailFailed(deps.sql, { key: message.key, template: message.email.kind, error: reason });
        deps.logger.error({ emailKey: message.key, kind: message.email.kind, err: reason }, 'email failed after all retries');
      }
    },
  };
}
