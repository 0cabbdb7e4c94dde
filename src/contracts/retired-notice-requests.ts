// What workflows asked activities to send or record before the notices pipeline (src/notices):
// the retired per-email and per-notification requests, kept while workflows started earlier run.

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

export type { BookingNotice, EmailOutcome } from './notice';
