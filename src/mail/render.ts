import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { formatInstant, formatLocalDate, formatLocalTime, formatSlot, formatTimes, formatZone } from './format-time';

/** A booked (or bookable) interval and the venue's IANA zone it is shown in. */
export type VenueSlot = { start: Date; end: Date; timeZone: string };
/** A series' rule in words ("every week on Tuesday for 6 times") and the dates an email is about. */
export type SeriesDates = { pattern: string; dates: VenueSlot[] };

/**
 * Everything an email says, one member per template in templates/emails (`kind` is the file
 * name). Optional texts may be absent, null or blank; all three render nothing.
 */
export type EmailContent =
  | { kind: 'welcome'; fullName: string; email: string; password: string; signInUrl: string }
  | {
      kind: 'booking_confirmed';
      bookerName: string;
      eventName: string;
      venueName: string;
      slot: VenueSlot;
      /** The bigint id as the database returns it (postgres.js: string) or as a number. */
      bookingId: string | number;
      bookingUrl: string;
      /** How long before the start the reminder goes out, in words: "24 hours". */
      reminderLead: string;
      /** How long before the start the booking must be confirmed, in words: "2 hours". */
      confirmDeadlineLead: string;
    }
  | {
      kind: 'booking_rescheduled';
      bookerName: string;
      eventName: string;
      venueName: string;
      /** The new time. */
      slot: VenueSlot;
      bookingId: string | number;
      bookingUrl: string;
      reminderLead: string;
      confirmDeadlineLead: string;
    }
  | {
      kind: 'booking_cancelled';
      recipientName: string;
      eventName: string;
      venueName: string;
      slot: VenueSlot;
      cancelledByName: string;
      reason?: string | null;
      eventDetails?: string | null;
    }
  | {
      kind: 'hall_admin_new_booking';
      adminName: string;
      bookerName: string;
      bookerEmail: string;
      eventName: string;
      eventDetails?: string | null;
      venueName: string;
      slot: VenueSlot;
      bookingUrl: string;
    }
  | { kind: 'venue_assigned'; adminName: string; venueName: string; location?: string | null; venueBookingsUrl: string }
  | {
      kind: 'booking_reminder';
      bookerName: string;
      eventName: string;
      venueName: string;
      slot: VenueSlot;
      /** Null when the reminder came too late to hold the booker to a deadline. */
      confirmBy: Date | null;
      confirmUrl: string;
      cancelUrl: string;
      /** At a venue that asks for check-in: the window and the check-in link. */
      checkIn?: { url: string; opensAt: Date; closesAt: Date } | null;
    }
  | {
      kind: 'booking_auto_cancelled';
      bookerName: string;
      eventName: string;
      venueName: string;
      slot: VenueSlot;
      reason: string;
      bookAgainUrl: string;
    }
  | {
      kind: 'booking_no_show';
      recipientName: string;
      /** True for the booker; false for a hall admin of the venue. */
      toBooker: boolean;
      bookerName: string;
      eventName: string;
      venueName: string;
      slot: VenueSlot;
      /** When the check-in window closed. */
      closedAt: Date;
      bookingUrl: string;
    }
  | {
      kind: 'waitlist_slot_available';
      waiterName: string;
      venueName: string;
      slot: VenueSlot;
      claimBy: Date;
      /** How long the offer is held, in words: "15 minutes". */
      offerWindow: string;
      claimUrl: string;
    }
  | {
      kind: 'approval_request';
      adminName: string;
      /** A new request, a nudge after BOOKIT_APPROVAL_NUDGE, or (to a super admin) its escalation. */
      stage: 'new' | 'nudge' | 'escalation';
      bookerName: string;
      eventName: string;
      eventDetails?: string | null;
      venueName: string;
      slot: VenueSlot;
      decideBy: Date;
      /** What it comes to when nobody decides by then. */
      onTimeout: 'deny' | 'approve';
      approveUrl: string;
      denyUrl: string;
      requestsUrl: string;
      /** A repeating request, asked for (and decided) as a whole: its rule and the dates waiting. */
      series?: SeriesDates | null;
    }
  | {
      kind: 'approval_pending';
      bookerName: string;
      eventName: string;
      venueName: string;
      slot: VenueSlot;
      decideBy: Date;
      onTimeout: 'deny' | 'approve';
      bookingUrl: string;
      /** A repeating request: its rule and the dates waiting. */
      series?: SeriesDates | null;
    }
  | {
      kind: 'approval_decided';
      bookerName: string;
      eventName: string;
      venueName: string;
      slot: VenueSlot;
      approved: boolean;
      /** Decided by the deadline's default, not by a person. */
      byDefault: boolean;
      reason?: string | null;
      bookingUrl: string;
      reminderLead: string;
      confirmDeadlineLead: string;
      /** A repeating request decided as a whole: its rule and the dates decided. */
      series?: SeriesDates | null;
    }
  | {
      kind: 'series_booked';
      recipientName: string;
      /** True for the booker; false for a hall admin of the venue. */
      toBooker: boolean;
      bookerName: string;
      eventName: string;
      venueName: string;
      /** "every week on Tuesday for 15 times". */
      pattern: string;
      /** Each booked occurrence, in order. */
      dates: VenueSlot[];
      /** The dates it could not have, with why. */
      skipped: { date: string; reason: string }[];
      bookingsUrl: string;
    }
  | {
      kind: 'series_cancelled';
      recipientName: string;
      cancelledByName: string;
      eventName: string;
      venueName: string;
      /** The first date cancelled ("this and following"); null when the whole series was. */
      fromDate: string | null;
      /** The occurrences this cancelled, in order. */
      dates: VenueSlot[];
      bookingsUrl: string;
    }
  | {
      kind: 'series_changed';
      recipientName: string;
      changedByName: string;
      eventName: string;
      venueName: string;
      /** The name it had, when this renamed it. */
      formerName: string | null;
      /** The occurrences this moved, at their new times, in order. */
      moved: VenueSlot[];
      /** The dates kept at their old times (the new time was taken), with why. */
      kept: { date: string; reason: string }[];
      bookingsUrl: string;
    }
  | {
      kind: 'daily_digest';
      adminName: string;
      /** The venue-local day the digest is for, YYYY-MM-DD, and the zone its times are written in. */
      localDate: string;
      timeZone: string;
      /** In start order; a digest is sent only when there is at least one. */
      bookings: DigestBooking[];
      bookingsUrl: string;
    };

/** One booking in a hall admin's daily digest. */
export interface DigestBooking {
  venueName: string;
  eventName: string;
  bookerName: string;
  slot: VenueSlot;
  /** Whether the booker confirmed they still need it. */
  confirmed: boolean;
  /** When an unconfirmed booking must be confirmed by (the deadline its reminder named); null once confirmed, or when it is never cancelled for silence. */
  confirmBy: Date | null;
}

export type EmailKind = EmailContent['kind'];

export type RenderedEmail = { subject: string; html: string; text: string };

/** What one kind contributes: the subject, the inbox preview line, and the values its templates read. */
type Composition = { subject: string; preheader: string; view: Record<string, unknown> };

const TEMPLATES_DIR = path.resolve(import.meta.dirname, '../../templates/emails');

// A private instance, so helpers or partials registered elsewhere can never leak into emails.
const handlebars = Handlebars.create();
const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function renderEmail(email: EmailContent): RenderedEmail {
  const { subject, preheader, view } = compose(email);
  const oneLineSubject = singleLine(subject);
  const body = template(`${email.kind}.hbs`)(view);
  return {
    subject: oneLineSubject,
    html: template('layout.hbs')({ subject: oneLineSubject, preheader, body }),
    text: template(`${email.kind}.txt.hbs`)(view),
  };
}

function compose(email: EmailContent): Composition {
  switch (email.kind) {
    case 'welcome':
      return {
        subject: 'Welcome to BookIT: your sign-in details',
        preheader: `Your BookIT account for ${email.email} is ready.`,
        view: email,
      };
    case 'booking_confirmed': {
      const when = whenOf(email.slot);
      return {
        subject: `Booked: ${email.eventName} at ${email.venueName}`,
        preheader: when,
        view: { ...email, when },
      };
    }
    case 'booking_rescheduled': {
      const when = whenOf(email.slot);
      return {
        subject: `Booking moved: ${email.eventName} at ${email.venueName}`,
        preheader: `New time: ${when}`,
        view: { ...email, when },
      };
    }
    case 'booking_cancelled': {
      const when = whenOf(email.slot);
      return {
        subject: `Booking cancelled: ${email.eventName} at ${email.venueName}`,
        preheader: `Cancelled by ${email.cancelledByName}. ${when}`,
        view: { ...email, when, reason: optional(email.reason), eventDetails: optional(email.eventDetails) },
      };
    }
    case 'hall_admin_new_booking': {
      const when = whenOf(email.slot);
      return {
        subject: `New booking at ${email.venueName}: ${email.eventName}`,
        preheader: `${email.bookerName} booked ${when}`,
        view: { ...email, when, eventDetails: optional(email.eventDetails) },
      };
    }
    case 'venue_assigned':
      return {
        subject: `You now administer ${email.venueName}`,
        preheader: `You will be told about new bookings at ${email.venueName}.`,
        view: { ...email, location: optional(email.location) },
      };
    case 'booking_reminder': {
      const confirmBy = email.confirmBy ? formatInstant(email.confirmBy, email.slot.timeZone) : null;
      return {
        subject: `Confirm you still need it: ${email.eventName} at ${email.venueName}`,
        preheader: confirmBy
          ? `Confirm by ${confirmBy} or the booking is cancelled automatically.`
          : 'Tell us whether you still need the venue.',
        view: {
          ...email,
          when: whenOf(email.slot),
          confirmBy,
          checkIn: email.checkIn
            ? {
                url: email.checkIn.url,
                opensAt: formatInstant(email.checkIn.opensAt, email.slot.timeZone),
                closesAt: formatInstant(email.checkIn.closesAt, email.slot.timeZone),
              }
            : null,
        },
      };
    }
    case 'booking_auto_cancelled':
      return {
        subject: `Booking cancelled automatically: ${email.eventName} at ${email.venueName}`,
        preheader: email.reason,
        view: { ...email, when: whenOf(email.slot) },
      };
    case 'booking_no_show': {
      const closedAt = formatInstant(email.closedAt, email.slot.timeZone);
      return {
        subject: email.toBooker
          ? `Released as a no-show: ${email.eventName} at ${email.venueName}`
          : `No-show at ${email.venueName}: ${email.eventName}`,
        preheader: `Nobody checked in by ${closedAt}; the rest of the slot went to the waitlist.`,
        view: { ...email, when: whenOf(email.slot), closedAt },
      };
    }
    case 'waitlist_slot_available': {
      const claimBy = formatInstant(email.claimBy, email.slot.timeZone);
      return {
        subject: `Slot available at ${email.venueName}: claim it within ${email.offerWindow}`,
        preheader: `Claim by ${claimBy}; after that the offer passes to the next person.`,
        view: { ...email, when: whenOf(email.slot), claimBy },
      };
    }
    case 'approval_request': {
      const when = whenOf(email.slot);
      const decideBy = formatInstant(email.decideBy, email.slot.timeZone);
      const prefix =
        email.stage === 'new'
          ? 'Approval needed'
          : email.stage === 'nudge'
            ? 'Still waiting for approval'
            : 'Nobody has decided';
      const series = seriesView(email.series);
      return {
        subject: `${prefix}: ${email.eventName} at ${email.venueName}${series ? `, ${series.count}` : ''}`,
        preheader: `${email.bookerName} asks for ${series ? `${series.pattern}, first ${when}` : when}. Decide by ${decideBy}.`,
        view: {
          ...email,
          series,
          when,
          decideBy,
          eventDetails: optional(email.eventDetails),
          defaultWords: email.onTimeout === 'deny' ? 'denied' : 'approved',
          escalation: email.stage === 'escalation',
        },
      };
    }
    case 'approval_pending': {
      const when = whenOf(email.slot);
      const decideBy = formatInstant(email.decideBy, email.slot.timeZone);
      const series = seriesView(email.series);
      return {
        subject: `Waiting for approval: ${email.eventName} at ${email.venueName}${series ? `, ${series.count}` : ''}`,
        preheader: `${email.venueName}'s staff decide by ${decideBy}.`,
        view: { ...email, series, when, decideBy, defaultWords: email.onTimeout === 'deny' ? 'denied' : 'approved' },
      };
    }
    case 'approval_decided': {
      const when = whenOf(email.slot);
      const series = seriesView(email.series);
      const count = series ? `, ${series.count}` : '';
      return {
        subject: email.approved
          ? `Approved and booked: ${email.eventName} at ${email.venueName}${count}`
          : `Not approved: ${email.eventName} at ${email.venueName}${count}`,
        preheader: email.approved
          ? (series?.pattern ?? when)
          : (email.reason ?? `The venue's staff did not approve ${series ? 'them' : 'it'}.`),
        view: { ...email, series, when, reason: optional(email.reason) },
      };
    }
    case 'series_booked': {
      const count = email.dates.length === 1 ? '1 date' : `${email.dates.length} dates`;
      return {
        subject: email.toBooker
          ? `Booked: ${email.eventName} at ${email.venueName}, ${count}`
          : `New series at ${email.venueName}: ${email.eventName}, ${count}`,
        preheader: `${email.pattern}; first ${whenOf(email.dates[0]!)}`,
        view: {
          ...email,
          count,
          dates: email.dates.map(whenOf),
          skipped: email.skipped.map((s) => ({ date: formatLocalDate(s.date), reason: s.reason })),
        },
      };
    }
    case 'series_cancelled': {
      const count = email.dates.length === 1 ? '1 date' : `${email.dates.length} dates`;
      const from = email.fromDate ? formatLocalDate(email.fromDate) : null;
      return {
        subject: `Series cancelled${from ? ` from ${from}` : ''}: ${email.eventName} at ${email.venueName}`,
        preheader: `${count} cancelled by ${email.cancelledByName}.`,
        view: { ...email, count, from, dates: email.dates.map(whenOf) },
      };
    }
    case 'series_changed': {
      const count = email.moved.length === 1 ? '1 date' : `${email.moved.length} dates`;
      return {
        subject:
          email.moved.length > 0
            ? `Series moved: ${email.eventName} at ${email.venueName}, ${count}`
            : `Series renamed: ${email.eventName} at ${email.venueName}`,
        preheader: email.moved.length > 0 ? `First now ${whenOf(email.moved[0]!)}` : `Now called ${email.eventName}`,
        view: {
          ...email,
          count,
          formerName: optional(email.formerName),
          moved: email.moved.map(whenOf),
          kept: email.kept.map((k) => ({ date: formatLocalDate(k.date), reason: k.reason })),
        },
      };
    }
    case 'daily_digest':
      return composeDailyDigest(email);
  }
}

/** A repeating request's part of an email: its rule, how many dates, and each date in words. */
function seriesView(series: SeriesDates | null | undefined) {
  if (!series) return null;
  return {
    pattern: series.pattern,
    count: series.dates.length === 1 ? '1 date' : `${series.dates.length} dates`,
    dates: series.dates.map(whenOf),
  };
}

function composeDailyDigest(email: Extract<EmailContent, { kind: 'daily_digest' }>): Composition {
  const day = formatLocalDate(email.localDate);
  const count = email.bookings.length === 1 ? '1 booking' : `${email.bookings.length} bookings`;
  const bookings = email.bookings.map((booking) => ({
    time: formatTimes(booking.slot.start, booking.slot.end, booking.slot.timeZone),
    venueName: booking.venueName,
    eventName: booking.eventName,
    bookerName: booking.bookerName,
    awaitingConfirmation: !booking.confirmed,
    state: digestState(booking),
  }));
  // The offset as it stands on that day (the first booking's start, else midday).
  const zone = formatZone(email.bookings[0]?.slot.start ?? new Date(`${email.localDate}T12:00:00Z`), email.timeZone);
  return {
    subject: `Today at your venues: ${count} on ${day}`,
    preheader: bookings.map((booking) => `${booking.time} ${booking.eventName}`).join(' · '),
    view: { adminName: email.adminName, day, zone, count, bookings, bookingsUrl: email.bookingsUrl },
  };
}

function whenOf(slot: VenueSlot): string {
  return formatSlot(slot.start, slot.end, slot.timeZone);
}

/** Blank counts as absent, so a template's `{{#if}}` never shows a label with nothing after it. */
function optional(text: string | null | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

/** User text can carry line breaks; a subject is one header line. */
function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function template(file: string): Handlebars.TemplateDelegate {
  const cached = compiled.get(file);
  if (cached) return cached;
  const source = readFileSync(path.join(TEMPLATES_DIR, file), 'utf8');
  // strict: a field the view lacks is a bug and throws instead of rendering as nothing.
  // noEscape for the text part only: plain text must show "<" and "&" as typed.
  const delegate = handlebars.compile(source, {
    strict: true,
    knownHelpersOnly: true,
    noEscape: file.endsWith('.txt.hbs'),
  });
  compiled.set(file, delegate);
  return delegate;
}

function digestState(booking: DigestBooking): string {
  if (booking.confirmed) return 'Attendance confirmed';
  if (booking.confirmBy === null) return 'Not yet confirmed — reminded too late to be cancelled for silence';
  return `Not yet confirmed — the booker must confirm by ${formatLocalTime(booking.confirmBy, booking.slot.timeZone)}`;
}
