import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NO_SHOW_REASON } from '../activities/bookings';
import { releaseNoShow } from '../src/bookings/lifecycle';
import { createTestContext, given, slotOnDay, type TestContext, type TestUser } from './support';

const ZONE = 'Asia/Kolkata';
const HOUR = 3_600_000;

interface Listed {
  id: number;
  event_name: string;
  state: string;
}

/**
 * What a venue's desk asks GET /api/bookings: the bookings of its local days (from, to) in start
 * order whatever became of them, each with its state in one word, filtered by that state; and a
 * venue's staff checking a booker in.
 */
describe("bookings API: a venue's days for its desk", () => {
  let ctx: TestContext;
  let venue: { id: number; name: string; timeZone: string };
  let admin: TestUser;
  let otherAdmin: TestUser;
  let member: TestUser;
  const ids: Record<string, number> = {};
  const day = slotOnDay(2, 0, 1, ZONE).date;
  const today = slotOnDay(0, 0, 1, ZONE).date;

  before(async () => {
    ctx = await createTestContext();
    const make = given(ctx);
    venue = await make.venue({ timeZone: ZONE, checkIn: { opensBeforeMinutes: 180, closesAfterMinutes: 30 } });
    admin = await make.hallAdmin(venue);
    otherAdmin = await make.hallAdmin(await make.venue({ timeZone: ZONE }));
    member = await make.member();
    const book = async (name: string, hour: number, daysAhead = 2) => {
      const slot = slotOnDay(daysAhead, hour, 1, ZONE);
      ids[name] = (await make.booking(member, venue, { slot, eventName: name })).booking.id;
    };
    const soon = async (name: string, aheadMs: number) => {
      ids[name] = (await make.booking(member, venue, { aheadMs, durationMs: HOUR, eventName: name })).booking.id;
    };

    await book('Reminded', 8);
    await book('Confirmed', 10);
    await book('Cancelled', 12);
    await book('No-show', 14);
    await book('Fresh', 16);
    await book('Next day', 9, 3);
    await soon('Checked in', HOUR);
    await soon('At the door', 2 * HOUR);

    await ctx.db.sql`update bookings set reminder_sent = true, reminder_sent_at = now() where id = ${ids.Reminded!}`;
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${ids.Confirmed}/confirm`, { token: member.token })).status,
      200,
    );
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${ids.Cancelled}/cancel`, { token: member.token, body: {} })).status,
      200,
    );
    // Released as the lifecycle releases it once the window has closed.
    const [noShow] = await ctx.db.sql<{ version: number; closes: Date }[]>`
      select schedule_version as version, lower(during) + interval '30 minutes' as closes from bookings where id = ${ids['No-show']!}`;
    assert.ok(await releaseNoShow(ctx.db.sql, ids['No-show']!, noShow!.version, noShow!.closes, NO_SHOW_REASON));
    // From here on the venue's staff approve each booking: the next one waits for them.
    const ruled = await ctx.request('PATCH', `/api/venues/${venue.id}`, {
      token: admin.token,
      body: { approval: { required: true } },
    });
    assert.equal(ruled.status, 200, await ruled.clone().text());
    await book('Request', 18);
  });
  after(() => ctx.close());

  const list = async (who: TestUser, query: string) => {
    const response = await ctx.request('GET', `/api/bookings${query}`, { token: who.token });
    assert.equal(response.status, 200, await response.clone().text());
    return { rows: (await response.json()) as Listed[], link: response.headers.get('link') };
  };
  const names = (rows: Listed[]) => rows.map((row) => row.event_name);

  it("a hall admin's staff check a booker in at the desk, inside the window; another venue's admin cannot see it", async () => {
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${ids['Checked in']}/check_in`, { token: otherAdmin.token })).status,
      404,
    );
    const response = await ctx.request('POST', `/api/bookings/${ids['Checked in']}/check_in`, { token: admin.token });
    assert.equal(response.status, 200, await response.clone().text());
    const booking = (await response.json()) as { checked_in_at: string | null; state: string };
    assert.ok(booking.checked_in_at);
    assert.equal(booking.state, 'checked_in');
  });

  it("lists a venue's local day in start order, whatever became of each booking, with its state in one word", async () => {
    const { rows } = await list(admin, `?venue=${venue.id}&from=${day}&to=${day}`);
    assert.deepEqual(
      rows.map((row) => [row.event_name, row.state]),
      [
        ['Reminded', 'awaiting_confirmation'],
        ['Confirmed', 'confirmed'],
        ['Cancelled', 'cancelled'],
        ['No-show', 'no_show'],
        ['Fresh', 'awaiting_confirmation'],
        ['Request', 'pending_approval'],
      ],
    );
    // Continued page by page after the last start and id.
    const first = await list(admin, `?venue=${venue.id}&from=${day}&to=${day}&limit=4`);
    assert.deepEqual(names(first.rows), ['Reminded', 'Confirmed', 'Cancelled', 'No-show']);
    const next = /<([^>]+)>; rel="next"/.exec(first.link ?? '')?.[1];
    assert.ok(next, 'a Link to the rest');
    assert.deepEqual(names((await list(admin, next.replace(/^\/api\/bookings/, ''))).rows), ['Fresh', 'Request']);
  });

  it('filters by state, and by what needs the desk now: a request, a reminded booking unconfirmed, a check-in window open', async () => {
    const across = `?venue=${venue.id}&from=${today}&to=${day}`;
    const byState = async (state: string) => names((await list(admin, `${across}&state=${state}`)).rows);
    assert.deepEqual(await byState('confirmed'), ['Confirmed']);
    assert.deepEqual(await byState('cancelled'), ['Cancelled']);
    assert.deepEqual(await byState('no_show'), ['No-show']);
    assert.deepEqual(await byState('pending_approval'), ['Request']);
    assert.deepEqual(await byState('checked_in'), ['Checked in']);
    assert.deepEqual(await byState('needs_action'), ['At the door', 'Reminded', 'Request']);
    // The member's own list answers the same filters, for their bookings only.
    assert.deepEqual(names((await list(member, `?from=${day}&to=${day}&state=confirmed`)).rows), ['Confirmed']);
  });

  it('refuses a range that ends before it starts, and an unknown state, naming the parameter', async () => {
    for (const [query, why] of [
      [`?from=${day}&to=${today}`, /"to" must not be before "from"/],
      ['?state=asleep', /query parameter field "state"/],
      ['?from=2031-13-01', /query parameter field "from"/],
    ] as const) {
      const response = await ctx.request('GET', `/api/bookings${query}`, { token: admin.token });
      assert.equal(response.status, 400, query);
      assert.match(((await response.json()) as { error: string }).error, why);
    }
  });
});
