// Drill 1: bookings with compressed lifecycles in flight (reminder 90 s and deadline 30 s before the
// start); one worker is killed with SIGKILL as the reminders start to fire and restarted later.
// The 60 s between reminder and deadline is several times the longest stall a kill can cause (an
// activity lost with the worker waits out its 10 s start-to-close timeout, then retries), so a kill
// delays a reminder but can never let the deadline overtake it.
// Every booking must be reminded exactly once (notification and email); every one the drill
// confirmed must stay confirmed, and every one it never tried to confirm be auto-cancelled exactly once.
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

// W short, so a reminder a killed worker made late still leaves its booking to be auto-cancelled before the start.
export const DRILL_LIFECYCLE_ENV = {
  BOOKIT_REMINDER_LEAD: '90s',
  BOOKIT_CONFIRM_DEADLINE: '30s',
  BOOKIT_MIN_CONFIRM_WINDOW: '10s',
  BOOKIT_EMAIL_RETRY_INITIAL: '2s',
  // Outages under load, not quotas: the load books far more per member than a venue's rules would let one.
  BOOKIT_RULE_MAX_UPCOMING_PER_VENUE: 'none',
  BOOKIT_RULE_MAX_UPCOMING: 'none',
};
export const REMINDER_LEAD_MS = 90_000;
export const CONFIRM_DEADLINE_MS = 30_000;

export async function workerKilledDrill(
  cluster: Cluster,
  { bookings, minutes }: { bookings: number; minutes: number },
): Promise<DrillReport> {
  const report = new DrillReport('1 worker killed');
  const venuesPerMinute = Math.ceil(bookings / minutes);
  const venues = await createVenues(cluster.sql, venuesPerMinute, 'drill1');
  const users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 20, 'member', 'drill1-member'));
  // Far enough ahead that the reminder is still in the future once every booking is made and its
  // workflow has started: the Temporal dev server runs about 10 booking workflows/s to their first
  // sleep on this 2-core machine, and one that first runs after its deadline skips the reminder.
  const firstStart = Math.ceil((Date.now() + REMINDER_LEAD_MS + 15_000 + bookings * 100) / 60_000) * 60_000;
  const made: Array<{ id: number; startsAt: number; token: string; confirm: boolean }> = [];
  let index = 0;
  const requests: Array<() => Promise<void>> = [];
  for (let minute = 0; minute < minutes; minute++) {
    for (const venue of venues) {
      if (index >= bookings) break;
      const i = index++;
      const startsAt = firstStart + minute * 60_000;
      const user = users[i % users.length]!;
      const api = cluster.apis[i % cluster.apis.length]!;
      requests.push(async () => {
        const answer = await call<{ id: number }>(api.url!, 'POST', '/api/bookings/', {
          token: user.token,
          body: { venue, ...utcSlot(startsAt, 60_000), event_name: `Drill 1 #${i}` },
        });
        if (answer.status !== 201)
          throw new Error(`booking ${i} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        made.push({ id: answer.body.id, startsAt, token: user.token, confirm: i % 2 === 0 });
      });
    }
  }
  await inBatches(requests, 20);
  report.did(
    `made ${made.length} bookings over ${venues.length} venues, starting ${new Date(firstStart).toISOString()} and every minute after for ${minutes} min (reminder at start − 90 s, deadline at start − 30 s); half will be confirmed after their reminder`,
  );
  report.expect(Date.now() < firstStart - REMINDER_LEAD_MS, 'every booking was made before the first reminder was due');

  // The owner confirms every other booking once its reminder has reached them (its in-app
  // notification and its email, sent), as a person would, not once the row's flag is set. A worker
  // can die between those; the workflow then re-sends the reminder, unless the booking is confirmed
  // by then. Every confirm sent is counted, and must be answered 200 with the booking confirmed.
  let confirming = true;
  const confirmAnswers = new Map<number, string>();
  // Its failure is awaited below, not left unhandled while the drill sleeps (that would end the process mid-drill).
  const confirmer = (async () => {
    while (confirming) {
      const reminded = await cluster.sql<{ id: number }[]>`
        select b.id from bookings b
        where b.id = any(${made.filter((b) => b.confirm).map((b) => b.id)}) and not b.confirmed and b.status = 'active'
          and exists (select 1 from notifications n where n.event_key = 'booking:' || b.id || ':v1:reminder')
          and exists (select 1 from email_log e where e.idempotency_key = 'booking:' || b.id || ':v1:reminder' and e.status = 'sent')`;
      for (const { id } of reminded) {
        if (confirmAnswers.has(id)) continue;
        const booking = made.find((b) => b.id === id)!;
        // A refused connection is an answer too: counted, not a crash of the drill.
        const answer = await call<unknown>(
          cluster.apis[id % cluster.apis.length]!.url!,
          'POST',
          `/api/bookings/${id}/confirm/`,
          { token: booking.token },
        ).catch((error: unknown) => ({ status: 0, body: String(error), ms: 0 }));
        const confirmedAt =
          typeof answer.body === 'object' &&
          answer.body !== null &&
          'confirmed_at' in answer.body &&
          answer.body.confirmed_at;
        confirmAnswers.set(
          id,
          answer.status === 200 && confirmedAt ? 'ok' : `${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`,
        );
      }
      await sleep(500);
    }
  })().then(
    () => undefined,
    (error: unknown) => error,
  );

  const killAt = firstStart - REMINDER_LEAD_MS + 3_000;
  await sleep(Math.max(0, killAt - Date.now()));
  const victim = cluster.workers[0]!;
  report.did(`kill -9 ${victim.name} (pid ${victim.pid}) as the first reminders fire`);
  await victim.kill9();
  await sleep(30_000);
  await victim.start();
  report.did(`restarted ${victim.name} 30 s later (pid ${victim.pid})`);

  const lastDeadline = firstStart + (minutes - 1) * 60_000 - CONFIRM_DEADLINE_MS;
  await sleep(Math.max(0, lastDeadline - Date.now()));
  confirming = false;
  const confirmerFailed = await confirmer;
  if (confirmerFailed) throw confirmerFailed;
  // A booking belongs to the auto-cancelled group only if the drill never tried to confirm it.
  const expectConfirmed = made.filter((b) => confirmAnswers.has(b.id));
  const expectCancelled = made.filter((b) => !confirmAnswers.has(b.id));
  const planned = made.filter((b) => b.confirm).length;
  const unexpected = [...confirmAnswers].filter(([, answer]) => answer !== 'ok');
  report.expect(
    planned > 0 && expectConfirmed.length === planned,
    `the owner saw the reminder (notification and email) before the deadline and sent a confirm for ${expectConfirmed.length} of ${planned} bookings meant to be confirmed`,
  );
  report.expect(
    confirmAnswers.size > 0 && unexpected.length === 0,
    `confirms sent and answered 200 with a confirmed_at: ${confirmAnswers.size - unexpected.length} of ${confirmAnswers.size}${
      unexpected.length
        ? ` (not: ${unexpected
            .slice(0, 5)
            .map(([id, answer]) => `#${id} ${answer}`)
            .join(', ')}${unexpected.length > 5 ? ', ...' : ''})`
        : ''
    }`,
  );
  report.did(
    `${expectConfirmed.length} bookings the drill tried to confirm; ${expectCancelled.length} it never tried to, which must be auto-cancelled`,
  );

  // An activity that was running on the killed worker is retried after its 10 s start-to-close timeout.
  const settled = await eventually(
    async () => {
      const [row] = await cluster.sql<{ open: number }[]>`
      select count(*)::int as open from bookings
      where id = any(${made.map((b) => b.id)}) and not (reminder_sent and (confirmed or auto_cancelled))`;
      return row!.open === 0;
    },
    'every booking reminded and then confirmed or auto-cancelled',
    120_000,
  ).catch(() => false);
  report.expect(settled, 'every booking reached reminded-and-confirmed or reminded-and-auto-cancelled');

  const rows = await cluster.sql<
    { id: number; status: string; reminder_sent: boolean; auto_cancelled: boolean; confirmed: boolean }[]
  >`
    select id, status, reminder_sent, auto_cancelled, confirmed from bookings where id = any(${made.map((b) => b.id)})`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  // Confirmed bookings stay active (or completed, once their minute is over); the rest are cancelled by the deadline.
  const wrongConfirmed = expectConfirmed.filter((b) => {
    const row = byId.get(b.id);
    return !row || !row.reminder_sent || !row.confirmed || row.auto_cancelled || row.status === 'cancelled';
  });
  const wrongCancelled = expectCancelled.filter((b) => {
    const row = byId.get(b.id);
    return !row || !row.reminder_sent || row.confirmed || !row.auto_cancelled || row.status !== 'cancelled';
  });
  report.expect(
    expectConfirmed.length > 0 && wrongConfirmed.length === 0,
    `confirmed bookings reminded, confirmed and not cancelled (wrong: ${wrongConfirmed.length} of ${expectConfirmed.length})`,
  );
  report.expect(
    expectCancelled.length > 0 && wrongCancelled.length === 0,
    `never-confirmed bookings reminded, then auto-cancelled (wrong: ${wrongCancelled.length} of ${expectCancelled.length})`,
  );

  const reminderKeys = made.map((b) => `booking:${b.id}:v1:reminder`);
  const cancelKeys = expectCancelled.map((b) => `booking:${b.id}:auto-cancelled`);
  const notCancelKeys = expectConfirmed.map((b) => `booking:${b.id}:auto-cancelled`);
  // Emails are delivered by their own workflows, a little after the row changed.
  const mustMail = [...reminderKeys, ...cancelKeys];
  await eventually(
    async () => {
      const counts = await mailCountsByKey(cluster.mailWebUrl);
      return mustMail.every((key) => counts.has(key));
    },
    'every reminder and auto-cancel email in MailDev',
    90_000,
  ).catch(() => undefined);
  // A little longer, so a late duplicate would be counted too.
  await sleep(3_000);
  const finalMail = await mailCountsByKey(cluster.mailWebUrl);
  // Rows are counted after the wait for mail too, so a workflow still catching up is not counted as a loss.
  const notifications = await cluster.sql<{ event_key: string; n: number }[]>`
    select event_key, count(*)::int as n from notifications where event_key = any(${[...reminderKeys, ...cancelKeys, ...notCancelKeys]}) group by event_key`;
  const notificationCount = new Map(notifications.map((row) => [row.event_key, row.n]));
  const emailLog = await cluster.sql<{ idempotency_key: string; n: number }[]>`
    select idempotency_key, count(*)::int as n from email_log where status = 'sent' and idempotency_key = any(${[...reminderKeys, ...cancelKeys, ...notCancelKeys]}) group by idempotency_key`;
  const emailLogCount = new Map(emailLog.map((row) => [row.idempotency_key, row.n]));

  const unconfirmedReminderKeys = expectCancelled.map((b) => `booking:${b.id}:v1:reminder`);
  const confirmedReminderKeys = expectConfirmed.map((b) => `booking:${b.id}:v1:reminder`);
  report.expectPerKey('reminder notifications (confirmed)', confirmedReminderKeys, notificationCount, 1);
  report.expectPerKey('reminder notifications (never confirmed)', unconfirmedReminderKeys, notificationCount, 1);
  const remindedAt = await cluster.sql<
    { n: number }[]
  >`select count(*)::int as n from bookings where id = any(${made.map((b) => b.id)}) and reminder_sent_at is not null`;
  report.expect(
    made.length > 0 && remindedAt[0]!.n === made.length,
    `reminder_sent_at set on ${remindedAt[0]!.n} of ${made.length} bookings`,
  );
  // The owner confirmed only once the reminder email was sent, so it is owed exactly once to every booking.
  report.expectPerKey('reminder emails in the email log (confirmed)', confirmedReminderKeys, emailLogCount, 1);
  report.expectPerKey('reminder emails received by MailDev (confirmed)', confirmedReminderKeys, finalMail, 1);
  report.expectPerKey('reminder emails in the email log (never confirmed)', unconfirmedReminderKeys, emailLogCount, 1);
  report.expectPerKey('reminder emails received by MailDev (never confirmed)', unconfirmedReminderKeys, finalMail, 1);
  report.expectPerKey('auto-cancel notifications (never confirmed)', cancelKeys, notificationCount, 1);
  report.expectPerKey('auto-cancel emails in the email log (never confirmed)', cancelKeys, emailLogCount, 1);
  report.expectPerKey('auto-cancel emails received by MailDev (never confirmed)', cancelKeys, finalMail, 1);
  report.expectPerKey('auto-cancel notifications (confirmed)', notCancelKeys, notificationCount, 0);
  report.expectPerKey('auto-cancel emails in the email log (confirmed)', notCancelKeys, emailLogCount, 0);
  report.expectPerKey('auto-cancel emails received by MailDev (confirmed)', notCancelKeys, finalMail, 0);
  report.did(
    `counted ${made.length} reminders, ${cancelKeys.length} auto-cancels, ${[...finalMail.values()].reduce((a, b) => a + b, 0)} emails in MailDev in all`,
  );
  return report;
}

async function inBatches(tasks: Array<() => Promise<void>>, width: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
}
