import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import type { BookingWorkflowState } from '../workflows/booking-types';
import { createTestContext, type TestContext, type TestUser } from './support/context';
import { startTimeSkippingStack, type TimeSkippingStack } from './support/lifecycle';
import { eventually, slotAhead } from './support/slots';

const HOUR = 3_600_000;
const ZONE = 'Asia/Kolkata';

interface BookingRow {
  status: string;
  reminder_sent_at: Date | null;
  confirmed: boolean;
  auto_cancelled_at: Date | null;
  cancelled_by: number | null;
  starts_at: Date;
}

/** Timers fire at the policy's instant; the record is the workflow time of the step that ran then. */
function assertAt(actual: Date | null, expected: number, what: string): void {
  assert.ok(actual, `${what} happened`);
  const lateness = actual.getTime() - expected;
  assert.ok(lateness >= 0 && lateness < 1_000, `${what} at ${actual.toISOString()}, ${lateness} ms after ${new Date(expected).toISOString()}`);
}

describe('booking lifecycle on the time-skipping server', () => {
  let ctx: TestContext;
  let stack: TimeSkippingStack;
  let booker: TestUser;
  let hallAdmin: TestUser;
  let superAdmin: TestUser;
  let venueId: number;

  before(async () => {
    ctx = await createTestContext();
    booker = await ctx.createUser('member', { fullName: 'Bea Booker' });
    hallAdmin = await ctx.createUser('hall_admin', { fullName: 'Hal Admin' });
    superAdmin = await ctx.createUser('super_admin');
    const [venue] = await ctx.db.sql<{ id: number }[]>`insert into venues (name, time_zone) values ('LRDC Hall', ${ZONE}) returning id`;
    venueId = venue!.id;
    await ctx.db.sql`insert into venue_admins (venue_id, user_id) values (${venueId}, ${hallAdmin.id})`;
  });
  after(() => ctx.close());
  beforeEach(async () => { stack = await startTimeSkippingStack(ctx); });
  afterEach(() => stack.stop());

  async function book(aheadMs: number, durationMs = 2 * HOUR, who = booker) {
    const slot = slotAhead(aheadMs, durationMs, ZONE);
    const response = await ctx.request('POST', '/api/bookings/', { token: who.token, body: { venue: venueId, date: slot.date, start_time: slot.start_time, end_time: slot.end_time, event_name: 'Quarterly review' } });
    assert.equal(response.status, 201, await response.clone().text());
    const booking = (await response.json()) as { id: number; confirmed: boolean };
    const handle = stack.env.client.workflow.getHandle(bookingWorkflowId(booking.id));
    await eventually(() => handle.describe().then(() => true, () => false), 'the booking workflow to start');
    return { booking, slot, handle };
  }
  const row = async (id: number) =>
    (await ctx.db.sql<BookingRow[]>`select status, reminder_sent_at, confirmed, auto_cancelled_at, cancelled_by, lower(during) as starts_at from bookings where id = ${id}`)[0]!;
  const notificationTypes = async (userId: number, bookingId: number) =>
    (await ctx.db.sql<{ notification_type: string }[]>`select notification_type from notifications where user_id = ${userId} and link = ${`/bookings/${bookingId}`} order by id`).map((r) => r.notification_type);

  it('booked 3 days ahead, never confirmed: reminded exactly at T−24h, auto-cancelled exactly at T−2h, told by email and in-app', async () => {
    const { booking, slot, handle } = await book(72 * HOUR);
    assert.equal(await handle.result(), 'auto_cancelled');

    const after = await row(booking.id);
    assert.equal(after.status, 'cancelled');
    assertAt(after.reminder_sent_at, slot.startsAt.getTime() - 24 * HOUR, 'reminder');
    assertAt(after.auto_cancelled_at, slot.startsAt.getTime() - 2 * HOUR, 'auto-cancel');
    assert.deepEqual(await notificationTypes(booker.id, booking.id), ['booking_confirmed', 'booking_reminder', 'booking_auto_cancelled']);
    assert.deepEqual(await notificationTypes(hallAdmin.id, booking.id), ['new_booking']);

    const reminder = await ctx.mailbox.waitFor(booker.email, (m) => /confirm/i.test(m.subject) && m.text.includes('/actions/'));
    assert.equal((reminder.text.match(/\/actions\/[\w.-]+/g) ?? []).length >= 2, true, 'Confirm and Cancel links');
    await ctx.mailbox.waitFor(booker.email, (m) => /cancel/i.test(m.subject) && /book again/i.test(m.text));
    await ctx.mailbox.waitFor(hallAdmin.email, (m) => m.subject.includes('LRDC Hall'));
  });
});
