// Drill 4: PostgreSQL is stopped and started again under load, just as the reminders of a batch of
// bookings fall due. While it is down every API answer must be a 503 with a JSON error (never a 500
// or a hang); afterwards the same API processes serve again without a restart, and every reminder
// and auto-cancel that fell due meanwhile happens exactly once (their activities retried).
import type { Cluster } from '../scripts/dev/harness/cluster';
import {
  call,
  createUsers,
  createVenues,
  eventually,
  sleep,
  utcSlot,
  withTokens,
} from '../scripts/dev/harness/fixtures';
import { DrillReport } from './report';
import { CONFIRM_DEADLINE_MS, REMINDER_LEAD_MS } from './worker-killed';

const DAY = 86_400_000;

export async function postgresRestartDrill(
  cluster: Cluster,
  { bookings, downMs }: { bookings: number; downMs: number },
): Promise<DrillReport> {
  const report = new DrillReport('4 PostgreSQL restarted');
  const venues = await createVenues(cluster.sql, bookings, 'drill4');
  const users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 10, 'member', 'drill4-member'));
  // All start in the same minute, so every reminder falls due 5 s into the outage.
  const startsAt = Math.ceil((Date.now() + REMINDER_LEAD_MS + 20_000) / 60_000) * 60_000;
  const ids: number[] = [];
  await Promise.all(
    venues.map(async (venue, i) => {
      const api = cluster.apis[i % cluster.apis.length]!;
      const answer = await call<{ id: number }>(api.url!, 'POST', '/api/bookings/', {
        token: users[i % users.length]!.token,
        body: { venue, ...utcSlot(startsAt, 60_000), event_name: `Drill 4 #${i}` },
      });
      if (answer.status !== 201)
        throw new Error(`drill 4 booking answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      ids.push(answer.body.id);
    }),
  );
  const pids = cluster.apis.map((api) => api.pid);
  report.did(
    `made ${ids.length} bookings starting ${new Date(startsAt).toISOString()} (reminder at start − ${REMINDER_LEAD_MS / 1000} s, none will be confirmed, deadline at start − ${CONFIRM_DEADLINE_MS / 1000} s)`,
  );

  // Load: each API is read and written all through the drill, a few requests at a time.
  const far = Math.ceil((Date.now() + 6 * DAY) / 3_600_000) * 3_600_000;
  let loading = true;
  let phase: 'before' | 'down' | 'after' = 'before';
  // A request that starts in one phase and is answered in another (one held until PostgreSQL was
  // back, say) is "across"; only a request asked and answered while it was down must be a 503.
  const tally = {
    before: new Map<string, number>(),
    down: new Map<string, number>(),
    after: new Map<string, number>(),
    across: new Map<string, number>(),
  };
  const badWhileDown: string[] = []; // 503 answers without a JSON error body
  let n = 0;
  const load = Promise.all(
    Array.from({ length: 4 }, async (_, lane) => {
      while (loading) {
        const i = n++;
        const api = cluster.apis[i % cluster.apis.length]!;
        const user = users[lane]!;
        const request =
          i % 2 === 0
            ? call(api.url!, 'GET', '/api/bookings/', { token: user.token })
            : call(api.url!, 'POST', '/api/bookings/', {
                token: user.token,
                body: {
                  venue: venues[lane]!,
                  ...utcSlot(far + i * 3_600_000, 30 * 60_000),
                  event_name: `Drill 4 load ${i}`,
                },
              });
        const askedIn = phase;
        const answer = await request.catch((error: unknown) => ({ status: 0, body: String(error), ms: 0 }));
        const label = String(answer.status);
        const at = phase === askedIn ? askedIn : 'across';
        tally[at].set(label, (tally[at].get(label) ?? 0) + 1);
        const jsonError =
          typeof answer.body === 'object' &&
          answer.body !== null &&
          typeof (answer.body as { error?: unknown }).error === 'string';
        if (answer.status === 503 && !jsonError) badWhileDown.push(JSON.stringify(answer.body).slice(0, 120));
        await sleep(50);
      }
    }),
  );

  await sleep(Math.max(0, startsAt - REMINDER_LEAD_MS - 5_000 - Date.now()));
  await cluster.stopPostgres();
  phase = 'down';
  const downSince = Date.now();
  report.did(`stopped PostgreSQL 5 s before the reminders fall due; keeping it down ${downMs / 1000} s under load`);
  await sleep(downMs);
  phase = 'after';
  await cluster.startPostgres();
  const backAt = Date.now();
  report.did(`PostgreSQL back after ${((backAt - downSince) / 1000).toFixed(0)} s`);
  const recovered = await eventually(
    async () => {
      const answers = await Promise.all(
        cluster.apis.map((api) =>
          call(api.url!, 'GET', '/api/bookings/', { token: users[0]!.token }).then(
            (a) => a.status,
            () => 0,
          ),
        ),
      );
      return answers.every((status) => status === 200);
    },
    'every API to answer 200 again',
    60_000,
    250,
  ).then(
    () => true,
    () => false,
  );
  report.expect(
    recovered,
    `every API answers 200 again ${((Date.now() - backAt) / 1000).toFixed(1)} s after PostgreSQL came back`,
  );
  report.expect(
    cluster.apis.every((api, i) => api.pid === pids[i]),
    'without restarting any API process (same pids)',
  );
  await sleep(5_000);
  loading = false;
  await load;
  const show = (m: Map<string, number>) => [...m].map(([s, c]) => `${s}×${c}`).join(', ') || 'none';
  report.did(
    `answers before: ${show(tally.before)}; while down: ${show(tally.down)}; after: ${show(tally.after)}; across a change: ${show(tally.across)}`,
  );
  const downStatuses = [...tally.down.keys()];
  report.expect(
    tally.down.size > 0 && downStatuses.every((s) => s === '503'),
    `every answer while PostgreSQL was down was 503 (got ${show(tally.down)})`,
  );
  report.expect(
    badWhileDown.length === 0,
    `every 503 carried a JSON {"error": ...} body (bad: ${badWhileDown.length}${badWhileDown.length ? `: ${badWhileDown.slice(0, 3).join(' | ')}` : ''})`,
  );
  report.expect(
    Object.values(tally).every((answers) => !answers.has('500')),
    'no 500 before, during or after the outage',
  );

  // A booking made now must get its workflow: the outbox relay and the worker reconnected too.
  const fresh = await call<{ id: number }>(cluster.apis[0]!.url!, 'POST', '/api/bookings/', {
    token: users[0]!.token,
    body: { venue: venues[0]!, ...utcSlot(far - DAY, 30 * 60_000), event_name: 'Drill 4 after' },
  })
    // An API that never came back must fail this check, not end the drill before it counts losses.
    .catch((error: unknown) => ({ status: 0, body: { id: 0, error: String(error) }, ms: 0 }));
  const freshStarted =
    fresh.status === 201 &&
    (await eventually(
      async () =>
        (
          await cluster.sql`select 1 from notifications where event_key = ${`booking:${fresh.body.id}:created`}`
        ).length > 0,
      "the new booking's workflow",
      30_000,
    ).then(
      () => true,
      () => false,
    ));
  report.expect(freshStarted, `a booking made after the restart answered ${fresh.status} and its workflow ran`);

  const deadline = startsAt - CONFIRM_DEADLINE_MS;
  await sleep(Math.max(0, deadline - Date.now()));
  const settled = await eventually(
    async () => {
      const [row] = await cluster.sql<
        { open: number }[]
      >`select count(*)::int as open from bookings where id = any(${ids}) and not (reminder_sent and auto_cancelled)`;
      return row!.open === 0;
    },
    'every drill 4 booking reminded and auto-cancelled',
    90_000,
  ).then(
    () => true,
    () => false,
  );
  report.expect(settled, 'every booking whose reminder fell due during the outage was reminded, then auto-cancelled');
  const [late] = await cluster.sql<{ max: number }[]>`
    select coalesce(max(extract(epoch from reminder_sent_at - (lower(during) - ${`${REMINDER_LEAD_MS / 1000} seconds`}::interval))), 0)::float as max from bookings where id = any(${ids})`;
  report.did(
    `the latest reminder went out ${late!.max.toFixed(1)} s after it fell due (PostgreSQL was down ${downMs / 1000} s of that)`,
  );
  const keys = ids.flatMap((id) => [`booking:${id}:v1:reminder`, `booking:${id}:auto-cancelled`]);
  // Each workflow records its notice in the step after the row changed: the count waits for the
  // last of them (bounded), and a key still missing then is a loss.
  await eventually(
    async () => (await cluster.sql`select 1 from notifications where event_key = any(${keys})`).length >= keys.length,
    'every reminder and auto-cancel notice recorded',
    60_000,
  ).catch(() => {});
  const rows = await cluster.sql<
    { event_key: string; n: number }[]
  >`select event_key, count(*)::int as n from notifications where event_key = any(${keys}) group by event_key`;
  report.expectPerKey(
    'reminder and auto-cancel notifications',
    keys,
    new Map(rows.map((row) => [row.event_key, row.n])),
    1,
  );
  return report;
}
