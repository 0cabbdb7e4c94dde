// The API's answers, written from the zod schemas in src/api/routes/*.ts. The browser bundle never
// imports server code, so these are kept by hand; fields the server adds later are simply unused.

export type Role = 'super_admin' | 'hall_admin' | 'member';

export interface User {
  id: number;
  email: string;
  full_name: string;
  role: Role;
}

/** Set while email to an address bounces (a server refused it for good): when, and the server's answer. */
export interface EmailBounced {
  at: string;
  reason: string;
}

export interface Me extends User {
  must_change_password: boolean;
  email_bounced: EmailBounced | null;
}

export interface LoginAnswer {
  access: string;
  user: User;
}

export interface RefreshAnswer {
  access: string;
}

export interface PasswordChanged {
  message: string;
  access: string;
}

export interface Message {
  message: string;
}

export interface CountedMessage extends Message {
  count: number;
}

export type BookingStatus = 'active' | 'cancelled' | 'completed';

/** Where a booking stands, in one word (each booking is in exactly one); a denied request is `cancelled`. */
export type BookingState =
  | 'pending_approval'
  | 'awaiting_confirmation'
  | 'confirmed'
  | 'checked_in'
  | 'no_show'
  | 'cancelled'
  | 'completed';

export interface Booking {
  id: number;
  venue: number;
  venue_name: string;
  user: number;
  /** The booker's name and email, for hall and super admins, once the server sends them. */
  user_name?: string;
  user_email?: string;
  /** Venue-local date and wall-clock times. */
  date: string;
  start_time: string;
  end_time: string;
  /** IANA zone of the venue; starts_at and ends_at are the same slot as instants. */
  time_zone: string;
  starts_at: string;
  ends_at: string;
  /** By when an active, unconfirmed booking must be confirmed, else null. */
  confirm_by: string | null;
  event_name: string;
  event_details: string;
  status: BookingStatus;
  state: BookingState;
  reminder_sent: boolean;
  reminder_sent_at: string | null;
  /** When the reminder's email bounced: then never cancelled automatically. */
  reminder_email_bounced_at?: string | null;
  /** At a venue whose staff approve bookings: pending (holding the slot), approved or denied. */
  approval_status?: 'pending' | 'approved' | 'denied' | null;
  approval_deadline?: string | null;
  approval_decided_at?: string | null;
  /** Who decided; null when the deadline's default did. */
  approval_decided_by?: number | null;
  approval_reason?: string | null;
  /** The repeating booking this is a date of (GET /api/booking_series/{id}); null for a single booking. */
  series_id?: number | null;
  confirmed: boolean;
  confirmed_at: string | null;
  auto_cancelled: boolean;
  auto_cancelled_at: string | null;
  auto_cancel_reason: string | null;
  cancelled_at: string | null;
  cancelled_by: number | null;
  cancel_reason: string | null;
  /** The venue's check-in window for this booking, or null when the venue asks for none. */
  check_in_opens_at: string | null;
  check_in_closes_at: string | null;
  checked_in_at: string | null;
  /** Released (cancelled) because nobody checked in before the window closed. */
  no_show: boolean;
  no_show_at: string | null;
  created_at: string;
}

export interface CancelledBooking extends Message {
  booking: Booking;
}

export interface Confirmed extends Message {
  confirmed_at: string | null;
}

/** A date a series could not have (someone else holds it): why, and the venue-local times that hold it. */
export interface SeriesConflict {
  date: string;
  reason: string;
  held_by: { start_time: string; end_time: string }[];
  /** With on_conflict "waitlist": the wait joined for that date (absent when already waiting for it). */
  waitlist_entry_id?: number;
}

/** POST /api/booking_series: each date booked (a booking of its own) and each date not booked. */
export interface SeriesCreated {
  id: number;
  occurrences: { date: string; booking_id: number }[];
  conflicts: SeriesConflict[];
}

/** One date of a series: its booking as it stands. */
export interface SeriesOccurrence {
  booking_id: number;
  /** Venue-local YYYY-MM-DD. */
  date: string;
  status: BookingStatus;
  confirmed: boolean;
  starts_at: string;
  ends_at: string;
  /** This date alone is off the series' times (moved on its own, or kept when the rest moved). */
  moved: boolean;
}

/** PATCH /api/booking_series/{id}: the dates moved, and each date that kept its old time with why. */
export interface SeriesMoved {
  moved: { date: string; booking_id: number }[];
  conflicts: SeriesConflict[];
}

/** GET /api/booking_series/{id}. */
export interface BookingSeries {
  id: number;
  venue: number;
  venue_name: string;
  time_zone: string;
  user: number;
  user_name: string;
  event_name: string;
  event_details: string;
  /** RFC 5545 RRULE as the server stored it (normalized: "FREQ=MONTHLY;BYDAY=+2TU;COUNT=3"). */
  rrule: string;
  first_date: string;
  /** Venue-local "HH:MM:SS". */
  start_time: string;
  end_time: string;
  /** Dates of the rule left out: asked to, or taken by someone else when it was made. */
  excluded_dates: string[];
  /** Cancelled from this date on ("this and following"), else null. */
  ends_before: string | null;
  /** Cancelled entirely (or from its first date), else null. */
  cancelled_at: string | null;
  occurrences: SeriesOccurrence[];
}

export interface Venue {
  id: number;
  name: string;
  location: string;
  capacity: number | null;
  time_zone: string;
  building: string;
  floor: string;
  description: string;
  amenities: string[];
  /** No new bookings; its history stays. */
  archived: boolean;
  admin_ids: number[];
  check_in: CheckInRule;
  approval: ApprovalRule;
}

/** Whether a venue's staff approve each booking, and what a request nobody decides by its deadline comes to. */
export interface ApprovalRule {
  required: boolean;
  on_timeout: 'deny' | 'approve';
}

/** GET /api/approvals: a booking waiting for the venue's staff to approve it (its id is the booking's). */
export interface ApprovalRequest {
  id: number;
  venue_id: number;
  venue_name: string;
  /** IANA zone of the venue; starts_at and ends_at are the slot as instants. */
  time_zone: string;
  user_id: number;
  user_name: string;
  event_name: string;
  event_details: string;
  /** Venue-local date and "HH:MM" times. */
  date: string;
  start_time: string;
  end_time: string;
  starts_at: string;
  ends_at: string;
  requested_at: string;
  /** Undecided by then, the venue's default (on_timeout) applies. */
  decide_by: string;
  on_timeout: 'deny' | 'approve';
  /** A date of a repeating request, decided with its series (or denied alone); null for a single booking. */
  series_id: number | null;
}

/** Whether a venue's bookers must check in, and the window around each booking's start. */
export interface CheckInRule {
  required: boolean;
  opens_before_minutes: number;
  closes_after_minutes: number;
}

/** GET /api/venues/{id}/no_shows: members with at least one no-show there, most first. */
export interface NoShowCount {
  user_id: number;
  full_name: string;
  email: string;
  no_shows: number;
  last_no_show_at: string;
}

export interface ScheduledSlot {
  start_time: string;
  end_time: string;
  mine: boolean;
  id: number | null;
  event_name: string | null;
}

export interface VenueSchedule {
  venue_id: number;
  date: string;
  time_zone: string;
  bookings: ScheduledSlot[];
}

export type WaitlistStatus = 'waiting' | 'offered' | 'claimed' | 'expired' | 'left' | 'closed';

/** GET /api/waitlist: every entry of the caller, with its offer state. */
export interface WaitlistEntry {
  id: number;
  venue: number;
  venue_name: string;
  /** Venue-local date and times; starts_at and ends_at are the same slot as instants in time_zone. */
  date: string;
  start_time: string;
  end_time: string;
  time_zone: string;
  starts_at: string;
  ends_at: string;
  priority: number;
  status: WaitlistStatus;
  notified: boolean;
  notified_at: string | null;
  /** "HH:MM:SS" left in an open offer, else null. */
  time_remaining: string | null;
  /** When an offer lapses unless claimed; null when none was made. */
  offer_expires_at: string | null;
  is_expired: boolean;
  claimed: boolean;
  booking_id: number | null;
  created_at: string;
}

/** GET /api/waitlist/my_waitlist: the caller's open entries with their place in the queue. */
export interface WaitingEntry {
  id: number;
  venue: number;
  venue_name: string;
  time_zone: string;
  starts_at: string;
  ends_at: string;
  date: string;
  start_time: string;
  end_time: string;
  status: 'waiting' | 'offered';
  /** While an offer is open: when it lapses unless claimed (count down from it); else null. */
  offer_expires_at: string | null;
  /** While an offer of part of the slot is open (the rest of a slot that has begun): that part; else null. */
  offer_starts_at: string | null;
  offer_ends_at: string | null;
  notified: boolean;
  priority: number;
  users_ahead: number;
}

export interface CheckAndJoinAnswer {
  slot_available: boolean;
  message?: string;
  joined_waitlist?: boolean;
  waitlist_id?: number;
  priority?: number;
}

export interface Claimed extends Message {
  booking_id: number;
}

export type NotificationType =
  | 'booking_confirmed'
  | 'booking_cancelled'
  | 'booking_auto_cancelled'
  | 'new_booking'
  | 'venue_assigned'
  | 'user_created'
  | 'booking_reminder'
  | 'waitlist_slot_available'
  | 'waitlist_offer_expired'
  | 'system'
  | 'booking_rescheduled'
  | 'booking_no_show';

export interface AppNotification {
  id: number;
  notification_type: NotificationType;
  title: string;
  message: string;
  /** An app path (`/bookings/42`), an absolute http(s) URL, or empty. */
  link: string;
  is_read: boolean;
  created_at: string;
  read_at: string | null;
}

/** active: may sign in and has; never_signed_in: active, the welcome's password still theirs; deactivated: may not sign in. */
export type UserStatus = 'active' | 'deactivated' | 'never_signed_in';

export interface AdminUser extends User {
  is_active: boolean;
  must_change_password: boolean;
  status: UserStatus;
  /** The last password sign-in; null when none is recorded. */
  last_signed_in_at: string | null;
  created_at: string;
  email_bounced: EmailBounced | null;
}

export interface BroadcastAccepted {
  count: number;
}

export type EmailStatus = 'queued' | 'sent' | 'deferred' | 'bounced' | 'suppressed' | 'failed';

export interface EmailLogEntry {
  id: number;
  idempotency_key: string;
  template: string;
  recipient: string;
  subject: string;
  status: EmailStatus;
  attempts: number;
  /** The last SMTP failure; for a bounced email, the server's refusal. */
  last_error: string | null;
  /** Why a suppressed email was held back: the recipient's preferences, or the address bounced. */
  suppressed_reason: string | null;
  /** The SMTP server it went through (or that bounced it). */
  sent_via: 'primary' | 'fallback' | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export type PreferenceChannel = 'email' | 'in_app';

/** One channel of a notification type: on or off, and what it is for a user who never chose. */
export interface ChannelState {
  enabled: boolean;
  default: boolean;
}

/** GET /api/preferences: one notification type, with null for a channel it never comes on. */
export interface PreferenceType {
  type: string;
  label: string;
  description: string;
  audience: 'everyone' | 'hall_admins';
  /** Needed to run bookings or the account: may be off on one channel, never on both. */
  critical: boolean;
  channels: Record<PreferenceChannel, ChannelState | null>;
}

export interface Preferences {
  types: PreferenceType[];
  /** Venues whose new-booking alerts the user muted. */
  muted_venue_ids: number[];
}

/** PUT /api/preferences: only the types and channels named change. */
export type PreferenceChanges = Record<string, Partial<Record<PreferenceChannel, boolean>>>;

/** GET /api/calendar/feeds: a live feed, without its URL (shown only when made). */
export interface CalendarFeed {
  id: number;
  kind: 'personal' | 'venue';
  venue_id: number | null;
  created_at: string;
}

/** POST /api/calendar/feeds: the new feed and its private URL, shown this once. */
export interface NewCalendarFeed extends CalendarFeed {
  url: string;
}

/** GET /api/availability: a venue the caller may book with free time on the asked day. */
export interface FreeVenue {
  venue_id: number;
  name: string;
  capacity: number | null;
  building: string;
  floor: string;
  /** IANA zone of the venue: the day and the times below are on its clock. */
  time_zone: string;
  amenities: string[];
  /** Its free intervals in order: instants, and venue-local "HH:MM" times ("24:00" for midnight at the end). */
  free: Array<{ starts_at: string; ends_at: string; start_time: string; end_time: string }>;
}
