// Records booking workflow histories for the replay test: `npm run record-histories`.
// Run it when a deliberate, versioned (patched) change to bookingWorkflow is made, and commit the
// new files beside the old ones: old histories must keep replaying, so running bookings survive.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { createTestContext, type TestContext, type TestUser } from '../support/context';
import { startTimeSkippingStack } from '../support/lifecycle';
import { eventually, slotAhead } from '../support/slots';

const HOUR = 3_600_000;
const OUT = path.resolve(import.meta.dirname, '../fixtures/histories');
// Bump with each recorded change to bookingWorkflow; earlier recordings stay and must keep replaying.
const RECORDING = 'v3';

let ctx: TestContext;
let booker: TestUser;
before(async () => {
  ctx = await createTestContext();
  booker = await ctx.createUser('member');
});
after(() => ctx.close());

async function record(name: string, aheadMs: number, drive: (bookingId: number, sleep: (ms: number) => Promise<void>) => Promise<void>): Promise<void> {
  const stack = await startTimeSkippingStack(ctx);
  try {
    const [venue] = await ctx.db.sql<{ id: number }[]>`insert into venues (name, time_zone) values (${`Replay ${name}`}, 'Asia/Kolkata') returning id`;
    const slot = slotAhead(aheadMs, 2 * HOUR, 'Asia/Kolkata');
    const response = await ctx.request('POST', '/api/bookings/', { token: booker.token, body: { venue: venue!.id, date: slot.date, start_time: slot.start_time, end_time: slot.end_time, event_name: 'Replay' } });
    const { id } = (await response.json()) as { id: number };
    const handle = stack.env.client.workflow.getHandle(`booking-${id}`);
    await eventually(() => handle.describe().then(() => true, () => false), 'the workflow to start');
    await drive(id, (ms) => stack.env.sleep(ms));
    await handle.result();
    const history = await handle.fetchHistory();
    // Worker identities name the recording machine; they play no part in replay.
    const scrubbed = JSON.stringify(history).replace(/"identity":"[^"]*"/g, '"identity":"replay-fixture"');
    await writeFile(path.join(OUT, `booking-${name}.${RECORDING}.json`), scrubbed);
  } finally {
    await stack.stop();
  }
}

it('records: never confirmed, auto-cancelled', () => record('auto-cancelled', 72 * HOUR, async () => {}));

it('records: confirmed after the reminder, completed', () => record('confirmed', 72 * HOUR, async (id, sleep) => {
  await sleep(49 * HOUR);
  await eventually(async () => (await ctx.db.sql`select 1 from bookings where id = ${id} and reminder_sent`).length === 1, 'the reminder');
  await ctx.request('POST', `/api/bookings/${id}/confirm/`, { token: booker.token });
}));

it('records: cancelled while waiting for the reminder', () => record('cancelled', 72 * HOUR, async (id) => {
  await ctx.request('POST', `/api/bookings/${id}/cancel/`, { token: booker.token, body: { reason: 'Replay' } });
}));

it('records: rescheduled after the reminder, then auto-cancelled', () => record('rescheduled', 30 * HOUR, async (id, sleep) => {
  await sleep(7 * HOUR);
  await eventually(async () => (await ctx.db.sql`select 1 from bookings where id = ${id} and reminder_sent`).length === 1, 'the reminder');
  const moved = slotAhead(30 * HOUR + 72 * HOUR, 2 * HOUR, 'Asia/Kolkata');
  await ctx.request('PATCH', `/api/bookings/${id}/`, { token: booker.token, body: { date: moved.date, start_time: moved.start_time, end_time: moved.end_time } });
}));
