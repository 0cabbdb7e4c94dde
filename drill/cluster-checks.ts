// Drill 6's figures (error rate, p99 and lags in each window, time to recover) and checks (every
// booking has its workflow; reminders, auto-cancels and offers once; no email twice).
import type { Sql } from '../src/db/sql';
import { createTemporalGateway } from '../src/temporal/client';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import { eventually, sleep } from '../scripts/dev/harness/fixtures';
import type { ProductionStack } from '../scripts/dev/production-stack';
import { countBy, describeWindow, isAnswered, type TrafficLog } from './cluster-load';
import type { Kind, Story } from './cluster-stories';
import { type DrillReport, mailCountsByKey } from './report';
import { REMINDER_LEAD_MS } from './worker-killed';

export interface Fault {
  what: string;
  at: number;
  backAt?: number;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export async function figures(
  sql: Sql,
  traffic: TrafficLog,
  faults: Fault[],
  stories: Story[],
  { loadStart, loadEnd }: { loadStart: number; loadEnd: number },
  report: DrillReport,
): Promise<void> {
  const made = stories.filter((s) => s.bookingId !== undefined);
  const ids = [...made.map((s) => s.bookingId!), ...stories.flatMap((s) => s.claimedBookingId ?? [])];
  const starts = await sql<{ created: Date; delivered: Date | null }[]>`
    select created_at as created, delivered_at as delivered from outbox
    where kind = 'start' and workflow_id = any(${ids.map(bookingWorkflowId)})`;
  const reminders = await sql<{ due: Date; sent: Date }[]>`
    select lower(during) - ${`${REMINDER_LEAD_MS / 1000} seconds`}::interval as due, reminder_sent_at as sent
    from bookings where id = any(${made.map((s) => s.bookingId!)}) and reminder_sent_at is not null`;
  // Every notification row is the workflows' work (a reminder, an auto-cancel, an offer, a booking made or cancelled).
  const noticed = (await sql<{ at: Date }[]>`select created_at as at from notifications`).map((row) =>
    row.at.getTime(),
  );
  const noticesPerS = (from: number, to: number) =>
    noticed.filter((at) => at >= from && at < to).length / Math.max(0.001, (to - from) / 1000);
  const startLag = (from: number, to: number) =>
    starts
      .filter((s) => s.created.getTime() >= from && s.created.getTime() < to && s.delivered)
      .map((s) => s.delivered!.getTime() - s.created.getTime());
  const lateness = (from: number, to: number) =>
    reminders
      .filter((r) => r.due.getTime() >= from && r.due.getTime() < to)
      .map((r) => r.sent.getTime() - r.due.getTime());
  const before = [loadStart + 15_000, faults[0]!.at] as const;
  const after = [faults.at(-1)!.backAt! + 10_000, loadEnd] as const;
  const describeLags = (from: number, to: number) =>
    `workflow start after the booking p99 ${ms(p99(startLag(from, to)))}, reminders late p99 ${ms(p99(lateness(from, to)))} (max ${ms(Math.max(...lateness(from, to)))}), ${noticesPerS(from, to).toFixed(2)} notifications written/s`;
  report.did(`${describeWindow('before the faults', traffic.window(...before))}; ${describeLags(...before)}`);
  for (const [n, fault] of faults.entries()) {
    const until = faults[n + 1]?.at ?? loadEnd;
    report.did(
      `${describeWindow(`${fault.what} down`, traffic.window(fault.at, fault.backAt!))}; ${describeLags(fault.at, fault.backAt!)}`,
    );
    // Recovered once requests answer, workflow starts keep up (≤ 2 s) and reminders are on time (≤ 5 s) again.
    const lastFailure = Math.max(
      0,
      ...traffic.sent
        .map((s) => ({ done: s.at + s.ms, status: s.status }))
        .filter((s) => s.done >= fault.at && s.done < until && !isAnswered(s.status))
        .map((s) => s.done),
    );
    const lastSlowStart = Math.max(
      0,
      ...starts
        .filter((s) => s.created.getTime() >= fault.at && s.created.getTime() < until && s.delivered)
        .filter((s) => s.delivered!.getTime() - s.created.getTime() > 2_000)
        .map((s) => s.delivered!.getTime()),
    );
    const lastLateReminder = Math.max(
      0,
      ...reminders
        .filter((r) => r.due.getTime() >= fault.at && r.due.getTime() < until)
        .filter((r) => r.sent.getTime() - r.due.getTime() > 5_000)
        .map((r) => r.sent.getTime()),
    );
    const recovered = Math.max(fault.at, lastFailure, lastSlowStart, lastLateReminder);
    report.did(
      `${fault.what}: recovered ${secondsInto(recovered, fault.at)} after the kill (last failed request ${lastFailure ? secondsInto(lastFailure, fault.at) : 'none'}, last slow workflow start ${lastSlowStart ? secondsInto(lastSlowStart, fault.at) : 'none'}, last late reminder ${lastLateReminder ? secondsInto(lastLateReminder, fault.at) : 'none'}; down ${secondsInto(fault.backAt!, fault.at)})`,
    );
  }
  report.did(`${describeWindow('after the last restart', traffic.window(...after))}; ${describeLags(...after)}`);
  const all = traffic.window(loadStart, Date.now());
  report.did(
    `in all ${stories.length} bookings offered (${made.length} answered 201) and ${all.requests} requests; ${describeCounts(countBy(stories.map((s) => s.kind)))}; ${stories.filter((s) => s.disturbed).length} stories with a step that got no clear answer${describeDisturbed(stories)}`,
  );
}

export async function checks(stack: ProductionStack, sql: Sql, stories: Story[], report: DrillReport): Promise<void> {
  const made = stories.filter((s) => s.bookingId !== undefined);
  const claimed = stories.filter((s) => s.claimedBookingId !== undefined);
  const ids = [...made.map((s) => s.bookingId!), ...claimed.map((s) => s.claimedBookingId!)];
  const gateway = createTemporalGateway({ address: stack.temporalAddress, namespace: 'default', taskQueue: 'bookit' });
  const missing: number[] = [];
  try {
    for (let offset = 0; offset < ids.length; offset += 20) {
      await Promise.all(
        ids.slice(offset, offset + 20).map(async (id) => {
          const found = await gateway.client.workflow
            .getHandle(bookingWorkflowId(id))
            .describe()
            .then(
              () => true,
              () => false,
            );
          if (!found) missing.push(id);
        }),
      );
    }
  } finally {
    await gateway.close();
  }
  report.expect(
    ids.length > 0 && missing.length === 0,
    `every booking answered 2xx has its workflow: ${ids.length - missing.length} of ${ids.length} (${made.length} made, ${claimed.length} from claims)${missing.length ? `; missing: ${missing.slice(0, 5).join(', ')}` : ''}`,
  );

  const clean = (kind: Kind) => made.filter((s) => s.kind === kind && !s.disturbed);
  const confirmed = clean('confirm').filter((s) => s.confirmed);
  const ignored = clean('ignore');
  const offered = clean('cancel').filter((s) => s.cancelled);
  report.expect(
    clean('confirm').length > 0 && confirmed.length === clean('confirm').length,
    `the owner saw the reminder and confirmed ${confirmed.length} of ${clean('confirm').length} bookings meant to be confirmed`,
  );
  const settled = await eventually(
    async () => {
      const [row] = await sql<{ open: number }[]>`
        select count(*)::int as open from bookings
        where id = any(${[...confirmed, ...ignored].map((s) => s.bookingId!)}) and not (reminder_sent and (confirmed or auto_cancelled))`;
      return row!.open === 0;
    },
    'every booking reminded and then confirmed or auto-cancelled',
    120_000,
  ).catch(() => false);
  report.expect(settled, 'every booking reached reminded-and-confirmed or reminded-and-auto-cancelled');
  const claimedOffers = offered.filter((s) => s.claimedBookingId !== undefined);
  const unclaimed = offered.filter((s) => s.claimedBookingId === undefined).map((s) => s.entryId!);
  const unclaimedStates = unclaimed.length
    ? await sql<{ id: number; status: string }[]>`select id, status from waitlist_entries where id = any(${unclaimed})`
    : [];
  report.expect(
    offered.length > 0 && claimedOffers.length === offered.length,
    `the waiter was offered the cancelled slot and claimed it: ${claimedOffers.length} of ${offered.length}${
      unclaimed.length ? ` (not: ${describeCounts(countBy(unclaimedStates.map((row) => row.status)))})` : ''
    }`,
  );

  // Emails go out from their own workflows, a little after the rows changed; a little longer, so a late duplicate counts too.
  const reminderKeys = [...confirmed, ...ignored].map((s) => `booking:${s.bookingId}:v1:reminder`);
  const cancelKeys = ignored.map((s) => `booking:${s.bookingId}:auto-cancelled`);
  await eventually(
    async () => {
      const counts = await mailCountsByKey(stack.mailWebUrl!);
      return [...reminderKeys, ...cancelKeys].every((key) => counts.has(key));
    },
    'every reminder and auto-cancel email in MailDev',
    90_000,
  ).catch(() => undefined);
  await sleep(3_000);
  const mail = await mailCountsByKey(stack.mailWebUrl!);
  const notifications = new Map(
    (
      await sql<{ event_key: string; n: number }[]>`
        select event_key, count(*)::int as n from notifications
        where event_key like 'booking:%' or event_key like 'waitlist:%' group by event_key`
    ).map((row) => [row.event_key, row.n]),
  );
  const emailLog = new Map(
    (
      await sql<{ idempotency_key: string; n: number }[]>`
        select idempotency_key, count(*)::int as n from email_log where status = 'sent' group by idempotency_key`
    ).map((row) => [row.idempotency_key, row.n]),
  );
  report.expectPerKey('reminder notifications', reminderKeys, notifications, 1);
  report.expectPerKey('reminder emails received by MailDev', reminderKeys, mail, 1);
  report.expectPerKey('auto-cancel notifications (never confirmed)', cancelKeys, notifications, 1);
  report.expectPerKey('auto-cancel emails received by MailDev (never confirmed)', cancelKeys, mail, 1);
  const notCancelKeys = confirmed.map((s) => `booking:${s.bookingId}:auto-cancelled`);
  report.expectPerKey('auto-cancel notifications (confirmed)', notCancelKeys, notifications, 0);
  // An offer's key carries its instant; each waiter was offered one slot once.
  const offersPer = (counts: Map<string, number>) => {
    const per = new Map<string, number>();
    for (const [key, n] of counts) {
      const entry = /^waitlist:(\d+):offer:/.exec(key)?.[1];
      if (entry) per.set(`waitlist:${entry}:offer`, (per.get(`waitlist:${entry}:offer`) ?? 0) + n);
    }
    return per;
  };
  const offerKeys = offered.map((s) => `waitlist:${s.entryId}:offer`);
  report.expectPerKey('waitlist offer notifications', offerKeys, offersPer(notifications), 1);
  report.expectPerKey('waitlist offer emails received by MailDev', offerKeys, offersPer(mail), 1);
  const twice = [...mail].filter(([, n]) => n > 1);
  report.expect(
    mail.size > 0 && twice.length === 0,
    `no email arrived twice: ${mail.size} idempotency keys in MailDev, ${twice.length} more than once${
      twice.length
        ? ` (${twice
            .slice(0, 5)
            .map(([key, n]) => `${key} ×${n}`)
            .join(', ')})`
        : ''
    }`,
  );
  const loggedTwice = [...emailLog].filter(([, n]) => n > 1);
  report.expect(
    loggedTwice.length === 0,
    `no email sent twice by the email log (${emailLog.size} keys, ${loggedTwice.length} more than once)`,
  );
}

export function describeDisturbed(stories: Story[]): string {
  const reasons = countBy(stories.flatMap((s) => (s.disturbed ? [`${s.kind}: ${s.disturbed}`] : [])));
  return reasons.size ? ` (${[...reasons].map(([reason, n]) => `${n} × ${reason}`).join('; ')})` : '';
}

export function p99(values: number[]): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

export function ms(value: number): string {
  return !Number.isFinite(value)
    ? 'n/a'
    : value >= 10_000
      ? `${(value / 1000).toFixed(1)} s`
      : `${Math.round(value)} ms`;
}

export function secondsInto(at: number, from: number): string {
  return `${((at - from) / 1000).toFixed(1)} s`;
}

export function describeCounts(counts: Map<string, number>): string {
  return [...counts].map(([name, n]) => `${name} ${n}`).join(', ') || 'none';
}
