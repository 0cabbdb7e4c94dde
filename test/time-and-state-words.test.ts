import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatInstant as mailInstant, formatSlot as mailSlot, formatTimes } from '../src/mail/format-time';
import type { Booking } from '../web/src/api/types';
import { bookingState } from '../web/src/format/booking-state';
import { checkInWindowWords } from '../web/src/format/check-in';
import { formatSlot, formatWallSlot, instantOfWallTime } from '../web/src/format/zoned-time';

// Unit tests: what a person reads of a time or a booking's state, without the stack, in seconds.

const NEW_YORK = 'America/New_York';

describe("times in the venue's zone, across daylight-saving changes", () => {
  it('a wall time the clocks pass twice (NY, 1 Nov 2026, 01:30) is the later one; one they skip (8 Mar, 02:30) is read before the jump', () => {
    // 01:30 happens twice in New York on 1 Nov: EDT, then an hour later EST; PostgreSQL takes EST.
    assert.equal(instantOfWallTime('2026-11-01', '01:30:00', NEW_YORK).toISOString(), '2026-11-01T06:30:00.000Z');
    // 02:30 never happens on 8 Mar (02:00 EST jumps to 03:00 EDT); PostgreSQL reads it as EST: 03:30 EDT.
    assert.equal(instantOfWallTime('2026-03-08', '02:30:00', NEW_YORK).toISOString(), '2026-03-08T07:30:00.000Z');
    assert.equal(instantOfWallTime('2026-07-01', '09:00:00', NEW_YORK).toISOString(), '2026-07-01T13:00:00.000Z');
  });

  it('a slot across the change names both zones, in the app and in email', () => {
    // 00:30 EDT to 02:30 EST: three hours of elapsed time on a two-hour clock face.
    const start = new Date('2026-11-01T04:30:00Z');
    const end = new Date('2026-11-01T07:30:00Z');
    assert.equal(formatSlot(start, end, NEW_YORK), 'Sun 1 Nov, 00:30 GMT-4 – 02:30 GMT-5');
    assert.equal(
      mailSlot(start, end, NEW_YORK),
      'Sun, 1 Nov 2026 · 00:30–02:30 (America/New_York, EDT, GMT-4 → EST, GMT-5)',
    );
  });

  it('a slot past midnight names both days; an end at or before the start is the next day', () => {
    assert.equal(
      formatWallSlot('2026-12-06', '22:00:00', '01:00:00', 'Asia/Kolkata'),
      'Sun 6 Dec, 22:00–Mon 7 Dec, 01:00 GMT+5:30',
    );
    assert.equal(
      formatTimes(new Date('2026-12-06T16:30:00Z'), new Date('2026-12-06T19:30:00Z'), 'Asia/Kolkata'),
      '22:00 – Mon, 7 Dec 2026 · 01:00',
    );
  });

  it('an instant names its zone and offset as it stands that day', () => {
    assert.equal(
      mailInstant(new Date('2026-07-01T13:00:00Z'), NEW_YORK),
      'Wed, 1 Jul 2026, 09:00 (America/New_York, EDT, GMT-4)',
    );
    assert.equal(
      mailInstant(new Date('2026-12-01T14:00:00Z'), NEW_YORK),
      'Tue, 1 Dec 2026, 09:00 (America/New_York, EST, GMT-5)',
    );
  });
});

describe("a booking's state in words", () => {
  const base: Booking = {
    id: 42,
    venue: 7,
    venue_name: 'Banyan Hall',
    user: 5,
    user_name: 'Asha Rao',
    date: '2026-12-10',
    start_time: '10:00:00',
    end_time: '12:00:00',
    event_name: 'Quarterly review',
    event_details: '',
    time_zone: 'Asia/Kolkata',
    starts_at: '2026-12-10T04:30:00.000Z',
    ends_at: '2026-12-10T06:30:00.000Z',
    status: 'active',
    reminder_sent: false,
    reminder_sent_at: null,
    confirmed: false,
    confirmed_at: null,
    auto_cancelled: false,
    auto_cancelled_at: null,
    auto_cancel_reason: null,
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
    created_at: '2026-12-01T04:30:00.000Z',
    confirm_by: '2026-12-10T02:30:00.000Z',
    check_in_opens_at: null,
    check_in_closes_at: null,
    checked_in_at: null,
    no_show: false,
    no_show_at: null,
  } as Booking;
  const state = (changes: Partial<Booking>, viewer = 5) => bookingState({ ...base, ...changes }, viewer);

  it('says "booked" until someone confirms, with the deadline in the venue\'s zone, and never "confirmed" before', () => {
    assert.equal(state({}), 'Booked — confirm you still need it by Thu 10 Dec, 08:00 GMT+5:30');
    assert.equal(
      state({ reminder_sent: true }),
      'Booked, reminder sent — confirm you still need it by Thu 10 Dec, 08:00 GMT+5:30',
    );
    assert.equal(
      state({ reminder_sent: true, confirm_by: null }),
      'Booked — reminded too late to be cancelled automatically',
    );
    assert.equal(
      state({ reminder_sent: true, confirm_by: null, reminder_email_bounced_at: '2026-12-09T04:30:05.000Z' }),
      'Booked — your reminder email bounced, so it will not be cancelled automatically: confirm here that you still need it',
    );
    assert.equal(state({ confirmed: true, confirm_by: null }), 'Attendance confirmed');
    for (const words of [state({}), state({ reminder_sent: true })]) assert.doesNotMatch(words, /\bconfirmed\b/i);
  });

  it("says who cancelled, from the viewer's side, and why", () => {
    assert.equal(
      state({ status: 'cancelled', cancelled_by: 5, cancel_reason: 'Moved online' }),
      'Cancelled by you: Moved online',
    );
    assert.equal(state({ status: 'cancelled', cancelled_by: 5 }, 9), 'Cancelled by the booker');
    assert.equal(
      state({ status: 'cancelled', cancelled_by: 1, cancel_reason: 'account closed' }),
      'Cancelled by an administrator: account closed',
    );
    assert.equal(
      state({ status: 'cancelled', auto_cancelled: true }),
      'Cancelled automatically: not confirmed in time',
    );
    assert.equal(state({ status: 'cancelled', no_show: true }), 'Released as a no-show');
    assert.equal(state({ status: 'completed' }), 'Completed');
  });

  it("names a check-in window in the venue's zone, with both days when it opens the evening before", () => {
    assert.equal(
      checkInWindowWords({
        ...base,
        check_in_opens_at: '2026-12-10T04:15:00.000Z',
        check_in_closes_at: '2026-12-10T04:45:00.000Z',
      }),
      'Check in from 09:45 until 10:15 GMT+5:30',
    );
    const early = {
      ...base,
      starts_at: '2026-12-10T18:45:00.000Z',
      check_in_opens_at: '2026-12-10T18:15:00.000Z',
      check_in_closes_at: '2026-12-10T19:00:00.000Z',
    };
    assert.equal(checkInWindowWords(early), 'Check in from Thu 10 Dec, 23:45 until Fri 11 Dec, 00:30 GMT+5:30');
  });
});
