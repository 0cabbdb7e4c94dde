import { Context } from '@temporalio/activity';
import { noticesPipeline, type EmailOutcome, type Notice, type NoticeMessage } from '../src/notices';
import type {
  BookingNotice,
  EmailDeliveryRequest,
  EmailSpec,
  NotificationRequest,
  NotificationSpec,
} from '../src/contracts/retired-notice-requests';
import type { ActivityDeps } from './deps';

// The activities workflows called before the notices pipeline, kept registered while runs started
// then are still open (README, "Retiring old workflow code"). Each serves its old request through
// the notices room, so sending still happens in one place: the request is read as the notice it
// was part of, and only its own recipient's message is recorded or sent, under its old key.

interface LegacyMessage {
  notice: Notice;
  /** Which of the notice's messages the old request meant. */
  meant(message: NoticeMessage): boolean;
}

const numberIn = (key: string, pattern: RegExp): number => Number(pattern.exec(key)?.[1] ?? 0);
const to = (id: number) => (message: NoticeMessage) => message.recipient.id === id;
const ofType = (type: string) => (message: NoticeMessage) => message.inApp?.type === type;
const any = () => true;

function legacyMessage(spec: EmailSpec | NotificationSpec, key: string): LegacyMessage {
  switch (spec.kind) {
    case 'welcome':
    case 'user_created':
      return { notice: { kind: 'welcome', userId: spec.userId }, meant: any };
    case 'venue_assigned':
      return {
        notice: {
          kind: 'venue_assigned',
          userId: spec.userId,
          venueId: spec.venueId,
          assignmentId: /:([^:]*)$/.exec(key)?.[1] ?? '',
        },
        meant: any,
      };
    case 'booking_confirmed':
      return { notice: { kind: 'created', bookingId: spec.bookingId }, meant: ofType('booking_confirmed') };
    case 'hall_admin_new_booking':
    case 'new_booking':
      return {
        notice: { kind: 'created', bookingId: spec.bookingId },
        meant: (message) => ofType('new_booking')(message) && to(spec.adminId)(message),
      };
    case 'booking_cancelled':
      return {
        notice: { kind: 'cancelled', bookingId: spec.bookingId, recipientId: spec.recipientId },
        meant: to(spec.recipientId),
      };
    case 'booking_reminder':
      return {
        notice: { kind: 'reminder', bookingId: spec.bookingId, scheduleVersion: numberIn(key, /:v(\d+):/) || 1 },
        meant: any,
      };
    case 'booking_auto_cancelled':
      return { notice: { kind: 'auto_cancelled', bookingId: spec.bookingId }, meant: any };
    case 'booking_rescheduled':
      return {
        notice: {
          kind: 'rescheduled',
          bookingId: spec.bookingId,
          scheduleVersion: 'scheduleVersion' in spec ? spec.scheduleVersion : numberIn(key, /:v(\d+):/),
        },
        meant: any,
      };
    case 'booking_no_show':
      return { notice: { kind: 'no_show', bookingId: spec.bookingId }, meant: to(spec.recipientId) };
    case 'waitlist_slot_available':
      return {
        notice: { kind: 'waitlist_offer', entryId: spec.entryId, offeredAt: numberIn(key, /:offer:(\d+)/) },
        meant: any,
      };
    case 'waitlist_offer_expired':
      return { notice: { kind: 'waitlist_offer_expired', entryId: spec.entryId }, meant: any };
    case 'daily_digest':
      return {
        notice: { kind: 'daily_digest', adminId: spec.adminId, timeZone: spec.timeZone, localDate: spec.localDate },
        meant: any,
      };
  }
}

export function retiredNoticeActivities(deps: ActivityDeps) {
  const pipeline = noticesPipeline(deps);
  /** The old request's message, under the old request's key, and the notice's webhook event. */
  const resolve = async (spec: EmailSpec | NotificationSpec, key: string) => {
    const { notice, meant } = legacyMessage(spec, key);
    const plan = await pipeline.plan(notice);
    const message = plan.messages.find(meant);
    return { message: message ? { ...message, key } : null, webhook: plan.webhook };
  };

  return {
    /** One in-app notification (workflows before `one-notices-pipeline`). */
    async recordNotification(request: NotificationRequest): Promise<number | null> {
      const { message } = await resolve(request.notification, request.key);
      return message ? pipeline.recordMessage(message) : null;
    },

    /** One email, at most once per key (workflows before `one-notices-pipeline`); the notice's webhook event goes with it, once per event id. */
    async deliverEmail(request: EmailDeliveryRequest): Promise<EmailOutcome> {
      const { message, webhook } = await resolve(request.email, request.key);
      const outcome = message ? await pipeline.deliverMessage(message, Context.current().info.attempt) : 'already_sent';
      if (webhook) await pipeline.deliverWebhook(webhook);
      return outcome;
    },

    async recordEmailFailure(key: string, template: string, reason: string): Promise<void> {
      await pipeline.recordEmailFailure(key, template, reason);
    },

    // A booking notice's steps as bookings started before `one-notices-pipeline` call them.
    recordBookingNotice: (notice: BookingNotice) => pipeline.record(notice),
    deliverBookingNotice: (notice: BookingNotice) =>
      pipeline.deliver(notice, Context.current().info.attempt, () => Context.current().heartbeat()),
    recordBookingNoticeFailure: (notice: BookingNotice, reason: string) => pipeline.recordFailure(notice, reason),
  };
}
