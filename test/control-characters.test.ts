import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import type { CalendarBooking } from '../src/bookings/calendar-bookings';
import { bookingInvitation, calendarIdentity } from '../src/calendar/booking-calendar';
import { createTestContext, given, uniqueEmail, type TestContext, type TestUser } from './support';

const ZONE = 'Asia/Kolkata';
const LATER = { date: '2031-01-10', start_time: '10:00', end_time: '12:00' };

describe('names are one line: control characters are refused at the API, and calendar text is escaped', () => {
  let ctx: TestContext;
  let superAdmin: TestUser;
  let member: TestUser;
  let venueId: number;
  let bookingId: number;

  before(async () => {
    ctx = await createTestContext();
    [superAdmin, member] = await Promise.all([given(ctx).superAdmin(), given(ctx).member()]);
    const venue = await given(ctx).venue({ timeZone: ZONE });
    venueId = venue.id;
    bookingId = (await given(ctx).booking(member, venue, { aheadMs: 3 * 86_400_000 })).booking.id;
  });
  after(() => ctx.close());

  it('every name field (a full name, a venue, its building and floor, an amenity, an event, a closure, a title) refuses CR, LF, tab, ESC, DEL, C1 and U+2028 with a 400 naming it', async () => {
    const cases: Array<[string, string, TestUser, Record<string, unknown>, string]> = [
      ['POST', '/api/users', superAdmin, { email: uniqueEmail('ctl'), full_name: 'Ana\nRuiz' }, 'full_name'],
      ['PATCH', `/api/users/${member.id}`, superAdmin, { full_name: 'Ana \u001b[31mRuiz' }, 'full_name'],
      ['POST', '/api/venues', superAdmin, { name: 'Hall\r\nX-INJECTED:1', time_zone: ZONE }, 'name'],
      ['POST', '/api/venues', superAdmin, { name: 'Hall', location: 'North\u2028wing' }, 'location'],
      ['PATCH', `/api/venues/${venueId}`, superAdmin, { name: 'Hall\rB' }, 'name'],
      ['PATCH', `/api/venues/${venueId}`, superAdmin, { building: 'Block\tA' }, 'building'],
      ['PATCH', `/api/venues/${venueId}`, superAdmin, { floor: '2\u0085' }, 'floor'],
      ['PATCH', `/api/venues/${venueId}`, superAdmin, { amenities: ['Pro\njector'] }, 'amenities.0'],
      ['POST', '/api/amenities', superAdmin, { name: 'Pro\u007fjector' }, 'name'],
      ['POST', '/api/bookings', member, { venue: venueId, ...LATER, event_name: 'Talk\nBcc: x' }, 'event_name'],
      ['PATCH', `/api/bookings/${bookingId}`, member, { event_name: 'Talk\u0007' }, 'event_name'],
      [
        'POST',
        '/api/booking_series',
        member,
        { venue: venueId, ...LATER, event_name: 'Weekly\r\nsync', rrule: 'FREQ=WEEKLY;COUNT=2' },
        'event_name',
      ],
      ['POST', '/api/waitlist', member, { venue: venueId, ...LATER, event_name: 'Wait\ning' }, 'event_name'],
      [
        'POST',
        `/api/venues/${venueId}/closures`,
        superAdmin,
        { first: '2031-02-01', last: '2031-02-02', reason: 'Works\r\nX-INJECTED:1' },
        'reason',
      ],
      ['POST', '/api/notifications/broadcast', superAdmin, { title: 'Hello\nthere', message: 'Hi' }, 'title'],
      [
        'POST',
        '/api/webhooks',
        superAdmin,
        { url: 'https://hooks.example.com/x', description: 'Ops\nfeed', event_types: ['booking.created'] },
        'description',
      ],
    ];
    for (const [method, path, who, body, field] of cases) {
      const response = await ctx.request(method, path, { token: who.token, body });
      assert.equal(response.status, 400, `${method} ${path} ${field}: ${await response.clone().text()}`);
      assert.deepEqual(await response.json(), {
        error: `body field "${field}": must be one line, without control characters`,
      });
    }
  });

  it('text of several lines (details, descriptions, reasons, messages) keeps its line breaks and tabs but refuses other control characters', async () => {
    const details = 'Agenda:\n\t1. Welcome\r\n\t2. Talks';
    const kept = await ctx.request('PATCH', `/api/bookings/${bookingId}`, {
      token: member.token,
      body: { event_details: details },
    });
    assert.equal(kept.status, 200, await kept.clone().text());
    assert.equal(((await kept.json()) as { event_details: string }).event_details, details);
    for (const [path, who, body, field] of [
      [`/api/bookings/${bookingId}`, member, { event_details: 'Bring \u001b[5mlaptops' }, 'event_details'],
      [`/api/venues/${venueId}`, superAdmin, { description: 'Quiet\u0008room' }, 'description'],
    ] as const) {
      const refused = await ctx.request('PATCH', path, { token: who.token, body });
      assert.equal(refused.status, 400);
      assert.deepEqual(await refused.json(), {
        error: `body field "${field}": must be without control characters other than line breaks and tabs`,
      });
    }
  });

  it('a venue name holding CR/LF from before the rule stays inside X-WR-CALNAME: the feed has no line it did not write', async () => {
    const venue = await given(ctx).venue({ name: 'Hall\r\nX-INJECTED:1', timeZone: ZONE });
    const admin = await given(ctx).hallAdmin(venue);
    const made = await ctx.request('POST', '/api/calendar/feeds', { token: admin.token, body: { venue_id: venue.id } });
    assert.equal(made.status, 201, await made.clone().text());
    const feed = await ctx.app.request(new URL(((await made.json()) as { url: string }).url).pathname);
    assert.equal(feed.status, 200);
    const text = await feed.text();
    assert.deepEqual(
      text.split('\r\n').filter((line) => line.startsWith('X-INJECTED')),
      [],
      'no property injected',
    );
    assert.match(text, /\r\nX-WR-CALNAME:BookIT: Hall\\nX-INJECTED:1\r\n/);
    const calendar = new ICAL.Component(ICAL.parse(text));
    assert.ok(!calendar.getAllProperties().some((property) => property.name === 'x-injected'), 'ical.js agrees');
  });

  it('a full name holding a double quote keeps ATTENDEE whole: CN is quoted with RFC 6868 escapes, which ical.js reads back', () => {
    const identity = calendarIdentity({
      http: { publicBaseUrl: 'https://bookit.example.com' },
      mail: { from: 'BookIT <no-reply@bookit.example.com>' },
    });
    const name = 'Ana "the Hammer" Ruiz; ^x';
    const booking: CalendarBooking = {
      id: 7,
      schedule_version: 1,
      status: 'active',
      starts_at: new Date('2031-01-10T04:30:00Z'),
      ends_at: new Date('2031-01-10T06:30:00Z'),
      time_zone: ZONE,
      venue_name: 'Hall',
      venue_location: '',
      user_name: name,
      user_email: 'ana@example.test',
      event_name: 'Talk',
      event_details: '',
      series_id: null,
    };
    const { content } = bookingInvitation(booking, 'REQUEST', identity);
    const attendeeLine = content
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n')
      .find((line) => line.startsWith('ATTENDEE'));
    assert.ok(attendeeLine);
    assert.doesNotMatch(attendeeLine.slice(attendeeLine.indexOf('CN="') + 4, attendeeLine.lastIndexOf('":')), /"/);
    const event = new ICAL.Component(ICAL.parse(content)).getFirstSubcomponent('vevent')!;
    const attendee = event.getFirstProperty('attendee')!;
    assert.equal(attendee.getParameter('cn'), name);
    assert.equal(String(attendee.getFirstValue()).toLowerCase(), 'mailto:ana@example.test');
  });
});
