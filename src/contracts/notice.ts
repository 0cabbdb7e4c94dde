// The notices a workflow hands to the notices room: the neutral contract between workflows/ and
// src/notices. Only ids and versions travel through workflow history; the room loads names,
// addresses and times from current rows, and makes link tokens and passwords, when it sends.

/** A booking's turns: each tells the booker, and some the venue's hall admins. */
export type BookingNotice =
  /** Booked: the booker (with the calendar invitation) and an alert to each hall admin of the venue. */
  | { kind: 'created'; bookingId: number }
  /** Confirm you still need it: the booker, once per schedule version. */
  | { kind: 'reminder'; bookingId: number; scheduleVersion: number }
  /** Cancelled by a person: `recipientId` (the booker) and the venue's hall admins except the canceller. */
  | { kind: 'cancelled'; bookingId: number; recipientId: number }
  /** Cancelled for silence at its deadline: the booker, with the calendar cancellation. */
  | { kind: 'auto_cancelled'; bookingId: number }
  /** Moved: the booker, with the invitation's SEQUENCE bumped; not sent once it moved again. */
  | { kind: 'rescheduled'; bookingId: number; scheduleVersion: number }
  /** Released because nobody checked in: the booker (calendar cancellation) and each hall admin. */
  | { kind: 'no_show'; bookingId: number }
  /** At a venue whose staff approve bookings: the booker told it waits, the venue's hall admins asked (Approve / Deny links). */
  | { kind: 'approval_requested'; bookingId: number }
  /** A request still undecided: its hall admins nudged, or (`escalated`) the super admins told. */
  | { kind: 'approval_chased'; bookingId: number; stage: 'nudged' | 'escalated' }
  /** The booker told how their request was decided: approved (booked, with the invitation) or denied (why). */
  | { kind: 'approval_decided'; bookingId: number };

export type Notice =
  | BookingNotice
  /**
   * A new account: the welcome with its generated password (made when the email is sent). `resend`
   * names a welcome sent again (to a corrected address, or at a super admin's request); its password
   * replaces the one before.
   */
  | { kind: 'welcome'; userId: number; resend?: string }
  /** A hall admin assigned to a venue; one per assignment. */
  | { kind: 'venue_assigned'; userId: number; venueId: number; assignmentId: string }
  /** Freed time offered to a waiter; `offeredAt` (epoch ms) tells one offer of an entry from a later one. */
  | { kind: 'waitlist_offer'; entryId: number; offeredAt: number }
  /** An offer that lapsed unclaimed and passed on (in-app only). */
  | { kind: 'waitlist_offer_expired'; entryId: number }
  /** A wait closed because its venue closed over its time, and why (in-app only). */
  | { kind: 'waitlist_closed'; entryId: number; reason: string }
  /**
   * A super admin's announcement, once its in-app rows are all written (in batches, by the
   * broadcast workflow through the room's `writeAnnouncementBatch`): its webhook event.
   */
  | { kind: 'announcement'; broadcastId: number }
  /**
   * A series booked: the booker (one email with the calendar's repeating event, its conflicts left
   * out) and the venue's hall admins (one alert for all its dates).
   */
  | { kind: 'series_booked'; seriesId: number }
  /** A series cancelled from a date on, or entirely (revision `sequence` of its calendar event). */
  | { kind: 'series_cancelled'; seriesId: number; sequence: number; cancelledBy: number }
  /**
   * A series moved to new times from a date on, or renamed (revision `sequence` of its calendar
   * event): the venue-local dates that moved, and those kept at their old times (someone held the new one).
   */
  | {
      kind: 'series_changed';
      seriesId: number;
      sequence: number;
      changedBy: number;
      moved: string[];
      kept: { date: string; reason: string }[];
      /** The name it had, when this renamed it. */
      renamedFrom: string | null;
    }
  /** A hall admin's bookings of one venue-local day in one zone (email only). */
  | { kind: 'daily_digest'; adminId: number; timeZone: string; localDate: string };

export type NoticeKindName = Notice['kind'];
export type NoticeOf<K extends NoticeKindName> = Extract<Notice, { kind: K }>;

/**
 * What one notice's emails came to. `suppressed`: held back by the recipient's preferences or a
 * bounced address. `bounced`: refused for good (5xx), never retried. `refused`: what workers
 * before `bounced` answered for a 5xx (kept for recorded histories).
 */
export type EmailOutcome = 'sent' | 'already_sent' | 'bounced' | 'refused' | 'failed' | 'suppressed';
