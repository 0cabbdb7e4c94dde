import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import type { Config } from '../src/config/config';
import { createLogger } from '../src/log/logger';
import { createMailTransport } from '../src/mail/transport';
import { DAILY_DIGEST_SCHEDULE_ID } from '../src/temporal/workflow-ids';
import { ensureDailyDigestSchedule } from '../src/worker/schedules';
import { startWorker, type WorkerHandle } from '../src/worker/worker';
import type { dailyDigestWorkflow } from '../workflows/daily-digest';
import { dailyDigestEmailKey } from '../src/contracts/daily-digest-types';
import { workflowTypes } from '../src/contracts/workflow-types';
import {
  createTestContext,
  eventually,
  given,
  localParts,
  withTimeSkipping,
  withWorker,
  type ReceivedEmail,
  type TestContext,
  type TestUser,
  type TimeSkippingStack,
} from './support';
import { startSmtpFaultServer } from './support/smtp-faults';

const MINUTE = 60_000;
const DAY = 86_400_000;
const KOLKATA = 'Asia/Kolkata'; // GMT+5:30
const KATHMANDU = 'Asia/Kathmandu'; // GMT+5:45: its 07:00 is Kolkata's 06:45
const NEW_YORK = 'America/New_York';
const DIGEST_SUBJECT = /^Today at your venues: /;

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

describe('daily digest on the time-skipping server', () => {
  let ctx: TestContext;
  let stack: TimeSkippingStack;
  /** A client that never unlocks time skipping: time skips only when a test moves the clock (advanceTo). */
  let client: Client;
  let bea: TestUser;
  let raj: TestUser;
  /** Hall admins made by the running test; deactivated after it, so later tests' runs never write to them. */
  let admins: TestUser[];

  before(async () => {
    ctx = await createTestContext();
    bea = await ctx.createUser('member', { fullName: 'Bea Booker' });
    raj = await ctx.createUser('member', { fullName: 'Raj Patel' });
  });
  after(() => ctx.close());
  beforeEach(async () => {
    stack = await withTimeSkipping(ctx);
    client = new Client({ connection: stack.env.connection, namespace: stack.env.namespace ?? 'default' });
    admins = [];
  });
  afterEach(async () => {
    await stack.stop();
    if (admins.length > 0)
      await ctx.db.sql`update users set is_active = false where id in ${ctx.db.sql(admins.map((admin) => admin.id))}`;
  });

  async function hallAdmin(fullName: string): Promise<TestUser> {
    const admin = await ctx.createUser('hall_admin', { fullName });
    admins.push(admin);
    return admin;
  }

  async function venue(name: string, timeZone: string, ...administeredBy: TestUser[]): Promise<number> {
    return (await given(ctx).venue({ name, timeZone, admins: administeredBy })).id;
  }

  /** Books through the API, as the booker would (the booking's own workflow starts on this server). */
  async function book(
    who: TestUser,
    venueId: number,
    date: string,
    start: string,
    end: string,
    eventName: string,
  ): Promise<number> {
    return (await given(ctx).booking(who, venueId, { slot: { date, start_time: start, end_time: end }, eventName }))
      .booking.id;
  }

  async function post(who: TestUser, path: string): Promise<void> {
    const response = await ctx.request('POST', path, { token: who.token, body: {} });
    assert.equal(response.status, 200, await response.clone().text());
  }

  /** The next 07:00 in `zone` at least 20 minutes from the server's clock (room to look just before it), and that local day. */
  async function nextSevenOClock(zone: string): Promise<{ at: number; date: string }> {
    const earliest = (await stack.env.currentTimeMs()) + 20 * MINUTE;
    const sevenOn = async (date: string) =>
      (
        await ctx.db.sql<{ at: Date }[]>`select (${date}::date + time '07:00') at time zone ${zone} as at`
      )[0]!.at.getTime();
    const today = localParts(new Date(earliest), zone).date;
    const at = await sevenOn(today);
    return at >= earliest ? { at, date: today } : { at: await sevenOn(nextDate(today)), date: nextDate(today) };
  }

  /** Moves the server's clock to `instant`; workflow timers due on the way fire. */
  async function advanceTo(instant: number): Promise<void> {
    const now = await stack.env.currentTimeMs();
    assert.ok(
      instant >= now,
      `the clock is at ${new Date(now).toISOString()}, already past ${new Date(instant).toISOString()}`,
    );
    await stack.env.sleep(instant - now);
  }

  function startDigestRun() {
    return client.workflow.start<typeof dailyDigestWorkflow>(workflowTypes.dailyDigestWorkflow, {
      workflowId: `daily-digest-test-${randomUUID()}`,
      taskQueue: ctx.config.temporal.taskQueue,
      args: [
        {
          digestHour: ctx.config.lifecycle.dailyDigestHour,
          emailRetryInitialMs: ctx.config.lifecycle.emailRetryInitialMs,
        },
      ],
    });
  }

  /** One firing of the schedule, as the schedule would start it; resolves when its emails are sent. */
  async function fireDigest(): Promise<number> {
    return (await startDigestRun()).result();
  }

  const digestsTo = async (who: TestUser): Promise<ReceivedEmail[]> =>
    (await ctx.mailbox.to(who.email)).filter((mail) => DIGEST_SUBJECT.test(mail.subject));
  const emailLog = async (key: string) =>
    (
      await ctx.db.sql<
        { status: string; attempts: number; last_error: string | null }[]
      >`select status, attempts, last_error from email_log where idempotency_key = ${key}`
    )[0];

  it("07:00 in Kolkata: a hall admin of two venues gets one digest of the day's bookings with their states; nothing before, nothing more on later firings; an admin with none today gets none", async () => {
    const hal = await hallAdmin('Hal Admin');
    const ken = await hallAdmin('Ken Quiet');
    const banyan = await venue('Banyan Hall', KOLKATA, hal);
    const neem = await venue('Neem Auditorium', KOLKATA, hal);
    const lotus = await venue('Lotus Room', KOLKATA, ken);
    const { at: seven, date: today } = await nextSevenOClock(KOLKATA);
    const tomorrow = nextDate(today);

    const review = await book(bea, banyan, today, '10:00', '12:00', 'Quarterly review');
    await post(bea, `/api/bookings/${review}/confirm/`);
    await book(raj, neem, today, '14:00', '15:30', 'Chemistry lab');
    const dropped = await book(raj, banyan, today, '16:00', '17:00', 'Dropped rehearsal');
    await post(raj, `/api/bookings/${dropped}/cancel/`);
    await book(bea, banyan, tomorrow, '09:00', '10:00', 'Tomorrow standup');
    await book(bea, lotus, tomorrow, '09:00', '10:00', 'Lotus tomorrow');

    await advanceTo(seven - 10 * MINUTE);
    await fireDigest();
    assert.deepEqual(await digestsTo(hal), [], 'at 06:50 nothing is due');

    await advanceTo(seven);
    assert.equal(await fireDigest(), 1, "one digest handed over: Hal's (Ken's day is empty)");
    const [digest, ...more] = await digestsTo(hal);
    assert.ok(digest, 'Hal has his digest as soon as the 07:00 run ends');
    assert.equal(more.length, 0);
    assert.match(digest.subject, /2 bookings on \w{3}, \d{1,2} \w{3} \d{4}$/);
    const { text } = digest;
    assert.ok(text.includes(`Times are in ${KOLKATA}, GMT+5:30.`), text);
    const reviewAt = text.indexOf(
      '10:00–12:00  Quarterly review\n  Venue:     Banyan Hall\n  Booked by: Bea Booker\n  Attendance confirmed\n',
    );
    const labAt = text.indexOf(
      '14:00–15:30  Chemistry lab\n  Venue:     Neem Auditorium\n  Booked by: Raj Patel\n  Not yet confirmed — the booker must confirm by 12:00\n',
    );
    assert.ok(
      reviewAt >= 0 && labAt > reviewAt,
      `both of today's bookings, in time order, with their states:\n${text}`,
    );
    for (const absent of ['Dropped rehearsal', 'Tomorrow standup'])
      assert.ok(!text.includes(absent), `${absent} is not on today's list`);
    assert.ok(digest.html.includes('Not yet confirmed — the booker must confirm by 12:00'));
    assert.ok(
      digest.html.includes(`${ctx.config.http.publicBaseUrl}/venue-bookings`),
      'a link to the venue bookings page',
    );
    assert.deepEqual(await digestsTo(ken), [], "Ken's venue has nothing today: no email");

    // Later firings the same day, two of them at once, as overlapping schedule runs would be.
    await advanceTo(seven + 15 * MINUTE);
    await Promise.all([fireDigest(), fireDigest()]);
    await advanceTo(seven + 30 * MINUTE);
    await fireDigest();
    assert.equal((await digestsTo(hal)).length, 1, 'still one digest');
    assert.deepEqual(await digestsTo(ken), []);
    const logged = await emailLog(dailyDigestEmailKey({ adminId: hal.id, timeZone: KOLKATA, localDate: today }));
    assert.deepEqual({ ...logged }, { status: 'sent', attempts: 1, last_error: null });
    assert.equal(
      await emailLog(dailyDigestEmailKey({ adminId: ken.id, timeZone: KOLKATA, localDate: today })),
      undefined,
    );
  });

  it("each zone at its own 07:00: an admin of venues in Kathmandu and New York gets two digests, each when that zone reaches 07:00; a Kolkata admin gets theirs 15 minutes after Kathmandu's", async () => {
    const tara = await hallAdmin('Tara Gurung');
    const ravi = await hallAdmin('Ravi Iyer');
    const everest = await venue('Everest Hall', KATHMANDU, tara);
    const hudson = await venue('Hudson Room', NEW_YORK, tara);
    const ganga = await venue('Ganga Hall', KOLKATA, ravi);
    const mornings = [
      { zone: KATHMANDU, admin: tara, venueId: everest, eventName: 'Himalaya briefing' },
      { zone: NEW_YORK, admin: tara, venueId: hudson, eventName: 'Hudson planning' },
      { zone: KOLKATA, admin: ravi, venueId: ganga, eventName: 'Ganga seminar' },
    ];
    const due = [];
    for (const morning of mornings) {
      const seven = await nextSevenOClock(morning.zone);
      await book(bea, morning.venueId, seven.date, '10:00', '11:00', morning.eventName);
      due.push({ ...morning, ...seven });
    }
    due.sort((a, b) => a.at - b.at);

    const received = new Map<TestUser, ReceivedEmail[]>([
      [tara, []],
      [ravi, []],
    ]);
    for (const { zone, admin, eventName, at, date } of due) {
      const before = (await digestsTo(admin)).length;
      if (at - MINUTE > (await stack.env.currentTimeMs())) {
        await advanceTo(at - MINUTE);
        await fireDigest();
        assert.equal((await digestsTo(admin)).length, before, `nothing for ${zone} at 06:59 there`);
      }
      await advanceTo(at);
      await fireDigest();
      const now = await digestsTo(admin);
      assert.equal(now.length, before + 1, `${admin.email}'s ${zone} digest at 07:00 there`);
      const fresh = now.find((mail) => !received.get(admin)!.some((seen) => seen.id === mail.id))!;
      received.get(admin)!.push(fresh);
      assert.ok(fresh.text.includes(`10:00–11:00  ${eventName}`), fresh.text);
      assert.ok(fresh.text.includes(`Times are in ${zone}`));
      for (const other of mornings.filter((m) => m.eventName !== eventName))
        assert.ok(!fresh.text.includes(other.eventName), `${zone}'s digest lists only ${zone}'s venues`);
      assert.equal(
        (await emailLog(dailyDigestEmailKey({ adminId: admin.id, timeZone: zone, localDate: date })))?.status,
        'sent',
      );
    }
    assert.equal(received.get(tara)!.length, 2);
    assert.equal(received.get(ravi)!.length, 1);
  });

  it('a worker restarted while the digest is being retried: the next worker sends it, exactly once, and a firing meanwhile adds nothing', async () => {
    // Workers of this test's own, from the start: the first one's mail relay refuses every attempt.
    // It keeps no sticky cache: the time-skipping server left a workflow task on a stopped worker's
    // sticky queue (still waiting after minutes), where a real server moves it to the task queue
    // after the sticky schedule-to-start timeout (10 s).
    await stack.worker.shutdown();
    const smtp = await startSmtpFaultServer({ refuse: Infinity, code: 421, relayUrl: ctx.config.mail.smtpUrl! });
    const refusingMailer = createMailTransport(smtp.url);
    const logger = createLogger(ctx.config.logLevel);
    const startDigestWorker = (mailer: typeof ctx.mailer, maxCachedWorkflows?: number): Promise<WorkerHandle> =>
      startWorker(
        ctx.config,
        { config: ctx.config, sql: ctx.db.sql, mailer, logger },
        {
          connection: stack.env.nativeConnection,
          overrides: maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows },
        },
      );
    let worker = await startDigestWorker(refusingMailer, 0);
    try {
      const uma = await hallAdmin('Uma Rao');
      const lotus = await venue('Lotus Hall', KOLKATA, uma);
      const { at: seven, date: today } = await nextSevenOClock(KOLKATA);
      await book(bea, lotus, today, '11:00', '12:00', 'Board meeting');
      const key = dailyDigestEmailKey({ adminId: uma.id, timeZone: KOLKATA, localDate: today });

      await advanceTo(seven);
      const run = await startDigestRun();
      await eventually(async () => (await emailLog(key))?.last_error, 'the first attempt to be refused');

      await worker.shutdown();
      worker = await startDigestWorker(ctx.mailer);
      await fireDigest(); // the 07:15-style firing that comes while the first run still retries
      assert.deepEqual(await digestsTo(uma), [], 'nothing sent while the relay refused');

      await stack.env.sleep(2 * ctx.config.lifecycle.emailRetryInitialMs);
      assert.equal(await run.result(), 1, "the first run sent Uma's digest");
      const [digest, ...more] = await digestsTo(uma);
      assert.ok(digest?.text.includes('11:00–12:00  Board meeting'));
      assert.equal(more.length, 0);
      const logged = await emailLog(key);
      assert.equal(logged?.status, 'sent');
      assert.ok(logged!.attempts >= 2, `retried (${logged!.attempts} attempts)`);

      await advanceTo(seven + 30 * MINUTE);
      await fireDigest();
      assert.equal((await digestsTo(uma)).length, 1, 'still exactly one');
    } finally {
      await worker.shutdown();
      refusingMailer.close();
      await smtp.close();
    }
  });

  it('an admin who turned the daily digest off in their preferences gets none (logged suppressed, with why); the other admin of the venue gets theirs', async () => {
    const omar = await hallAdmin('Omar Optout');
    const pia = await hallAdmin('Pia Keen');
    const cedar = await venue('Cedar Hall', KOLKATA, omar, pia);
    const { at: seven, date: today } = await nextSevenOClock(KOLKATA);
    await book(raj, cedar, today, '13:00', '14:00', 'Budget review');
    const optOut = await ctx.request('PUT', '/api/preferences', {
      token: omar.token,
      body: { daily_digest: { email: false } },
    });
    assert.equal(optOut.status, 200, await optOut.clone().text());

    await advanceTo(seven);
    await fireDigest();
    const [digest] = await digestsTo(pia);
    assert.ok(digest?.text.includes('13:00–14:00  Budget review'));
    assert.deepEqual(await digestsTo(omar), []);
    const [logged] = await ctx.db.sql<{ status: string; suppressed_reason: string | null }[]>`
      select status, suppressed_reason from email_log where idempotency_key = ${dailyDigestEmailKey({ adminId: omar.id, timeZone: KOLKATA, localDate: today })}`;
    assert.deepEqual(
      { ...logged },
      { status: 'suppressed', suppressed_reason: 'the recipient turned off daily_digest emails' },
    );

    await advanceTo(seven + 15 * MINUTE);
    await fireDigest();
    assert.deepEqual(await digestsTo(omar), [], 'a later firing does not send it either');
  });

  it("a worker down over 07:00: the 09:00 run still sends the day's digest, once; a day with no run at all is never sent late", async () => {
    const vera = await hallAdmin('Vera Late');
    const teak = await venue('Teak Hall', KOLKATA, vera);
    const { at: seven, date: today } = await nextSevenOClock(KOLKATA);
    const tomorrow = nextDate(today);
    const dayAfter = nextDate(tomorrow);
    await book(bea, teak, today, '18:00', '19:00', 'Evening recital');
    await book(bea, teak, tomorrow, '18:00', '19:00', 'Second recital');
    await book(bea, teak, dayAfter, '18:00', '19:00', 'Third recital');
    const keyOf = (localDate: string) => dailyDigestEmailKey({ adminId: vera.id, timeZone: KOLKATA, localDate });

    // No run from before 07:00 until 09:00 (the worker, or Temporal, was down).
    await advanceTo(seven + 2 * 60 * MINUTE);
    await fireDigest();
    await fireDigest();
    const [late, ...more] = await digestsTo(vera);
    assert.ok(late?.text.includes('18:00–19:00  Evening recital'), 'caught up at 09:00');
    assert.equal(more.length, 0, 'once');

    // Nothing runs on the whole of the next day; the first run after is at 09:00 the day after.
    await advanceTo(seven + 2 * DAY + 2 * 60 * MINUTE);
    await fireDigest();
    const digests = await digestsTo(vera);
    assert.equal(digests.length, 2);
    assert.ok(
      digests.some((mail) => mail.text.includes('Third recital')),
      "the day after's digest",
    );
    assert.ok(!digests.some((mail) => mail.text.includes('Second recital')), 'the missed day is not sent late');
    assert.equal(await emailLog(keyOf(tomorrow)), undefined);
    assert.equal(
      (await ctx.db.sql`select 1 from daily_digests where admin_id = ${vera.id} and local_date = ${tomorrow}`).length,
      0,
      'nor decided',
    );
  });
});

describe('daily digest schedule (Temporal dev server)', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await createTestContext();
    await withWorker(ctx);
  });
  after(() => ctx?.close());

  const withDigestHour = (dailyDigestHour: number): Config => ({
    ...ctx.config,
    lifecycle: { ...ctx.config.lifecycle, dailyDigestHour },
  });

  it('the worker ensured the real schedule at start: every 15 minutes on the quarter hour, starting dailyDigestWorkflow with the digest hour', async () => {
    const described = await ctx.deps.temporal.client.schedule.getHandle(DAILY_DIGEST_SCHEDULE_ID).describe();
    assert.equal(described.action.type, 'startWorkflow');
    assert.equal(described.action.workflowType, workflowTypes.dailyDigestWorkflow);
    // Other test files' workers ensure it too, each with its own task queue, so only the shape is checked.
    assert.deepEqual(described.action.args, [
      { digestHour: 7, emailRetryInitialMs: ctx.config.lifecycle.emailRetryInitialMs },
    ]);
    assert.deepEqual(
      described.spec.intervals?.map((interval) => interval.every),
      [15 * MINUTE],
    );
    assert.equal(described.policies.overlap, 'ALLOW_ALL');
    const times = described.info.nextActionTimes.map((time) => time.getTime());
    assert.ok(times.length >= 2);
    for (const [i, time] of times.entries()) {
      assert.equal(time % (15 * MINUTE), 0, "on a quarter hour, so every zone's 07:00 is a firing");
      if (i > 0) assert.equal(time - times[i - 1]!, 15 * MINUTE);
    }
  });

  it("ensureDailyDigestSchedule twice → created, then brought up to a new digest hour with an operator's pause kept", async () => {
    const { client } = ctx.deps.temporal;
    const scheduleId = `daily-digest-test-${randomUUID()}`;
    const handle = client.schedule.getHandle(scheduleId);
    try {
      assert.equal(await ensureDailyDigestSchedule(client, withDigestHour(7), scheduleId), 'created');
      await handle.pause('paused by an operator');
      assert.equal(await ensureDailyDigestSchedule(client, withDigestHour(6), scheduleId), 'updated');
      const described = await handle.describe();
      assert.deepEqual(described.action.args, [
        { digestHour: 6, emailRetryInitialMs: ctx.config.lifecycle.emailRetryInitialMs },
      ]);
      assert.equal(described.action.taskQueue, ctx.config.temporal.taskQueue);
      assert.equal(described.state.paused, true, "the operator's pause survived the update");
    } finally {
      await handle.delete().catch(() => {});
    }
  });
});
