import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createActivities } from '../activities';
import { createLogger } from '../src/log/logger';
import { createTestContext, given, slotAhead, type TestContext } from './support';

const HOUR = 3_600_000;
const ZONE = 'Asia/Kolkata';

describe('an offer whose workflow task was lost with its worker', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  it('is resumed by the retried step, not joined by a second offer to the next waiter', async () => {
    const [holder, first, second] = await Promise.all([
      ctx.createUser('member'),
      ctx.createUser('member'),
      ctx.createUser('member'),
    ]);
    const venue = await given(ctx).venue({ name: 'Resume Hall', timeZone: ZONE });
    const slot = slotAhead(50 * HOUR, 2 * HOUR, ZONE);
    // Taken, so the two can wait for it; then freed, as a cancel would (this test runs the activity, not the cancel).
    const [taken] = await ctx.db.sql<{ id: number }[]>`
      insert into bookings (venue_id, user_id, event_name, during) values (${venue.id}, ${holder.id}, 'Taken', tstzrange(${slot.startsAt}, ${slot.endsAt}, '[)')) returning id`;
    for (const who of [first, second]) {
      const joined = await ctx.request('POST', '/api/waitlist/', {
        token: who.token,
        body: { venue: venue.id, date: slot.date, start_time: slot.start_time, end_time: slot.end_time },
      });
      assert.equal(joined.status, 201, await joined.clone().text());
    }
    await ctx.db.sql`update bookings set status = 'cancelled' where id = ${taken!.id}`;
    const activities = createActivities({
      config: ctx.config,
      sql: ctx.db.sql,
      mailer: ctx.mailer,
      logger: createLogger(ctx.config.logLevel),
    });
    const request = {
      venueId: venue.id,
      workflowId: `slot-offer-resume-${venue.id}`,
      freed: [{ startsAt: slot.startsAt.getTime(), endsAt: slot.endsAt.getTime() }],
      atMs: Date.now(),
      offerWindowMs: 15 * 60_000,
    };

    // The first attempt committed its offer; the worker died before the workflow recorded it.
    const made = await activities.offerNextWaiter(request);
    assert.equal(made?.userId, first.id);
    const retried = await activities.offerNextWaiter({ ...request, atMs: request.atMs + 5_000 });
    assert.deepEqual(retried, made, 'the same offer, with the same window');

    const statuses = await ctx.db.sql<
      { user_id: number; status: string }[]
    >`select user_id, status from waitlist_entries where venue_id = ${venue.id} order by priority`;
    assert.deepEqual(
      statuses.map((s) => [s.user_id, s.status]),
      [
        [first.id, 'offered'],
        [second.id, 'waiting'],
      ],
    );
  });
});
