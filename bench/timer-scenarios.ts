// Scenarios 3 and 4: how late durable timers fire, and how soon a cancelled slot is offered to the
// first waiter. Lifecycles are compressed (reminder 60 s, deadline 20 s before the start).
import type { Cluster } from '../src/dev/harness/cluster';
import { call, createUsers, createVenues, sleep, utcSlot, waitFor, withTokens } from '../src/dev/harness/fixtures';
import { summarize, type Row } from './measure';

export const BENCH_LIFECYCLE = { reminderLeadMs: 60_000, confirmDeadlineMs: 20_000 };

async function inParallel<T>(items: T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  }));
}

/** Event-loop timer lateness of this process while `during` runs: the floor any timer can reach here. */
async function setTimeoutLateness(during: Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  let done = false;
  void during.finally(() => { done = true; });
  while (!done) {
    const due = performance.now() + 100;
    await sleep(100);
    samples.push(performance.now() - due);
  }
  return samples;
}

export async function timerPrecisionScenario(cluster: Cluster, { bookings }: { bookings: number }): Promise<Row[]> {
  // Two start minutes: reminders at S−60 s and S, deadlines at S−20 s and S+40 s, all inside 100 s.
  const perMinute = Math.ceil(bookings / 2);
  const venues = await createVenues(cluster.sql, perMinute, 'bench-timer');
  const users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 50, 'member', 'bench-timer'));
  // The first reminders fall at firstStart − lead: leave time to create every booking (about 100/s
  // over HTTP) and for every workflow to start and send its "created" email before them. On this
  // 2-core machine the Temporal dev server runs about 10 booking workflows/s to their first sleep
  // (measured: 2 247 in 4.5 min), so 100 ms a booking; a workflow that first runs after its
  // deadline auto-cancels without a reminder, which would be measured as a missed timer.
  const firstStart = Math.ceil((Date.now() + BENCH_LIFECYCLE.reminderLeadMs + 8_000 + bookings * 100) / 60_000) * 60_000;
  const made: Array<{ id: number; startsAt: number }> = [];
  const plan = Array.from({ length: bookings }, (_, i) => ({ venue: venues[i % perMinute]!, startsAt: firstStart + Math.floor(i / perMinute) * 60_000 }));
  await inParallel(plan, 20, async ({ venue, startsAt }, i) => {
    const answer = await call<{ id: number }>(cluster.apis[0]!.url!, 'POST', '/api/bookings/', { token: users[i % users.length]!.token, body: { venue, ...utcSlot(startsAt, 60_000), event_name: `Timer ${i}` } });
    if (answer.status !== 201) throw new Error(`timer booking answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    made.push({ id: answer.body.id, startsAt });
  });
  const ids = made.map((b) => b.id);
  const lastDeadline = firstStart + 60_000 - BENCH_LIFECYCLE.confirmDeadlineMs;
  const settle = (async () => {
    await sleep(Math.max(0, lastDeadline - Date.now()));
    await waitFor(async () => {
      const [row] = await cluster.sql<{ open: number }[]>`select count(*)::int as open from bookings where id = any(${ids}) and not (reminder_sent and auto_cancelled)`;
      return row!.open === 0;
    }, 'every timer booking reminded and auto-cancelled', 90_000).catch(() => undefined);
  })();
  const loopLateness = await setTimeoutLateness(settle);

  const rows = await cluster.sql<{ id: number; starts_at: Date; reminder_sent_at: Date | null; auto_cancelled_at: Date | null }[]>`
    select id, lower(during) as starts_at, reminder_sent_at, auto_cancelled_at from bookings where id = any(${ids})`;
  const reminderLate: number[] = [];
  const cancelLate: number[] = [];
  let missed = 0;
  for (const row of rows) {
    const start = row.starts_at.getTime();
    if (row.reminder_sent_at) reminderLate.push(row.reminder_sent_at.getTime() - (start - BENCH_LIFECYCLE.reminderLeadMs));
    else missed++;
    if (row.auto_cancelled_at) cancelLate.push(row.auto_cancelled_at.getTime() - (start - BENCH_LIFECYCLE.confirmDeadlineMs));
    else missed++;
  }
  const keys = ids.flatMap((id) => [`booking:${id}:v1:reminder`, `booking:${id}:auto-cancelled`]);
  // The notification rows follow the row changes by an activity or two: wait for them before
  // counting, so a row still on its way is not counted as lost.
  await waitFor(async () => {
    const [row] = await cluster.sql<{ n: number }[]>`select count(distinct event_key)::int as n from notifications where event_key = any(${keys})`;
    return row!.n === keys.length;
  }, 'every reminder and auto-cancel notification', 60_000, 500).catch(() => undefined);
  const [counted] = await cluster.sql<{ distinct_keys: number; total: number }[]>`
    select count(distinct event_key)::int as distinct_keys, count(*)::int as total from notifications where event_key = any(${keys})`;
  const doubled = counted!.total - counted!.distinct_keys;
  const lostNotifications = keys.length - counted!.distinct_keys;
  const early = [...reminderLate, ...cancelLate].filter((ms) => ms < 0).length;
  const all = summarize([...reminderLate, ...cancelLate].map((ms) => ms / 1000));
  const reminders = summarize(reminderLate.map((ms) => ms / 1000));
  const cancels = summarize(cancelLate.map((ms) => ms / 1000));
  const base = summarize(loopLateness.map((ms) => ms / 1000));
  const load = `${bookings} bookings, ${bookings * 2} timers in 100 s`;
  return [
    { scenario: '3 timers: setTimeout lateness in the bench process (baseline)', load: 'same window', ...base, throughput: null, unit: 's', target: '—', pass: null },
    { scenario: '3 timers: reminder_sent_at − (start − lead)', load, ...reminders, throughput: null, unit: 's', target: 'p99 ≤ 1 s, max ≤ 3 s', pass: reminders.p99 <= 1 && reminders.max <= 3 },
    { scenario: '3 timers: auto_cancelled_at − (start − deadline)', load, ...cancels, throughput: null, unit: 's', target: 'p99 ≤ 1 s, max ≤ 3 s', pass: cancels.p99 <= 1 && cancels.max <= 3 },
    {
      scenario: '3 timers: all lifecycle timers', load, ...all, throughput: null, unit: 's', target: 'p99 ≤ 1 s, max ≤ 3 s, 0 missed, 0 doubled',
      pass: all.p99 <= 1 && all.max <= 3 && missed === 0 && doubled === 0 && lostNotifications === 0 && early === 0,
      note: `${missed} missed, ${doubled} doubled, ${lostNotifications} notifications missing, ${early} early`,
    },
  ];
}

export async function cancelToOfferScenario(cluster: Cluster, { slots }: { slots: number }): Promise<Row[]> {
  const venues = await createVenues(cluster.sql, slots, 'bench-offer');
  const owners = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, slots, 'member', 'bench-offer-owner'));
  const waiters = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, slots, 'member', 'bench-offer-waiter'));
  const api = cluster.apis[0]!.url!;
  const startsAt = Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000) * 3_600_000;
  const slot = utcSlot(startsAt, 30 * 60_000);
  const withWaiter: number[] = [];
  const alone: number[] = [];
  // Half the venues get a second booking with nobody waiting: cancelling it is the baseline path.
  const lonelySlot = utcSlot(startsAt + 3_600_000, 30 * 60_000);
  await inParallel(venues, 10, async (venue, i) => {
    const booked = await call<{ id: number }>(api, 'POST', '/api/bookings/', { token: owners[i]!.token, body: { venue, ...slot, event_name: 'Offer bench' } });
    const lonely = await call<{ id: number }>(api, 'POST', '/api/bookings/', { token: owners[i]!.token, body: { venue, ...lonelySlot, event_name: 'Offer bench baseline' } });
    const joined = await call(api, 'POST', '/api/waitlist/', { token: waiters[i]!.token, body: { venue, ...slot } });
    if (booked.status !== 201 || lonely.status !== 201 || joined.status !== 201) throw new Error(`offer set-up answered ${booked.status}/${lonely.status}/${joined.status}: ${JSON.stringify(joined.body)}`);
    withWaiter[i] = booked.body.id;
    alone[i] = lonely.body.id;
  });
  // Let the bookings' own start-up work settle first: every workflow past its first step (about
  // 10 a second here), then a little more for their emails.
  const setUp = [...withWaiter, ...alone];
  await waitFor(async () => {
    const [row] = await cluster.sql<{ n: number }[]>`select count(*)::int as n from notifications where event_key = any(${setUp.map((id) => `booking:${id}:created`)})`;
    return row!.n === setUp.length;
  }, 'the offer bookings\' workflows to start', 120_000, 500);
  await sleep(3_000);

  const offerLatency: number[] = [];
  const cancelLatency: number[] = [];
  let missing = 0;
  for (let i = 0; i < slots; i++) {
    for (const [bookingId, latencies, probe] of [
      [alone[i]!, cancelLatency, (at: Date) => cluster.sql<{ created_at: Date }[]>`select created_at from notifications where event_key = ${`booking:${alone[i]}:cancelled`} and created_at >= ${at}`],
      [withWaiter[i]!, offerLatency, (at: Date) => cluster.sql<{ created_at: Date }[]>`select created_at from notifications where user_id = ${waiters[i]!.id} and notification_type = 'waitlist_slot_available' and created_at >= ${at}`],
    ] as const) {
      const before = new Date(Date.now() - 1_000);
      const answer = await call(api, 'POST', `/api/bookings/${bookingId}/cancel/`, { token: owners[i]!.token, body: {} });
      const answeredAt = Date.now();
      if (answer.status !== 200) throw new Error(`cancel answered ${answer.status}`);
      const row = await waitFor(async () => (await probe(before))[0], 'the notification after a cancel', 10_000, 10).catch(() => undefined);
      if (row) latencies.push(Math.max(0, row.created_at.getTime() - answeredAt));
      else missing++;
    }
  }
  const offers = summarize(offerLatency);
  const base = summarize(cancelLatency);
  return [
    { scenario: '4 cancel → booking_cancelled row, no waiter (baseline)', load: `${slots} cancels, one at a time`, ...base, throughput: null, unit: 'ms', target: '—', pass: null },
    {
      scenario: '4 cancel → waitlist_slot_available row', load: `${slots} cancels, one at a time`, ...offers, throughput: null, unit: 'ms', target: 'p99 ≤ 1000 ms',
      pass: offers.p99 <= 1000 && missing === 0, note: `${missing} offers or cancel notices missing after 10 s`,
    },
  ];
}
