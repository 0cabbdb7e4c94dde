import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SubscribableEventType } from '../src/webhooks/event-types';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import {
  createTestContext,
  eventually,
  given,
  uniqueEmail,
  withTimeSkipping,
  type TestContext,
  type TestUser,
  type TimeSkippingStack,
} from './support';
import { Receiver, verify } from './support/webhook-receiver';

const HOUR = 3_600_000;

/**
 * Notices as webhook events, end to end: the worker's notices pipeline (time-skipping server, the
 * outbox relay, PostgreSQL, MailDev) POSTs each notice's event to a real receiver on 127.0.0.1,
 * which verifies every signature with the standardwebhooks library and counts each event id.
 */
describe('every notice is a signed webhook event, delivered once', () => {
  let ctx: TestContext;
  let stack: TimeSkippingStack;
  let receiver: Receiver;
  let admin: TestUser;
  let endpoint: { path: string; secret: string };

  before(async () => {
    ctx = await createTestContext({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    stack = await withTimeSkipping(ctx);
    receiver = new Receiver();
    await receiver.start();
    admin = await ctx.createUser('super_admin');
    const { url, path } = receiver.endpoint();
    const types: SubscribableEventType[] = [
      'booking.created',
      'booking.reminder',
      'booking.cancelled',
      'user.welcome',
      'announcement',
    ];
    const registered = await ctx.request('POST', '/api/webhooks', {
      token: admin.token,
      body: { url, event_types: types, description: 'all notices' },
    });
    assert.equal(registered.status, 201, await registered.clone().text());
    endpoint = { path, secret: ((await registered.json()) as { secret: string }).secret };
  });
  after(async () => {
    await stack?.stop();
    await receiver?.close();
    await ctx?.close();
  });

  /** The events that reached the endpoint, each verified; by type, with how often each id arrived. */
  function eventsOf(type: string) {
    return receiver
      .to(endpoint.path)
      .map((received) => ({
        id: received.headers['webhook-id'],
        ...verify(endpoint.secret, received),
        body: received.body,
      }))
      .filter((event) => event.type === type);
  }

  it('a booking made, reminded and cancelled: booking.created, booking.reminder and booking.cancelled, once each, with facts and no address or link', async () => {
    const booker = await ctx.createUser('member');
    const venue = await given(ctx).venue({ name: 'Webhook Hall', timeZone: 'Asia/Kolkata' });
    // Five hours ahead: inside the reminder lead, so the reminder goes out at once.
    const { id } = (
      await given(ctx).booking(booker, venue, { aheadMs: 5 * HOUR, durationMs: HOUR, eventName: 'Hooked seminar' })
    ).booking;
    await eventually(
      async () => eventsOf('booking.reminder').some((event) => event.data.booking_id === id),
      'the reminder event',
    );
    const cancelled = await ctx.request('POST', `/api/bookings/${id}/cancel/`, {
      token: booker.token,
      body: { reason: 'Moved online' },
    });
    assert.equal(cancelled.status, 200);
    assert.equal(await stack.env.client.workflow.getHandle(bookingWorkflowId(id)).result(), 'cancelled');

    for (const type of ['booking.created', 'booking.reminder', 'booking.cancelled']) {
      const mine = eventsOf(type).filter((event) => event.data.booking_id === id);
      assert.equal(mine.length, 1, `${type} arrived once`);
      assert.equal(mine[0]!.data.event_name, 'Hooked seminar');
      assert.ok(!mine[0]!.body.includes(booker.email), `${type} carries no email address`);
      assert.ok(!mine[0]!.body.includes('/actions/'), `${type} carries no action link`);
    }
    const [cancel] = eventsOf('booking.cancelled').filter((event) => event.data.booking_id === id);
    assert.equal(cancel!.data.status, 'cancelled');
    assert.equal(cancel!.data.cancel_reason, 'Moved online');
  });

  it('a new user and an announcement: user.welcome (without the password) and announcement (with how many it reached), once each', async () => {
    const email = uniqueEmail('hooked');
    const created = await ctx.request('POST', '/api/users/', {
      token: admin.token,
      body: { email, full_name: 'Hugo Hooked', role: 'member' },
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: number };
    const welcome = await ctx.mailbox.waitFor(email, (mail) => /welcome/i.test(mail.subject), 30_000);
    const password = /Password:\s*(\S+)/.exec(welcome.text)![1]!;
    const welcomed = await eventually(async () => {
      const mine = eventsOf('user.welcome').filter((event) => event.data.user_id === id);
      return mine.length ? mine : undefined;
    }, 'the welcome event');
    assert.equal(welcomed.length, 1);
    assert.ok(!welcomed[0]!.body.includes(password), 'no password in the event');

    const sent = await ctx.request('POST', '/api/notifications/broadcast', {
      token: admin.token,
      body: { title: 'Closed on Friday', message: 'The halls close at noon.' },
    });
    assert.equal(sent.status, 201, await sent.clone().text());
    const [announced] = await eventually(async () => {
      const mine = eventsOf('announcement').filter((event) => event.data.title === 'Closed on Friday');
      return mine.length ? mine : undefined;
    }, 'the announcement event');
    const [row] = await ctx.db.sql<
      { recipient_count: number }[]
    >`select recipient_count from broadcasts where id = ${announced!.data.broadcast_id as number}`;
    assert.equal(announced!.data.recipient_count, row!.recipient_count);
    assert.ok(row!.recipient_count > 0);
    assert.equal(
      eventsOf('announcement').filter((event) => event.data.broadcast_id === announced!.data.broadcast_id).length,
      1,
      'once',
    );
  });
});
