// Drill 6: the production shape (`npm run cluster`: two Temporal server processes, two APIs behind
// the proxy, two workers) under an open loop of bookings, while kill -9 takes down one Temporal
// server, then one API, then one worker, each started again a while later. Every booking answered
// 2xx must have its workflow; every reminder, auto-cancel and waitlist offer must happen once; no
// email may arrive twice. Printed: error rate and p99 in each outage, time to recover, throughput
// before and after, and which processes served.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config';
import { createSql, type Sql } from '../src/db/sql';
import { createTemporalGateway } from '../src/temporal/client';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import { freePort } from '../scripts/dev/free-port';
import { createUsers, eventually, sleep, utcSlot, withTokens } from '../scripts/dev/harness/fixtures';
import { createVenues } from '../scripts/dev/harness/fixtures';
import { startProductionStack, type ProductionStack } from '../scripts/dev/production-stack';
import { NUM_HISTORY_SHARDS } from '../scripts/dev/temporal-cluster';
import { countBy, describeWindow, isAnswered, TrafficLog } from './cluster-load';
import { DrillReport, mailCountsByKey } from './report';
import { CONFIRM_DEADLINE_MS, DRILL_LIFECYCLE_ENV, REMINDER_LEAD_MS } from './worker-killed';

export interface ClusterFaultsSize {
  /** How long the open loop runs. */
  loadMinutes: number;
  /** New bookings a second (each a lifecycle of one to four requests). */
  bookingsPerS: number;
  /** How long each killed process stays down. */
  downMs: number;
}

type Kind = 'confirm' | 'ignore' | 'cancel';

/** One booking's story: made, then confirmed after its reminder, left alone, or cancelled for a waiter. */
interface Story {
  i: number;
  kind: Kind;
  venue: number;
  startsAt: number;
  owner: { id: number; token: string };
  waiter: { id: number; token: string };
  created?: number;
  bookingId?: number;
  entryId?: number;
  cancelled?: boolean;
  confirmed?: boolean;
  claimedBookingId?: number;
  /** A step that never got a clear answer (the process died under it): its exact-once checks are skipped. */
  disturbed?: string;
}

interface Fault {
  what: string;
  at: number;
  backAt?: number;
  kill(): Promise<void>;
  restart(): Promise<void>;
}

/** Never throws: a cluster that would not start, or a drill cut short, is a failed report. */
export async function clusterFaultsDrill(size: ClusterFaultsSize): Promise<DrillReport> {
  const report = new DrillReport('6 cluster faults');
  try {
    await drillOnItsOwnCluster(size, report);
  } catch (error) {
    report.expect(
      false,
      `could not run to the end: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
  return report;
}

async function drillOnItsOwnCluster(size: ClusterFaultsSize, report: DrillReport): Promise<void> {
  const rootDir = await mkdtemp(path.join(os.tmpdir(), 'bookit-drill6-'));
  // The postgres OS user must reach the cluster, which lives under it.
  await chmod(rootDir, 0o755);
  const jwtSecret = randomBytes(36).toString('base64url');
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: undefined,
    TEMPORAL_ADDRESS: undefined,
    SMTP_URL: undefined,
    BOOKIT_DATA_DIR: rootDir,
    JWT_SECRET: jwtSecret,
  });
  const started = Date.now();
  const stack = await startProductionStack({
    config,
    dataDir: rootDir,
    runDir: rootDir,
    ports: { http: await freePort(), temporal: await freePort(), smtp: await freePort(), mailWeb: await freePort() },
    apis: 2,
    workers: 2,
    temporalNodes: 2,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: '20',
      ...DRILL_LIFECYCLE_ENV,
      // Each waiter waits for one slot; the cap is for people, not for this.
      BOOKIT_WAITLIST_MAX_PER_DAY: '1000',
    },
  });
  const stopOnInterrupt = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnInterrupt);
  report.did(
    `started the cluster in ${((Date.now() - started) / 1000).toFixed(0)} s: Temporal ${stack.temporal!.nodes.map((n) => n.name).join(' + ')} (${NUM_HISTORY_SHARDS} shards) behind ${stack.temporalAddress}, ${stack.apis.map((a) => a.name).join(' + ')} behind ${stack.url}, ${stack.workers.map((w) => w.name).join(' + ')}`,
  );
  const sql = createSql(stack.databaseUrl, { max: 10 });
  try {
    await runDrill(stack, sql, jwtSecret, size, report);
  } finally {
    process.removeListener('SIGINT', stopOnInterrupt);
    await sql.end({ timeout: 2 }).catch(() => {});
    await stack.stop();
    if (!process.env.BOOKIT_KEEP_RUN_DIR) await rm(rootDir, { recursive: true, force: true });
    else report.did(`kept ${rootDir}`);
  }
}

async function runDrill(
  stack: ProductionStack,
  sql: Sql,
  jwtSecret: string,
  size: ClusterFaultsSize,
  report: DrillReport,
): Promise<void> {
  const temporal = stack.temporal!;
  const loadMs = size.loadMinutes * 60_000;
  const total = Math.ceil((loadMs / 1000) * size.bookingsPerS);
  const perMinute = Math.ceil(size.bookingsPerS * 60) + 5;
  const venues = await createVenues(sql, perMinute, 'drill6');
  const owners = await withTokens(jwtSecret, await createUsers(sql, 30, 'member', 'drill6-owner'));
  const waiters = await withTokens(
    jwtSecret,
    await createUsers(sql, Math.ceil(total * 0.3) + 5, 'member', 'drill6-waiter'),
  );
  const traffic = new TrafficLog();
  const url = stack.url;
  const shardsAtStart = await temporal.shardOwners();
  report.did(`history shards at the start: ${describeCounts(shardsAtStart)}`);

  const loadStart = Date.now();
  const [node] = temporal.nodes;
  const [api] = stack.apis;
  const [worker] = stack.workers;
  const faults: Fault[] = [
    { what: `Temporal server ${node!.name}`, at: 0.2, kill: () => node!.kill9(), restart: () => node!.start() },
    { what: `API ${api!.name}`, at: 0.4, kill: () => api!.kill9(), restart: () => api!.start() },
    { what: worker!.name, at: 0.6, kill: () => worker!.kill9(), restart: () => worker!.start() },
  ].map((fault) => ({ ...fault, at: loadStart + fault.at * loadMs }));
  let shardsInOutage = new Map<string, number>();
  const faulting = (async () => {
    for (const fault of faults) {
      await sleep(Math.max(0, fault.at - Date.now()));
      fault.at = Date.now();
      await fault.kill();
      report.did(`kill -9 ${fault.what} at ${secondsInto(fault.at, loadStart)}`);
      if (fault === faults[0]) {
        // Long enough for the membership to drop the dead node and its shards to move.
        await sleep(Math.min(size.downMs - 1_000, 25_000));
        shardsInOutage = await temporal.shardOwners();
        report.did(
          `history shards ${secondsInto(Date.now(), fault.at)} after the kill: ${describeCounts(shardsInOutage)}`,
        );
      }
      await sleep(Math.max(0, fault.at + size.downMs - Date.now()));
      await fault.restart();
      fault.backAt = Date.now();
      report.did(`${fault.what} serving again at ${secondsInto(fault.backAt, loadStart)}`);
    }
  })();

  // The open loop: a new booking every 1/rate seconds whatever the answers, each story run on its own.
  const stories: Story[] = [];
  const running: Array<Promise<void>> = [];
  const slotsTaken = new Map<number, number>();
  for (let i = 0; i < total; i++) {
    await sleep(Math.max(0, loadStart + (i * 1000) / size.bookingsPerS - Date.now()));
    // The reminder falls 60–120 s after the booking is made, the deadline 60 s after that.
    const startsAt = Math.ceil((Date.now() + REMINDER_LEAD_MS + 60_000) / 60_000) * 60_000;
    const taken = slotsTaken.get(startsAt) ?? 0;
    slotsTaken.set(startsAt, taken + 1);
    const story: Story = {
      i,
      kind: i % 10 < 4 ? 'confirm' : i % 10 < 7 ? 'ignore' : 'cancel',
      venue: venues[taken % venues.length]!,
      startsAt,
      owner: owners[i % owners.length]!,
      waiter: waiters[Math.floor(i / 10) * 3 + (i % 10) - 7] ?? waiters[0]!,
    };
    stories.push(story);
    running.push(tell(story, traffic, url, sql).catch((error: unknown) => void (story.disturbed = String(error))));
  }
  const loadEnd = Date.now();
  // Confirms and claims follow what the people see (a reminder, an offer), checked every half second.
  let following = true;
  const follower = follow(stories, traffic, url, sql, () => following);
  await faulting;
  await Promise.all(running);
  const lastStart = Math.max(...stories.map((s) => s.startsAt));
  await sleep(Math.max(0, lastStart - CONFIRM_DEADLINE_MS + 5_000 - Date.now()));
  following = false;
  await follower;

  await figures(stack, sql, traffic, faults, stories, { loadStart, loadEnd }, report);
  await checks(stack, sql, stories, report);
  report.expect(
    (shardsAtStart.get(node!.name) ?? 0) > 0 &&
      [...shardsAtStart].filter(([name]) => name.startsWith('temporal-')).length === temporal.nodes.length,
    `both Temporal servers owned history shards at the start (${describeCounts(shardsAtStart)})`,
  );
  const survivor = temporal.nodes[1]!.name;
  report.expect(
    shardsInOutage.get(survivor) === NUM_HISTORY_SHARDS,
    `while ${node!.name} was down, ${survivor} owned every shard (${describeCounts(shardsInOutage)})`,
  );
  const shardsAtEnd = await temporal.shardOwners();
  report.did(`history shards at the end: ${describeCounts(shardsAtEnd)}`);
  report.did(`TCP connections handed to each Temporal frontend: ${describeCounts(temporal.balancer.connections)}`);
  const servedBy = traffic.servedBy();
  report.expect(
    stack.apis.every((piece) => (servedBy.get(piece.name) ?? 0) > 0),
    `both APIs answered requests (by the proxy's ${'x-bookit-api'} header: ${describeCounts(servedBy)})`,
  );
}

/** Makes the booking and, for a waitlist story, has the waiter join and the owner cancel. */
async function tell(story: Story, traffic: TrafficLog, url: string, sql: Sql): Promise<void> {
  const slot = utcSlot(story.startsAt, 60_000);
  const made = await traffic.call<{ id: number }>(url, 'POST', '/api/bookings/', {
    token: story.owner.token,
    body: { venue: story.venue, ...slot, event_name: `Drill 6 #${story.i}` },
  });
  story.created = made.status;
  if (made.status !== 201) return;
  story.bookingId = made.body.id;
  if (story.kind !== 'cancel') return;
  const joined = await untilAnswered(() =>
    traffic.call<{ id: number }>(url, 'POST', '/api/waitlist/', {
      token: story.waiter.token,
      body: { venue: story.venue, ...slot },
    }),
  );
  if (joined.answer.status === 201) story.entryId = joined.answer.body.id;
  else if (joined.retried) {
    const [row] = await sql<{ id: number }[]>`
      select id from waitlist_entries where user_id = ${story.waiter.id} and venue_id = ${story.venue}`;
    story.entryId = row?.id;
  }
  if (story.entryId === undefined) {
    story.disturbed = `join answered ${describeAnswer(joined.answer)}`;
    return;
  }
  await sleep(2_000);
  const cancelled = await untilAnswered(() =>
    traffic.call(url, 'POST', `/api/bookings/${story.bookingId}/cancel/`, { token: story.owner.token, body: {} }),
  );
  story.cancelled =
    cancelled.answer.status === 200 ||
    (cancelled.retried &&
      (await sql<{ status: string }[]>`select status from bookings where id = ${story.bookingId!}`)[0]?.status ===
        'cancelled');
  if (!story.cancelled) story.disturbed = `cancel answered ${describeAnswer(cancelled.answer)}`;
}

/** Confirms once the reminder reached the owner (notification and email), claims once the offer reached the waiter. */
async function follow(stories: Story[], traffic: TrafficLog, url: string, sql: Sql, going: () => boolean) {
  const busy = new Set<number>();
  const pending: Array<Promise<void>> = [];
  while (going()) {
    const toConfirm = stories.filter(
      (s) => s.kind === 'confirm' && s.bookingId !== undefined && s.confirmed === undefined && !busy.has(s.i),
    );
    const reminded = new Set(
      toConfirm.length
        ? (
            await sql<{ id: number }[]>`
            select b.id from bookings b where b.id = any(${toConfirm.map((s) => s.bookingId!)})
              and exists (select 1 from notifications n where n.event_key = 'booking:' || b.id || ':v1:reminder')
              and exists (select 1 from email_log e where e.idempotency_key = 'booking:' || b.id || ':v1:reminder' and e.status = 'sent')`
          ).map((row) => row.id)
        : [],
    );
    for (const story of toConfirm.filter((s) => reminded.has(s.bookingId!))) {
      busy.add(story.i);
      pending.push(
        (async () => {
          const { answer, retried } = await untilAnswered(() =>
            traffic.call(url, 'POST', `/api/bookings/${story.bookingId}/confirm/`, { token: story.owner.token }),
          );
          story.confirmed =
            answer.status === 200 ||
            (retried &&
              (await sql<{ confirmed: boolean }[]>`select confirmed from bookings where id = ${story.bookingId!}`)[0]
                ?.confirmed === true);
          if (!story.confirmed) story.disturbed = `confirm answered ${describeAnswer(answer)}`;
        })(),
      );
    }
    const toClaim = stories.filter(
      (s) => s.cancelled && s.entryId !== undefined && s.claimedBookingId === undefined && !busy.has(s.i),
    );
    const offered = new Set(
      toClaim.length
        ? (
            await sql<{ id: number }[]>`
            select w.id from waitlist_entries w where w.id = any(${toClaim.map((s) => s.entryId!)}) and w.status = 'offered'
              and exists (select 1 from notifications n where n.event_key like 'waitlist:' || w.id || ':offer:%')`
          ).map((row) => row.id)
        : [],
    );
    for (const story of toClaim.filter((s) => offered.has(s.entryId!))) {
      busy.add(story.i);
      pending.push(
        (async () => {
          const { answer, retried } = await untilAnswered(() =>
            traffic.call<{ booking_id: number }>(url, 'POST', `/api/waitlist/${story.entryId}/claim`, {
              token: story.waiter.token,
            }),
          );
          if (answer.status === 201) story.claimedBookingId = answer.body.booking_id;
          else if (retried) {
            const [row] = await sql<{ booking_id: number | null }[]>`
              select booking_id from waitlist_entries where id = ${story.entryId!} and status = 'claimed'`;
            story.claimedBookingId = row?.booking_id ?? undefined;
          }
          if (story.claimedBookingId === undefined) story.disturbed = `claim answered ${describeAnswer(answer)}`;
        })(),
      );
    }
    await sleep(500);
  }
  await Promise.all(pending);
}

/** Repeats a request while it gets no answer or a 5xx, as a client would, for up to 60 s. */
async function untilAnswered<T extends { status: number }>(
  send: () => Promise<T>,
): Promise<{ answer: T; retried: boolean }> {
  const deadline = Date.now() + 60_000;
  let answer = await send();
  let retried = false;
  while (!isAnswered(answer.status) && Date.now() < deadline) {
    await sleep(1_000);
    retried = true;
    answer = await send();
  }
  return { answer, retried };
}

async function figures(
  stack: ProductionStack,
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
    `workflow start after the booking p99 ${ms(p99(startLag(from, to)))}, reminders late p99 ${ms(p99(lateness(from, to)))}`;
  report.did(`${describeWindow('before the faults', traffic.window(...before))}; ${describeLags(...before)}`);
  for (const [n, fault] of faults.entries()) {
    const until = faults[n + 1]?.at ?? loadEnd;
    report.did(
      `${describeWindow(`${fault.what} down`, traffic.window(fault.at, fault.backAt!))}; ${describeLags(fault.at, fault.backAt!)}`,
    );
    // Recovered once requests answer, workflow starts keep up (≤ 2 s) and reminders are on time (≤ 5 s) again.
    const lastFailure = Math.max(
      0,
      ...traffic.sent.filter((s) => s.at >= fault.at && s.at < until && !isAnswered(s.status)).map((s) => s.at + s.ms),
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
  void stack;
}

async function checks(stack: ProductionStack, sql: Sql, stories: Story[], report: DrillReport): Promise<void> {
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

function describeDisturbed(stories: Story[]): string {
  const reasons = countBy(stories.flatMap((s) => (s.disturbed ? [`${s.kind}: ${s.disturbed}`] : [])));
  return reasons.size ? ` (${[...reasons].map(([reason, n]) => `${n} × ${reason}`).join('; ')})` : '';
}

function describeAnswer(answer: { status: number; body: unknown }): string {
  return `${answer.status} ${JSON.stringify(answer.body).slice(0, 100)}`;
}

function p99(values: number[]): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

function ms(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function secondsInto(at: number, from: number): string {
  return `${((at - from) / 1000).toFixed(1)} s`;
}

function describeCounts(counts: Map<string, number>): string {
  return [...counts].map(([name, n]) => `${name} ${n}`).join(', ') || 'none';
}
