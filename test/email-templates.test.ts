import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatInstant, formatSlot } from '../src/mail/format-time';
import { renderEmail, type EmailContent, type EmailKind, type VenueSlot } from '../src/mail/render';

const SCRIPT = '<script>alert(1)</script>';
const ESCAPED_SCRIPT = '&lt;script&gt;alert(1)&lt;/script&gt;';
const FOOTER = 'Questions? Reply to this email or contact your venue administrator.';

/** Wraps a user-supplied string; the hostile variant appends a script tag to every one of them. */
type UserText = (plain: string) => string;
const ordinary: UserText = (plain) => plain;
const hostile: UserText = (plain) => `${plain} ${SCRIPT}`;

type Sample<K extends EmailKind> = {
  content: (user: UserText) => Extract<EmailContent, { kind: K }>;
  /** User-supplied values the HTML must show, escaped. */
  userFields: string[];
  /** What the subject must mention. */
  subjectMentions: string[];
  urls: string[];
};

const kolkataMorning: VenueSlot = {
  start: new Date('2025-11-10T04:30:00Z'),
  end: new Date('2025-11-10T06:30:00Z'),
  timeZone: 'Asia/Kolkata',
};
const KOLKATA_MORNING = 'Mon, 10 Nov 2025 · 10:00–12:00 (Asia/Kolkata, GMT+5:30)';

// The query strings carry `&` and `=`, which the HTML part escapes and the text part must not.
const url = (route: string): string => `https://bookit.test/${route}?token=abc123&from=email`;

// Typed by kind, so adding an email without a sample here fails the type check.
const samples: { [K in EmailKind]: Sample<K> } = {
  welcome: {
    content: (user) => ({
      kind: 'welcome',
      fullName: user('Asha Rao'),
      email: 'asha@example.test',
      password: 'Tq7-vRw2-Lp9x',
      signInUrl: url('login'),
    }),
    userFields: ['Asha Rao'],
    subjectMentions: ['BookIT'],
    urls: [url('login')],
  },
  booking_confirmed: {
    content: (user) => ({
      kind: 'booking_confirmed',
      bookerName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      bookingId: '42',
      bookingUrl: url('bookings/42'),
      reminderLead: '24 hours',
      confirmDeadlineLead: '2 hours',
    }),
    userFields: ['Asha Rao', 'Quarterly Review', 'Banyan Hall'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall'],
    urls: [url('bookings/42')],
  },
  booking_rescheduled: {
    content: (user) => ({
      kind: 'booking_rescheduled',
      bookerName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      bookingId: '42',
      bookingUrl: url('bookings/42'),
      reminderLead: '24 hours',
      confirmDeadlineLead: '2 hours',
    }),
    userFields: ['Asha Rao', 'Quarterly Review', 'Banyan Hall'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall'],
    urls: [url('bookings/42')],
  },
  booking_cancelled: {
    content: (user) => ({
      kind: 'booking_cancelled',
      recipientName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      cancelledByName: user('Vikram Shah'),
      reason: user('Hall closed for repairs'),
      eventDetails: user('Slides and projector'),
    }),
    userFields: [
      'Asha Rao',
      'Quarterly Review',
      'Banyan Hall',
      'Vikram Shah',
      'Hall closed for repairs',
      'Slides and projector',
    ],
    subjectMentions: ['Quarterly Review', 'Banyan Hall'],
    urls: [],
  },
  hall_admin_new_booking: {
    content: (user) => ({
      kind: 'hall_admin_new_booking',
      adminName: user('Vikram Shah'),
      bookerName: user('Asha Rao'),
      bookerEmail: 'asha@example.test',
      eventName: user('Quarterly Review'),
      eventDetails: user('Slides and projector'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      bookingUrl: url('bookings/42'),
    }),
    userFields: ['Vikram Shah', 'Asha Rao', 'Quarterly Review', 'Slides and projector', 'Banyan Hall'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall'],
    urls: [url('bookings/42')],
  },
  approval_request: {
    content: (user) => ({
      kind: 'approval_request',
      adminName: user('Vikram Shah'),
      stage: 'new',
      bookerName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      eventDetails: user('Slides and projector'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      decideBy: new Date('2025-11-09T04:30:00Z'),
      onTimeout: 'deny',
      approveUrl: url('actions/approve'),
      denyUrl: url('actions/deny'),
      requestsUrl: url('requests'),
    }),
    userFields: ['Vikram Shah', 'Asha Rao', 'Quarterly Review', 'Slides and projector', 'Banyan Hall'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall'],
    urls: [url('actions/approve'), url('actions/deny'), url('requests')],
  },
  approval_pending: {
    content: (user) => ({
      kind: 'approval_pending',
      bookerName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      decideBy: new Date('2025-11-09T04:30:00Z'),
      onTimeout: 'approve',
      bookingUrl: url('bookings/42'),
    }),
    userFields: ['Asha Rao', 'Quarterly Review', 'Banyan Hall'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall'],
    urls: [url('bookings/42')],
  },
  approval_decided: {
    content: (user) => ({
      kind: 'approval_decided',
      bookerName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      approved: false,
      byDefault: false,
      reason: user('The hall is closed for exams'),
      bookingUrl: url('bookings/42'),
      reminderLead: '24 hours',
      confirmDeadlineLead: '2 hours',
    }),
    userFields: ['Asha Rao', 'Quarterly Review', 'Banyan Hall', 'The hall is closed for exams'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall'],
    urls: [url('bookings/42')],
  },
  series_booked: {
    content: (user) => ({
      kind: 'series_booked',
      recipientName: user('Asha Rao'),
      toBooker: true,
      bookerName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      pattern: 'every week on Monday for 2 times',
      dates: [
        kolkataMorning,
        { ...kolkataMorning, start: new Date('2025-11-17T04:30:00Z'), end: new Date('2025-11-17T06:30:00Z') },
      ],
      skipped: [{ date: '2025-11-24', reason: user('The venue is already booked for an overlapping time') }],
      bookingsUrl: url('bookings'),
    }),
    userFields: ['Asha Rao', 'Quarterly Review', 'Banyan Hall', 'The venue is already booked for an overlapping time'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall', '2 dates'],
    urls: [url('bookings')],
  },
  series_cancelled: {
    content: (user) => ({
      kind: 'series_cancelled',
      recipientName: user('Vikram Shah'),
      cancelledByName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      fromDate: '2025-11-10',
      dates: [
        kolkataMorning,
        { ...kolkataMorning, start: new Date('2025-11-17T04:30:00Z'), end: new Date('2025-11-17T06:30:00Z') },
      ],
      bookingsUrl: url('bookings'),
    }),
    userFields: ['Vikram Shah', 'Asha Rao', 'Quarterly Review', 'Banyan Hall'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall', 'Mon, 10 Nov 2025'],
    urls: [url('bookings')],
  },
  series_changed: {
    content: (user) => ({
      kind: 'series_changed',
      recipientName: user('Vikram Shah'),
      changedByName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      formerName: user('Monthly Review'),
      moved: [
        kolkataMorning,
        { ...kolkataMorning, start: new Date('2025-11-17T04:30:00Z'), end: new Date('2025-11-17T06:30:00Z') },
      ],
      kept: [{ date: '2025-11-24', reason: user('The venue is already booked for an overlapping time') }],
      bookingsUrl: url('series/4'),
    }),
    userFields: [
      'Vikram Shah',
      'Asha Rao',
      'Quarterly Review',
      'Banyan Hall',
      'Monthly Review',
      'The venue is already booked for an overlapping time',
    ],
    subjectMentions: ['Quarterly Review', 'Banyan Hall', '2 dates'],
    urls: [url('series/4')],
  },
  venue_assigned: {
    content: (user) => ({
      kind: 'venue_assigned',
      adminName: user('Vikram Shah'),
      venueName: user('Banyan Hall'),
      location: user('Block C, 2nd floor'),
      venueBookingsUrl: url('venues/7/bookings'),
    }),
    userFields: ['Vikram Shah', 'Banyan Hall', 'Block C, 2nd floor'],
    subjectMentions: ['Banyan Hall'],
    urls: [url('venues/7/bookings')],
  },
  booking_no_show: {
    content: (user) => ({
      kind: 'booking_no_show',
      recipientName: user('Vikram Shah'),
      toBooker: false,
      bookerName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      closedAt: new Date('2025-11-10T04:45:00Z'),
      bookingUrl: url('bookings/42'),
    }),
    userFields: ['Vikram Shah', 'Asha Rao', 'Quarterly Review', 'Banyan Hall'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall'],
    urls: [url('bookings/42')],
  },
  booking_reminder: {
    content: (user) => ({
      kind: 'booking_reminder',
      bookerName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      confirmBy: new Date('2025-11-10T02:30:00Z'),
      confirmUrl: url('bookings/42/confirm'),
      cancelUrl: url('bookings/42/cancel'),
    }),
    userFields: ['Asha Rao', 'Quarterly Review', 'Banyan Hall'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall'],
    urls: [url('bookings/42/confirm'), url('bookings/42/cancel')],
  },
  booking_auto_cancelled: {
    content: (user) => ({
      kind: 'booking_auto_cancelled',
      bookerName: user('Asha Rao'),
      eventName: user('Quarterly Review'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      reason: user('Not confirmed 2 hours before the start'),
      bookAgainUrl: url('venues/7/book'),
    }),
    userFields: ['Asha Rao', 'Quarterly Review', 'Banyan Hall', 'Not confirmed 2 hours before the start'],
    subjectMentions: ['Quarterly Review', 'Banyan Hall'],
    urls: [url('venues/7/book')],
  },
  waitlist_slot_available: {
    content: (user) => ({
      kind: 'waitlist_slot_available',
      waiterName: user('Meera Iyer'),
      venueName: user('Banyan Hall'),
      slot: kolkataMorning,
      claimBy: new Date('2025-11-09T10:45:00Z'),
      offerWindow: '15 minutes',
      claimUrl: url('waitlist/9/claim'),
    }),
    userFields: ['Meera Iyer', 'Banyan Hall'],
    subjectMentions: ['Banyan Hall'],
    urls: [url('waitlist/9/claim')],
  },
  daily_digest: {
    content: (user) => ({
      kind: 'daily_digest',
      adminName: user('Vikram Shah'),
      localDate: '2025-11-10',
      timeZone: 'Asia/Kolkata',
      bookings: [
        {
          venueName: user('Banyan Hall'),
          eventName: user('Quarterly Review'),
          bookerName: user('Asha Rao'),
          slot: kolkataMorning,
          confirmed: true,
          confirmBy: null,
        },
        {
          venueName: user('Neem Auditorium'),
          eventName: user('Chemistry Lab'),
          bookerName: user('Meera Iyer'),
          slot: {
            start: new Date('2025-11-10T10:30:00Z'),
            end: new Date('2025-11-10T12:00:00Z'),
            timeZone: 'Asia/Kolkata',
          },
          confirmed: false,
          confirmBy: new Date('2025-11-10T08:30:00Z'),
        },
      ],
      bookingsUrl: url('venue-bookings'),
    }),
    userFields: [
      'Vikram Shah',
      'Banyan Hall',
      'Quarterly Review',
      'Asha Rao',
      'Neem Auditorium',
      'Chemistry Lab',
      'Meera Iyer',
    ],
    subjectMentions: ['Mon, 10 Nov 2025', '2 bookings'],
    urls: [url('venue-bookings')],
  },
};

const kinds = Object.keys(samples) as EmailKind[];

function sampleOf(kind: EmailKind): Sample<EmailKind> {
  return samples[kind] as Sample<EmailKind>;
}

/** The links a reader can click, as the mail client decodes them from the attributes. */
function hrefsOf(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map(([, value]) => decodeEntities(value ?? ''));
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
    if (code.startsWith('#x')) return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)));
    return named[code] ?? entity;
  });
}

const HTML_TAG = /<\/?[a-z][^>]*>/i;

describe('email templates', () => {
  for (const kind of kinds) {
    describe(kind, () => {
      const sample = sampleOf(kind);

      it('has a subject naming what it is about', () => {
        const { subject } = renderEmail(sample.content(ordinary));
        assert.ok(subject.length > 0);
        assert.doesNotMatch(subject, /\n/);
        for (const mention of sample.subjectMentions)
          assert.ok(subject.includes(mention), `"${subject}" lacks "${mention}"`);
      });

      it('wraps the HTML in the BookIT layout with the contact footer', () => {
        const { html } = renderEmail(sample.content(ordinary));
        assert.match(html, /^<!DOCTYPE html>/);
        assert.match(html, />BookIT<\/td>/);
        assert.ok(html.includes(FOOTER));
        assert.ok(html.includes('max-width:600px'));
        assert.doesNotMatch(html, /undefined|null|\[object Object\]/);
      });

      it('links every URL from the HTML, attribute-escaped but intact once decoded', () => {
        const { html } = renderEmail(sample.content(ordinary));
        const hrefs = hrefsOf(html);
        for (const link of sample.urls) assert.ok(hrefs.includes(link), `no href for ${link}`);
      });

      it('has a plain-text part without tags that spells out every URL', () => {
        const { text } = renderEmail(sample.content(ordinary));
        assert.ok(text.trim().length > 0);
        assert.doesNotMatch(text, HTML_TAG);
        assert.doesNotMatch(text, /&amp;|&lt;|&#x3D;/);
        assert.ok(text.includes(FOOTER));
        for (const link of sample.urls) assert.ok(text.includes(link), `text lacks ${link}`);
      });

      it('shows a <script> typed into any user field as text, never as a tag', () => {
        const { html, text } = renderEmail(sample.content(hostile));
        assert.doesNotMatch(html, /<script/i);
        for (const field of sample.userFields) {
          assert.ok(html.includes(`${field} ${ESCAPED_SCRIPT}`), `html lacks escaped "${field}"`);
        }
        // Plain text is never interpreted, so it carries exactly what the user typed.
        for (const field of sample.userFields) assert.ok(text.includes(`${field} ${SCRIPT}`));
      });
    });
  }

  it('shows the slot in the venue zone in both parts', () => {
    // The digest names its day once and each booking's times under it (its own test below).
    for (const kind of kinds.filter(
      (candidate) => candidate !== 'welcome' && candidate !== 'venue_assigned' && candidate !== 'daily_digest',
    )) {
      const { html, text } = renderEmail(sampleOf(kind).content(ordinary));
      assert.ok(html.includes(KOLKATA_MORNING), `${kind} html lacks the slot`);
      assert.ok(text.includes(KOLKATA_MORNING), `${kind} text lacks the slot`);
    }
  });

  it('welcome shows the generated password once, in a monospace box, with the change-at-first-sign-in notice', () => {
    const { html, text } = renderEmail(samples.welcome.content(ordinary));
    assert.match(html, /monospace[^>]*>Tq7-vRw2-Lp9x</);
    assert.equal(html.split('Tq7-vRw2-Lp9x').length - 1, 1);
    assert.ok(html.includes('asha@example.test'));
    assert.ok(html.includes('you will be asked to change it at first sign-in'));
    assert.ok(text.includes('Tq7-vRw2-Lp9x'));
    assert.ok(text.includes('you will be asked to change it at first sign-in'));
  });

  it('booking confirmed explains the reminder and confirm deadline with the configured lead times', () => {
    const content = {
      ...samples.booking_confirmed.content(ordinary),
      reminderLead: '48 hours',
      confirmDeadlineLead: '90 minutes',
    };
    const { html, text } = renderEmail(content);
    for (const part of [html, text]) {
      assert.ok(part.includes('reminder 48 hours before the start'));
      assert.ok(part.includes('Confirm you still need it by 90 minutes before the start'));
      assert.ok(part.includes('cancelled automatically'));
      assert.ok(part.includes('Booking ID'));
    }
  });

  it('booking cancelled without a reason or details shows neither label', () => {
    const { reason: _reason, eventDetails: _details, ...bare } = samples.booking_cancelled.content(ordinary);
    for (const content of [
      bare,
      { ...bare, reason: null, eventDetails: null },
      { ...bare, reason: '  ', eventDetails: '' },
    ]) {
      const { html, text } = renderEmail(content);
      for (const part of [html, text]) {
        assert.doesNotMatch(part, /Reason/);
        assert.doesNotMatch(part, /Details/);
        assert.ok(part.includes('Vikram Shah'));
      }
    }
  });

  it('booking cancelled with a reason shows it', () => {
    const { html, text } = renderEmail(samples.booking_cancelled.content(ordinary));
    assert.match(html, /Reason:<\/strong> Hall closed for repairs/);
    assert.ok(text.includes('Reason: Hall closed for repairs'));
    assert.ok(text.includes('Slides and projector'));
  });

  it('hall admin email names the booker with their address and leaves out empty details', () => {
    const { html, text } = renderEmail({ ...samples.hall_admin_new_booking.content(ordinary), eventDetails: '' });
    assert.ok(hrefsOf(html).includes('mailto:asha@example.test'));
    assert.ok(text.includes('Asha Rao (asha@example.test)'));
    assert.doesNotMatch(html, /Details/);
    assert.doesNotMatch(text, /Details/);
  });

  it('venue assignment without a location shows no location label', () => {
    const { html, text } = renderEmail({ ...samples.venue_assigned.content(ordinary), location: '' });
    assert.doesNotMatch(html, /Location/);
    assert.doesNotMatch(text, /Location/);
  });

  it('reminder has distinct Confirm and Cancel buttons and the deadline in the venue zone', () => {
    const { html, text } = renderEmail(samples.booking_reminder.content(ordinary));
    const confirm =
      /<td[^>]*bgcolor="(#[0-9a-f]+)"[^>]*>\s*<a href="[^"]*confirm[^"]*"[^>]*>Yes, I still need it<\/a>/.exec(html);
    const cancel = /<td[^>]*bgcolor="(#[0-9a-f]+)"[^>]*>\s*<a href="[^"]*cancel[^"]*"[^>]*>Cancel booking<\/a>/.exec(
      html,
    );
    assert.ok(confirm && cancel, 'both buttons are table-cell links');
    assert.notEqual(confirm[1], cancel[1]);
    const deadline = 'Mon, 10 Nov 2025, 08:00 (Asia/Kolkata, GMT+5:30)';
    assert.ok(html.includes(deadline));
    assert.ok(text.includes(`Confirm by ${deadline}`));
  });

  it('reminder for a New York venue shows the deadline in New York time', () => {
    const slot = {
      start: new Date('2025-11-02T16:00:00Z'),
      end: new Date('2025-11-02T18:00:00Z'),
      timeZone: 'America/New_York',
    };
    const content = {
      ...samples.booking_reminder.content(ordinary),
      slot,
      confirmBy: new Date('2025-11-02T14:00:00Z'),
    };
    const { html, text } = renderEmail(content);
    assert.ok(text.includes('Sun, 2 Nov 2025 · 11:00–13:00 (America/New_York, EST, GMT-5)'));
    assert.ok(text.includes('Confirm by Sun, 2 Nov 2025, 09:00 (America/New_York, EST, GMT-5)'));
    assert.ok(html.includes('09:00 (America/New_York, EST, GMT-5)'));
  });

  it('auto-cancellation gives the reason, a book-again link and how to avoid it next time', () => {
    const { html, text } = renderEmail(samples.booking_auto_cancelled.content(ordinary));
    for (const part of [html, text]) {
      assert.ok(part.includes('Not confirmed 2 hours before the start'));
      assert.ok(part.includes('confirm your booking before the deadline'));
      assert.ok(part.includes('reminder email'));
      assert.ok(part.includes('in the app'));
    }
  });

  it('waitlist offer gives the claim deadline in the venue zone, the window and what happens if unclaimed', () => {
    const { subject, html, text } = renderEmail(samples.waitlist_slot_available.content(ordinary));
    assert.ok(subject.includes('15 minutes'));
    for (const part of [html, text]) {
      assert.ok(part.includes('Sun, 9 Nov 2025, 16:15 (Asia/Kolkata, GMT+5:30)'));
      assert.ok(part.includes('15 minutes'));
      assert.ok(part.includes('passes to the next person'));
    }
  });

  it('daily digest names the day and zone once, then each booking in order with its times and state in words', () => {
    const { subject, html, text } = renderEmail(samples.daily_digest.content(ordinary));
    assert.equal(subject, 'Today at your venues: 2 bookings on Mon, 10 Nov 2025');
    for (const part of [html, text]) {
      assert.ok(part.includes('2 bookings on Mon, 10 Nov 2025'));
      assert.ok(part.includes('Times are in Asia/Kolkata, GMT+5:30.'));
      const first = part.indexOf('10:00–12:00');
      const second = part.indexOf('16:00–17:30');
      assert.ok(first >= 0 && second > first, 'both bookings, in start order');
      assert.ok(part.includes('Attendance confirmed'));
      assert.ok(
        part.includes('Not yet confirmed — the booker must confirm by 14:00'),
        'the deadline on the venue clock',
      );
    }
    assert.ok(
      text.includes(
        '10:00–12:00  Quarterly Review\n  Venue:     Banyan Hall\n  Booked by: Asha Rao\n  Attendance confirmed\n',
      ),
      'one block per booking in the text part',
    );
    const one = renderEmail({
      ...samples.daily_digest.content(ordinary),
      bookings: samples.daily_digest.content(ordinary).bookings.slice(0, 1),
    });
    assert.equal(one.subject, 'Today at your venues: 1 booking on Mon, 10 Nov 2025');
  });

  it('keeps user line breaks out of the subject', () => {
    const { subject } = renderEmail({
      ...samples.booking_confirmed.content(ordinary),
      eventName: 'Quarterly\r\nBcc: x@y.test',
    });
    assert.equal(subject, 'Booked: Quarterly Bcc: x@y.test at Banyan Hall');
  });
});

describe('venue time formatting', () => {
  it('renders an instant in Asia/Kolkata with the zone named', () => {
    assert.equal(
      formatInstant(new Date('2025-11-10T04:30:00Z'), 'Asia/Kolkata'),
      'Mon, 10 Nov 2025, 10:00 (Asia/Kolkata, GMT+5:30)',
    );
  });

  it('renders a slot as one date and a 24-hour range', () => {
    assert.equal(
      formatSlot(new Date('2025-11-10T04:30:00Z'), new Date('2025-11-10T06:30:00Z'), 'Asia/Kolkata'),
      KOLKATA_MORNING,
    );
    assert.equal(
      formatSlot(new Date('2025-11-10T12:00:00Z'), new Date('2025-11-10T14:30:00Z'), 'Asia/Kolkata'),
      'Mon, 10 Nov 2025 · 17:30–20:00 (Asia/Kolkata, GMT+5:30)',
    );
  });

  it('follows New York across the end of daylight saving time', () => {
    assert.equal(
      formatInstant(new Date('2025-11-01T14:00:00Z'), 'America/New_York'),
      'Sat, 1 Nov 2025, 10:00 (America/New_York, EDT, GMT-4)',
    );
    assert.equal(
      formatInstant(new Date('2025-11-02T14:00:00Z'), 'America/New_York'),
      'Sun, 2 Nov 2025, 09:00 (America/New_York, EST, GMT-5)',
    );
  });

  it('writes the end date out when a slot crosses midnight, and both offsets when it crosses a DST change', () => {
    assert.equal(
      formatSlot(new Date('2025-11-01T22:00:00Z'), new Date('2025-11-02T07:00:00Z'), 'America/New_York'),
      'Sat, 1 Nov 2025 · 18:00 – Sun, 2 Nov 2025 · 02:00 (America/New_York, EDT, GMT-4 → EST, GMT-5)',
    );
  });

  it('uses 00:00, never 24:00, at midnight', () => {
    assert.equal(formatInstant(new Date('2025-09-01T00:00:00Z'), 'UTC'), 'Mon, 1 Sep 2025, 00:00 (UTC, GMT+0)');
  });
});
