/**
 * The notice events an endpoint can subscribe to, one per kind of notice BookIT sends. Receivers
 * read `type` from the body; a new type is added here and nowhere else on the server.
 */
export const WEBHOOK_EVENT_TYPES = [
  'booking.created',
  'booking.rescheduled',
  'booking.reminder',
  'booking.cancelled',
  'booking.auto_cancelled',
  'booking.no_show',
  'booking.approval_requested',
  'booking.approval_chased',
  'booking.approval_decided',
  'series.booked',
  'series.cancelled',
  'series.changed',
  'waitlist.closed',
  'waitlist.offer',
  'waitlist.offer_expired',
  'user.welcome',
  'venue.admin_assigned',
  'announcement',
  'digest.daily',
] as const;

export type SubscribableEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** `webhook.test` is sent only by "send test event", to one endpoint, whatever it subscribed to. */
export const WEBHOOK_TEST_EVENT_TYPE = 'webhook.test';

export type WebhookEventType = SubscribableEventType | typeof WEBHOOK_TEST_EVENT_TYPE;

export function isSubscribableEventType(type: string): type is SubscribableEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

/** What each type announces, in words, for the admin choosing what an endpoint hears. */
export const WEBHOOK_EVENT_DESCRIPTIONS: Record<SubscribableEventType, string> = {
  'booking.created': 'A booking was made',
  'booking.rescheduled': 'A booking was moved to another time',
  'booking.reminder': 'A booker was reminded to confirm',
  'booking.cancelled': 'A booking was cancelled',
  'booking.auto_cancelled': 'A booking was cancelled for want of confirmation',
  'booking.no_show': 'A booking was released because nobody checked in',
  'booking.approval_requested': 'A booking at a venue whose staff approve bookings waits for their decision',
  'booking.approval_chased': "A request still undecided: its venue's staff nudged, or the super admins told",
  'booking.approval_decided': "A request was approved or denied (by its venue's staff, or by its deadline)",
  'series.booked': 'A repeating booking was made (all its dates at once)',
  'series.cancelled': 'A repeating booking was cancelled from a date on, or entirely',
  'series.changed': 'A repeating booking was moved to new times from a date on, or renamed',
  'waitlist.closed': 'A wait was closed because its venue closed over its time',
  'waitlist.offer': 'A freed slot was offered to someone waiting',
  'waitlist.offer_expired': 'A waitlist offer ran out unclaimed',
  'user.welcome': 'A new user was welcomed',
  'venue.admin_assigned': 'A hall admin was assigned to a venue',
  announcement: 'An announcement went out',
  'digest.daily': "A hall admin's daily digest went out",
};
