// Drill 3: MailDev (the SMTP server) is stopped; bookings made meanwhile each owe their booker a
// "booking confirmed" email, whose delivery workflow keeps retrying. Once MailDev is back, every
// one of those emails must arrive exactly once (counted per x-bookit-idempotency-key header).
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
import { DrillReport, mailCountsByKey } from './report';

const DAY = 86_400_000;

export async function smtpDownDrill(
  cluster: Cluster,
  { bookings, downMs }: { bookings: number; downMs: number },
): Promise<DrillReport> {
  const report = new DrillReport('3 SMTP down');
  const [venue] = await createVenues(cluster.sql, 1, 'drill3');
  const users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 10, 'member', 'drill3-member'));
  // Days ahead, so the only email each booking sends during the drill is its "created" one.
  const firstStart = Math.ceil((Date.now() + 4 * DAY) / 3_600_000) * 3_600_000;

  await cluster.stopMail();
  const downSince = Date.now();
  const smtpRefused = await fetch(cluster.mailWebUrl).then(
    () => false,
    () => true,
  );
  report.expect(smtpRefused, 'MailDev is down (its web API refuses connections)');
  const ids: number[] = [];
  const statuses = new Map<number, number>();
  const spacing = Math.max(20, Math.floor((downMs * 0.5) / bookings));
  for (let i = 0; i < bookings; i++) {
    const api = cluster.apis[i % cluster.apis.length]!;
    const answer = await call<{ id: number }>(api.url!, 'POST', '/api/bookings/', {
      token: users[i % users.length]!.token,
      body: { venue, ...utcSlot(firstStart + i * 3_600_000, 30 * 60_000), event_name: `Drill 3 #${i}` },
    });
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (answer.status === 201) ids.push(answer.body.id);
    await sleep(spacing);
  }
  report.expect(
    bookings > 0 && ids.length === bookings,
    `${ids.length} of ${bookings} bookings answered 201 while SMTP was down (statuses: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')})`,
  );
  const keys = ids.map((id) => `booking:${id}:created`);

  // Wait until the delivery workflows have really tried and failed, so the drill proves retries.
  await eventually(
    async () => {
      const [row] = await cluster.sql<
        { n: number }[]
      >`select count(*)::int as n from notifications where event_key = any(${keys})`;
      return row!.n === keys.length;
    },
    'every booking workflow to reach its email step',
    60_000,
  ).catch(() => undefined);
  await sleep(Math.max(0, downSince + downMs - Date.now()));
  const [sentWhileDown] = await cluster.sql<
    { n: number }[]
  >`select count(*)::int as n from email_log where status = 'sent' and idempotency_key = any(${keys})`;
  report.expect(sentWhileDown!.n === 0, `no email logged as sent while SMTP was down (${sentWhileDown!.n})`);

  await cluster.startMail();
  const backAt = Date.now();
  report.did(
    `MailDev back after ${((backAt - downSince) / 1000).toFixed(0)} s; the retry interval doubles from BOOKIT_EMAIL_RETRY_INITIAL, so the last retry can come up to about the outage's length later`,
  );
  const allThere = await eventually(
    async () => {
      const counts = await mailCountsByKey(cluster.mailWebUrl);
      return keys.every((key) => counts.has(key));
    },
    'every queued email in MailDev',
    downMs * 2 + 60_000,
    1_000,
  ).then(
    () => true,
    () => false,
  );
  const tookS = (Date.now() - backAt) / 1000;
  report.expect(allThere, `every queued email reached MailDev (${tookS.toFixed(0)} s after it came back)`);
  // A little longer, so a late duplicate would be counted too.
  await sleep(5_000);
  report.expectPerKey('MailDev messages per idempotency key', keys, await mailCountsByKey(cluster.mailWebUrl), 1);
  const logged = await cluster.sql<{ idempotency_key: string; n: number }[]>`
    select idempotency_key, count(*)::int as n from email_log where status = 'sent' and idempotency_key = any(${keys}) group by idempotency_key`;
  report.expectPerKey(
    'email_log rows marked sent per key',
    keys,
    new Map(logged.map((row) => [row.idempotency_key, row.n])),
    1,
  );
  const [attempts] = await cluster.sql<
    { min: number; max: number }[]
  >`select min(attempts)::int as min, max(attempts)::int as max from email_log where idempotency_key = any(${keys})`;
  report.expect(
    (attempts?.min ?? 0) >= 2,
    `every email needed more than one attempt, so retries did the delivering (attempts ${attempts?.min}–${attempts?.max})`,
  );
  return report;
}
