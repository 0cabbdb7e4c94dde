// What the workflows ask activities to send or record. Only ids travel through workflow history:
// activities load names and addresses, and make passwords and link tokens, themselves.

export type EmailSpec =
  | { kind: 'welcome'; userId: number }
  | { kind: 'venue_assigned'; userId: number; venueId: number }
  | { kind: 'booking_confirmed'; bookingId: number }
  | { kind: 'hall_admin_new_booking'; bookingId: number; adminId: number }
  | { kind: 'booking_cancelled'; bookingId: number; recipientId: number }
  | { kind: 'booking_reminder'; bookingId: number }
  | { kind: 'booking_auto_cancelled'; bookingId: number }
  /** The new time, with the calendar invitation's SEQUENCE bumped; not sent once the booking moved again. */
  | { kind: 'booking_rescheduled'; bookingId: number; scheduleVersion: number }
  | { kind: 'booking_no_show'; bookingId: number; recipientId: number }
  | { kind: 'waitlist_slot_available'; entryId: number }
  /** A hall admin's bookings of the day at their venues in one zone; the bookings are read when it is sent. */
  | { kind: 'daily_digest'; adminId: number; timeZone: string; localDate: string };

export interface EmailDeliveryRequest {
  /** Stable for one logical email, e.g. `booking:42:v1:reminder`; recorded in the email log. */
  key: string;
  email: EmailSpec;
  /** First retry delay; later ones double up to an hour, for 24 hours in all. */
  retryInitialMs: number;
}

export type NotificationSpec =
  | { kind: 'user_created'; userId: number }
  | { kind: 'venue_assigned'; userId: number; venueId: number }
  | { kind: 'booking_confirmed'; bookingId: number }
  | { kind: 'new_booking'; bookingId: number; adminId: number }
  | { kind: 'booking_cancelled'; bookingId: number; recipientId: number }
  | { kind: 'booking_reminder'; bookingId: number }
  | { kind: 'booking_auto_cancelled'; bookingId: number }
  | { kind: 'booking_rescheduled'; bookingId: number }
  | { kind: 'booking_no_show'; bookingId: number; recipientId: number }
  | { kind: 'waitlist_slot_available'; entryId: number }
  | { kind: 'waitlist_offer_expired'; entryId: number };

export interface NotificationRequest {
  /** Unique per event and recipient; a second write with the same key is ignored. */
  key: string;
  notification: NotificationSpec;
}

/**
 * `suppressed`: held back, by the recipient's preferences or because their address bounced (logged
 * so in email_log, with the reason). `bounced`: a server refused it for good (5xx); not retried, and
 * the address is suppressed until it changes. `refused`: what workers before `bounced` answered for
 * a 5xx to RCPT TO (kept for histories that recorded it).
 */
export type EmailOutcome = 'sent' | 'already_sent' | 'bounced' | 'refused' | 'failed' | 'suppressed';

/**
 * What the booking workflow tells people at each turn of a booking's life. One activity delivers
 * all of a notice's in-app notifications and emails, each under its own idempotency key.
 */
export type BookingNotice =
  /** The booker's confirmation and an alert to each hall admin of the venue. */
  | { kind: 'created'; bookingId: number }
  | { kind: 'reminder'; bookingId: number; scheduleVersion: number }
  | { kind: 'cancelled'; bookingId: number; recipientId: number }
  | { kind: 'auto_cancelled'; bookingId: number }
  /** The booker told of the new time (with the updated calendar invitation). */
  | { kind: 'rescheduled'; bookingId: number; scheduleVersion: number }
  /** Released because nobody checked in: the booker and each hall admin of the venue. */
  | { kind: 'no_show'; bookingId: number };
