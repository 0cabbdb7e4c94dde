import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestContext, given, slotOnDay, type TestContext, type TestUser } from './support';

const ZONE = 'Asia/Kolkata';
const HOUR = 3_600_000;

const HEADER =
  'id,event_name,booker_name,booker_email,date,start_time,end_time,time_zone,status,approval_status,confirmed_at,checked_in_at,cancel_reason';

/**
 * GET /api/venues/{id}/bookings.csv: a venue's bookings over a range of its local dates, for its
 * hall admins and super admins, as a spreadsheet should read them (quoted, no formulas).
 */
describe("a venue's bookings as CSV", () => {
  let ctx: TestContext;
  let venue: { id: number; name: string; timeZone: string };
  let admin: TestUser;
  let otherAdmin: TestUser;
  let member: TestUser;
  let sharp: TestUser;
  let superAdmin: TestUser;

  before(async () => {
    ctx = await createTestContext();
    const make = given(ctx);
    // Check-in opens two hours before a start, so a booking an hour away can be checked in now.
    venue = await make.venue({ timeZone: ZONE, checkIn: { opensBeforeMinutes: 120, closesAfterMinutes: 30 } });
    const elsewhere = await make.venue({ timeZone: ZONE });
    admin = await make.hallAdmin(venue);
    otherAdmin = await make.hallAdmin(elsewhere);
    member = await make.member({ fullName: 'Zoë "Z" O\'Neil, Jr.' });
    sharp = await make.member({ fullName: '@lex Sharp' });
    superAdmin = await make.superAdmin();
  });
  after(() => ctx.close());

  const csvOf = (who: TestUser, query: string, venueId = venue.id) =>
    ctx.request('GET', `/api/venues/${venueId}/bookings.csv${query}`, { token: who.token });
  const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;

  it('lists every booking starting in the range, whatever became of it, in start order: quoted, formulas made inert, as an attachment', async () => {
    const make = given(ctx);
    const soon = await make.booking(sharp, venue, { aheadMs: HOUR, durationMs: HOUR, eventName: 'Morning stand-up' });
    const formula = await make.booking(member, venue, {
      slot: slotOnDay(2, 10, 2, ZONE),
      eventName: '=HYPERLINK("http://evil.example","click")',
    });
    const early = await make.booking(member, venue, { slot: slotOnDay(2, 8, 1, ZONE), eventName: 'Board meeting, Q3' });
    const minus = await make.booking(sharp, venue, { slot: slotOnDay(2, 14, 1, ZONE), eventName: '-2 chairs please' });
    const later = await make.booking(member, venue, { slot: slotOnDay(3, 9, 1, ZONE), eventName: 'Out of range' });
    assert.ok(later.booking.id);

    // The booker confirms one; the desk checks the soon one in; one is cancelled with a two-line reason.
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${formula.booking.id}/confirm`, { token: member.token })).status,
      200,
    );
    const checkIn = await ctx.request('POST', `/api/bookings/${soon.booking.id}/check_in`, { token: admin.token });
    assert.equal(checkIn.status, 200, await checkIn.clone().text());
    const cancelled = await ctx.request('POST', `/api/bookings/${early.booking.id}/cancel`, {
      token: member.token,
      body: { reason: '+1 for moving it\nsee the email' },
    });
    assert.equal(cancelled.status, 200, await cancelled.clone().text());

    const from = slotOnDay(0, 0, 1, ZONE).date;
    const to = slotOnDay(2, 0, 1, ZONE).date;
    const response = await csvOf(admin, `?from=${from}&to=${to}`);
    assert.equal(response.status, 200, await response.clone().text());
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.equal(
      response.headers.get('content-disposition'),
      `attachment; filename="venue-${venue.id}-bookings-${from}-to-${to}.csv"`,
    );
    assert.equal(response.headers.get('cache-control'), 'private, no-store');

    const stamps = new Map(
      (
        await ctx.db.sql<{ id: number; confirmed_at: Date | null; checked_in_at: Date | null }[]>`
          select id, confirmed_at, checked_in_at from bookings where venue_id = ${venue.id}`
      ).map((row) => [row.id, row]),
    );
    const iso = (at: Date | null | undefined) => at?.toISOString() ?? '';
    const day2 = slotOnDay(2, 0, 1, ZONE).date;
    const expected = [
      HEADER,
      `${soon.booking.id},Morning stand-up,'@lex Sharp,${sharp.email},${soon.slot.date},${soon.slot.start_time},${soon.slot.end_time},${ZONE},active,,${iso(stamps.get(soon.booking.id)?.confirmed_at)},${iso(stamps.get(soon.booking.id)?.checked_in_at)},`,
      `${early.booking.id},"Board meeting, Q3","Zoë ""Z"" O'Neil, Jr.",${member.email},${day2},08:00,09:00,${ZONE},cancelled,,,,"'+1 for moving it\nsee the email"`,
      `${formula.booking.id},"'=HYPERLINK(""http://evil.example"",""click"")","Zoë ""Z"" O'Neil, Jr.",${member.email},${day2},10:00,12:00,${ZONE},active,,${iso(stamps.get(formula.booking.id)?.confirmed_at)},,`,
      `${minus.booking.id},'-2 chairs please,'@lex Sharp,${sharp.email},${day2},14:00,15:00,${ZONE},active,,,,`,
    ];
    assert.equal(await response.text(), expected.map((line) => `${line}\r\n`).join(''));
    assert.ok(stamps.get(soon.booking.id)?.checked_in_at, 'the check-in is in the export');
    assert.ok(stamps.get(formula.booking.id)?.confirmed_at, 'the confirmation is in the export');

    // A super admin may too; a day with nothing booked is the header alone.
    const empty = await csvOf(superAdmin, `?from=${slotOnDay(9, 0, 1, ZONE).date}&to=${slotOnDay(9, 0, 1, ZONE).date}`);
    assert.equal(empty.status, 200);
    assert.equal(await empty.text(), `${HEADER}\r\n`);
  });

  it("refuses another venue's hall admin and a member (403), no token (401), an unknown venue (404) and a bad range (400, saying why)", async () => {
    const range = '?from=2031-01-01&to=2031-01-31';
    assert.equal((await csvOf(otherAdmin, range)).status, 403);
    assert.equal((await csvOf(member, range)).status, 403);
    assert.equal((await ctx.request('GET', `/api/venues/${venue.id}/bookings.csv${range}`)).status, 401);
    assert.equal((await csvOf(admin, range, 999_999_999)).status, 404);

    const bad: Array<[string, RegExp]> = [
      ['?from=2031-02-01&to=2031-01-31', /"to" must not be before "from"/],
      ['?from=2031-01-01&to=2032-01-02', /at most 366 days/],
      ['?from=2031-01-01', /"to" is required/],
      ['?from=2031-02-30&to=2031-03-01', /"from".*YYYY-MM-DD/],
    ];
    for (const [query, why] of bad) {
      const response = await csvOf(admin, query);
      assert.equal(response.status, 400, query);
      assert.match(await errorOf(response), why, query);
    }
    // A leap year's 366 days fit.
    assert.equal((await csvOf(admin, '?from=2032-01-01&to=2032-12-31')).status, 200);
  });

  it('is documented in /openapi.json as CSV with its range', async () => {
    const doc = (await (await ctx.request('GET', '/openapi.json')).json()) as {
      paths: Record<
        string,
        { get?: { parameters?: Array<{ name: string; in: string }>; responses: Record<string, { content?: object }> } }
      >;
    };
    const route = doc.paths['/api/venues/{id}/bookings.csv']?.get;
    assert.ok(route, 'the route is in the document');
    assert.deepEqual(route.parameters?.map((p) => `${p.in}:${p.name}`).sort(), ['path:id', 'query:from', 'query:to']);
    assert.ok(route.responses['200']?.content && 'text/csv' in route.responses['200'].content);
    assert.ok(route.responses['403'] && route.responses['400']);
  });
});
