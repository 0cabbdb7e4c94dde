import { findLifecycleState } from '../src/bookings/lifecycle';
import { findUser } from '../src/db/users';
import type { NewNotification } from '../src/db/notifications';
import type { PreferenceType } from '../src/preferences/catalogue';
import { decide, type Decision } from '../src/preferences/decide';
import { findWaitlistEntryDetails } from '../src/waitlist/details';
import type { EmailSpec, NotificationRequest, NotificationSpec } from '../workflows/email-types';
import type { ActivityDeps } from './deps';
import { composeNotification } from './notification-composer';

// Where every activity asks whether a message goes out: right before it writes an in-app row or
// sends an email, from current rows and the recipient's preferences (src/preferences). Workflows
// never ask, so a change of preference never changes what a workflow replays.

/** Whose preferences a message answers to and which type it is; for a new-booking alert, the venue. */
interface Audience {
  userId: number;
  type: PreferenceType;
  venueId?: number;
}

/** Null when the message's subject is gone (its composer then sends nothing) or its kind has no preference type. */
async function audienceOf({ sql }: ActivityDeps, spec: EmailSpec | NotificationSpec): Promise<Audience | null> {
  const bookerOf = async (bookingId: number, type: PreferenceType): Promise<Audience | null> => {
    const booking = await findLifecycleState(sql, bookingId);
    return booking ? { userId: booking.userId, type } : null;
  };
  switch (spec.kind) {
    case 'welcome':
    case 'user_created':
      return { userId: spec.userId, type: 'welcome' };
    case 'venue_assigned':
      return { userId: spec.userId, type: 'venue_assigned' };
    case 'booking_confirmed':
    case 'booking_rescheduled':
    case 'booking_reminder':
    case 'booking_auto_cancelled':
      return bookerOf(spec.bookingId, spec.kind);
    case 'booking_cancelled':
      return { userId: spec.recipientId, type: 'booking_cancelled' };
    case 'booking_no_show':
      return { userId: spec.recipientId, type: 'booking_no_show' };
    case 'new_booking':
    case 'hall_admin_new_booking': {
      const booking = await findLifecycleState(sql, spec.bookingId);
      return booking ? { userId: spec.adminId, type: 'new_booking', venueId: booking.venueId } : null;
    }
    case 'waitlist_slot_available':
    case 'waitlist_offer_expired': {
      const entry = await findWaitlistEntryDetails(sql, spec.entryId);
      return entry ? { userId: entry.user_id, type: spec.kind } : null;
    }
    case 'daily_digest':
      return { userId: spec.adminId, type: 'daily_digest' };
    default:
      // A kind not in the preferences catalogue (a no-show release) always goes out.
      return null;
  }
}

/** Whether an email goes out; when it does not, who it was for (the email log's recipient) and why. */
export type EmailDecision = { send: true } | { send: false; recipient: string; reason: string };

export async function decideEmail(deps: ActivityDeps, spec: EmailSpec): Promise<EmailDecision> {
  const audience = await audienceOf(deps, spec);
  if (!audience) return { send: true };
  const decision: Decision = await decide(deps.sql, audience.userId, audience.type, 'email', { venueId: audience.venueId });
  if (decision.send) return decision;
  const recipient = await findUser(deps.sql, audience.userId);
  return { send: false, recipient: recipient?.email ?? '', reason: decision.reason };
}

/**
 * The in-app notification to write for a request: null when its subject is gone, or when its
 * recipient does not want this type in-app (or muted the venue of a new-booking alert).
 */
export async function notificationToWrite(deps: ActivityDeps, request: NotificationRequest): Promise<NewNotification | null> {
  const notification = await composeNotification(deps, request);
  if (!notification) return null;
  const audience = await audienceOf(deps, request.notification);
  if (!audience) return notification;
  const decision = await decide(deps.sql, notification.userId, audience.type, 'in_app', { venueId: audience.venueId });
  if (decision.send) return notification;
  deps.logger.info({ eventKey: request.key, kind: request.notification.kind, reason: decision.reason }, 'in-app notification held back by the recipient\'s preferences');
  return null;
}
