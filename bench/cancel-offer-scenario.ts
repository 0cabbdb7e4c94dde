// Scenario 4: how soon a cancelled slot is offered to the first waiter, beside a cancel with nobody
// waiting (the booking_cancelled notice alone).
import type { Cluster } from '../scripts/dev/harness/cluster';
import {
  call,
  createUsers,
  createVenues,
  eventually,
  inParallel,
  sleep,
  utcSlot,
  withTokens,
} from '../scripts/dev/harness/fixtures';
import { spreadDetail, summarize, type Row } from './measure';

export async function cancelToOfferScenario(cluster: Cluster, { slots }: { slots: number }): Promise<Row[]> {
  const venues = await createVenues(cluster.sql, slots, 'bench-offer');
  const owners = await withTokens(
    cluster.jwtSecret,
    await createUsers(cluster.sql, slots, 'member', 'bench-offer-owner'),
  );
  const waiters = await withTokens(
    cluster.jwtSecret,
    await createUsers(cluster.sql, slots, 'member', 'bench-offer-waiter'),
  );
  const api = cluster.apis[0]!.url!;
  const startsAt = Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000) * 3_600_000;
  const slot = utcSlot(startsAt, 30 * 60_000);
  const withWaiter: number[] = [];
  const alone: number[] = [];
  // Half the venues get a second booking with nobody waiting: cancelling it is the baseline path.
  const lonelySlot = utcSlot(startsAt + 3_600_000, 30 * 60_000);
  await inParallel(venues, 10, async (venue, i) => {
    const booked = await call<{ id: number }>(api, 'POST', '/api/bookings/', {
      token: owners[i]!.token,
      body: { venue, ...slot, event_name: 'Offer bench' },
    });
    const lonely = await call<{ id: number }>(api, 'POST', '/api/bookings/', {
      token: owners[i]!.token,
      body: { venue, ...lonelySlot, event_name: 'Offer bench baseline' },
    });
    const joined = await call(api, 'POST', '/api/waitlist/', { token: waiters[i]!.token, body: { venue, ...slot } });
    if (booked.status !== 201 || lonely.status !== 201 || joined.status !== 201)
      throw new Error(
        `offer set-up answered ${booked.status}/${lonely.status}/${joined.status}: ${JSON.stringify(joined.body)}`,
      );
    withWaiter[i] = booked.body.id;
    alone[i] = lonely.body.id;
  });
  // Let the bookings' own start-up work settle first: every workflow past its first step (about
  // 10 a second here), then a little more for their emails.
  const setUp = [...withWaiter, ...alone];
  await eventually(
    async () => {
      const [row] = await cluster.sql<
        { n: number }[]
      >`select count(*)::int as n from notifications where event_key = any(${setUp.map((id) => `booking:${id}:created`)})`;
      return row!.n === setUp.length;
    },
    "the offer bookings' workflows to start",
    120_000,
    500,
  );
  await sleep(3_000);

  const offerLatency: number[] = [];
  const cancelLatency: number[] = [];
  let missing = 0;
  for (let i = 0; i < slots; i++) {
    for (const [bookingId, latencies, probe] of [
      [
        alone[i]!,
        cancelLatency,
        (at: Date) =>
          cluster.sql<
            { created_at: Date }[]
          >`select created_at from notifications where event_key = ${`booking:${alone[i]}:cancelled`} and created_at >= ${at}`,
      ],
      [
        withWaiter[i]!,
        offerLatency,
        (at: Date) =>
          cluster.sql<
            { created_at: Date }[]
          >`select created_at from notifications where user_id = ${waiters[i]!.id} and notification_type = 'waitlist_slot_available' and created_at >= ${at}`,
      ],
    ] as const) {
      const before = new Date(Date.now() - 1_000);
      const answer = await call(api, 'POST', `/api/bookings/${bookingId}/cancel/`, {
        token: owners[i]!.token,
        body: {},
      });
      const answeredAt = Date.now();
      if (answer.status !== 200) throw new Error(`cancel answered ${answer.status}`);
      const row = await eventually(
        async () => (await probe(before))[0],
        'the notification after a cancel',
        10_000,
        10,
      ).catch(() => undefined);
      if (row) latencies.push(Math.max(0, row.created_at.getTime() - answeredAt));
      else missing++;
    }
  }
  const offers = summarize(offerLatency);
  const base = summarize(cancelLatency);
  return [
    {
      scenario: '4 cancel → offer',
      measure: `baseline: cancel → booking_cancelled row, no waiter (${slots} cancels, one at a time)`,
      figure: base.p99,
      unit: 'ms',
      detail: spreadDetail(base, 'ms'),
      pass: null,
    },
    {
      scenario: '4 cancel → offer',
      measure: `p99 cancel → the first waiter's waitlist_slot_available row (${slots} cancels, one at a time)`,
      figure: offers.p99,
      unit: 'ms',
      detail: spreadDetail(offers, 'ms'),
      baseline: { what: 'cancel, no waiter', value: base.p99, unit: 'ms' },
      ratio: offers.p99 / base.p99,
      target: 'p99 ≤ 1 000 ms',
      pass: offers.p99 <= 1000 && missing === 0,
      note: `${missing} offers or cancel notices missing after 10 s`,
    },
  ];
}
