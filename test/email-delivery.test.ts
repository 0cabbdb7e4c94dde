import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { tsToMs } from '@temporalio/common/lib/time';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createLogger } from '../src/log/logger';
import { createMailTransport } from '../src/mail/transport';
import type { EmailOutcome, Notice } from '../src/notices';
import { userOnboardingWorkflow } from '../workflows/user-onboarding';
import { createTestContext, given, uniqueEmail, type ReceivedEmail, type TestContext } from './support';
import { startSmtpFaultServer, type SmtpFaultOptions, type SmtpFaultServer } from './support/smtp-faults';
import { createTimeSkippingEnv } from './support/temporal';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('durable email delivery (time-skipping server, a real SMTP server that refuses, MailDev)', () => {
  let ctx: TestContext;
  let env: TestWorkflowEnvironment;

  before(async () => {
    ctx = await createTestContext();
    env = await createTimeSkippingEnv(ctx.config);
  });
  after(async () => {
    await env?.teardown();
    await ctx?.close();
  });

  interface Delivery {
    outcome: EmailOutcome;
    smtp: SmtpFaultServer;
    /** The backup server (SMTP_FALLBACK_URL's), when the delivery had one. */
    backup?: SmtpFaultServer;
    workflowId: string;
    /** The server's (skipped) time at each attempt of deliverNotice. */
    attemptTimes: number[];
  }

  /**
   * Runs a user's onboarding (the welcome notice: its in-app row, then its email through the
   * notices pipeline's delivery step) to its end on a real worker (bundled workflows, real
   * activities on this file's database) whose mailer talks to an SMTP server that behaves as
   * `smtp` says, and its fallback mailer to one that behaves as `backupBehaviour` says, if given.
   * The outcome is what the delivery step answered, or `failed` once it was given up on.
   */
  async function deliver(
    request: WelcomeRequest,
    smtpBehaviour: Omit<SmtpFaultOptions, 'relayUrl'>,
    backupBehaviour?: Omit<SmtpFaultOptions, 'relayUrl'>,
  ): Promise<Delivery> {
    const workflowId = `email-test-${randomUUID()}`;
    const smtp = await startSmtpFaultServer({ ...smtpBehaviour, relayUrl: ctx.config.mail.smtpUrl! });
    const backup =
      backupBehaviour && (await startSmtpFaultServer({ ...backupBehaviour, relayUrl: ctx.config.mail.smtpUrl! }));
    const mailer = createMailTransport(smtp.url);
    const fallbackMailer = backup && createMailTransport(backup.url);
    const activities = createActivities({
      config: ctx.config,
      sql: ctx.db.sql,
      mailer,
      fallbackMailer,
      logger: createLogger(ctx.config.logLevel),
    });
    const attemptTimes: number[] = [];
    let outcome: EmailOutcome = 'failed';
    const taskQueue = `email-delivery-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: { codePath: ctx.config.temporal.workflowBundlePath! },
      activities: {
        ...activities,
        // Observes, then runs the real activity unchanged.
        async deliverNotice(notice: Notice) {
          // The test server's clock while an activity runs (time does not skip meanwhile). Its
          // ActivityInfo.currentAttemptScheduledTimestampMs lags one retry behind, so it is not used.
          attemptTimes.push(await env.currentTimeMs());
          const outcomes = await activities.deliverNotice(notice);
          outcome = outcomes[0] ?? 'already_sent';
          return outcomes;
        },
      },
    });
    try {
      await worker.runUntil(
        env.client.workflow.execute(userOnboardingWorkflow, {
          workflowId,
          taskQueue,
          args: [{ userId: request.userId, emailRetryInitialMs: MINUTE }],
        }),
      );
      return { outcome, smtp, backup, workflowId, attemptTimes };
    } finally {
      mailer.close();
      fallbackMailer?.close();
      await smtp.close();
      await backup?.close();
    }
  }

  const createUser = () => given(ctx).newcomer({ fullName: 'Wren Welcome', email: uniqueEmail('welcome') });

  /** A user's welcome, under the key the notice gives it. */
  interface WelcomeRequest {
    userId: number;
    key: string;
  }
  const welcome = (userId: number): WelcomeRequest => ({ userId, key: `user:${userId}:welcome` });

  const emailsWithKey = (key: string) => ctx.mailbox.withKey(key);
  /** Waits for the first copy, then a little longer, so a duplicate would have time to show up. */
  const settledEmailsWithKey = (key: string, expected: number) =>
    ctx.mailbox.withKey(key, { atLeast: expected, settleMs: 750 });

  async function emailLog(key: string) {
    const [row] = await ctx.db.sql<{ status: string; attempts: number; last_error: string | null }[]>`
      select status, attempts, last_error from email_log where idempotency_key = ${key}`;
    return row;
  }

  const passwordIn = (mail: ReceivedEmail) => /Password:\s*(\S+)/.exec(mail.text)?.[1];

  async function signsIn(email: string, password: string): Promise<boolean> {
    const response = await ctx.request('POST', '/api/auth/login', { body: { email, password } });
    return response.status === 200;
  }

  it('a server that refuses the first 3 attempts with 421 → retried after 60 s, 120 s, 240 s of workflow time, delivered once, logged sent after 4 attempts', async () => {
    const user = await createUser();
    const request = welcome(user.id);
    const { outcome, smtp, workflowId, attemptTimes } = await deliver(request, { refuse: 3, code: 421 });

    assert.equal(outcome, 'sent');
    assert.equal(smtp.attempts, 4, 'the SMTP server saw four attempts');
    assert.equal(smtp.relayed, 1);
    const arrived = await settledEmailsWithKey(request.key, 1);
    assert.equal(arrived.length, 1, 'MailDev holds exactly one copy');
    assert.deepEqual(await emailLog(request.key), { status: 'sent', attempts: 4, last_error: null });

    // The first attempt made the password and every retry reused it; the one that arrived works.
    const password = passwordIn(arrived[0]!);
    assert.ok(password, 'the email carries a password');
    assert.equal(await signsIn(user.email, password), true, 'the delivered password signs in');

    const gaps = attemptTimes.slice(1).map((time, index) => time - attemptTimes[index]!);
    assert.equal(gaps.length, 3);
    for (const [index, expected] of [MINUTE, 2 * MINUTE, 4 * MINUTE].entries()) {
      assert.ok(
        Math.abs(gaps[index]! - expected) < 5_000,
        `gap ${index + 1} was ${gaps[index]} ms of workflow time, expected about ${expected}`,
      );
    }

    const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const scheduled = events.filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverNotice',
    );
    assert.equal(scheduled.length, 1, 'retries are server-side: one ActivityTaskScheduled');
    assert.equal(
      events.filter((event) => event.activityTaskFailedEventAttributes).length,
      0,
      'refused attempts leave no events of their own',
    );
    const attributes = scheduled[0]!.activityTaskScheduledEventAttributes!;
    const retry = attributes.retryPolicy!;
    assert.equal(tsToMs(retry.initialInterval), MINUTE);
    assert.equal(retry.backoffCoefficient, 2);
    assert.equal(tsToMs(retry.maximumInterval), HOUR);
    assert.equal(tsToMs(attributes.scheduleToCloseTimeout), 24 * HOUR);

    // The server records only the last attempt's start; its time and attempt number agree with the gaps above.
    const started = events.find(
      (event) =>
        event.activityTaskStartedEventAttributes &&
        event.activityTaskStartedEventAttributes.scheduledEventId?.toString() === scheduled[0]!.eventId?.toString(),
    );
    assert.equal(started?.activityTaskStartedEventAttributes?.attempt, 4);
    const waited = tsToMs(started!.eventTime) - tsToMs(scheduled[0]!.eventTime);
    assert.ok(
      Math.abs(waited - 7 * MINUTE) < 10_000,
      `the fourth attempt started ${waited} ms of workflow time after scheduling, expected about 7 minutes`,
    );
  });

  it('a permanent 550 refusal of the recipient → one attempt, no retry, logged bounced (not failed over it), the delivery step answers bounced, the address suppressed', async () => {
    const user = await createUser();
    const request = welcome(user.id);
    const { outcome, smtp, attemptTimes, workflowId } = await deliver(request, { refuse: Infinity, code: 550 });

    assert.equal(outcome, 'bounced');
    assert.equal(smtp.attempts, 1);
    assert.equal(attemptTimes.length, 1);
    const logged = await emailLog(request.key);
    assert.equal(logged?.status, 'bounced');
    assert.equal(logged?.attempts, 1);
    assert.match(logged?.last_error ?? '', /550/);
    assert.equal((await emailsWithKey(request.key)).length, 0);
    const [suppressed] = await ctx.db.sql`select 1 from email_suppressions where address = ${user.email.toLowerCase()}`;
    assert.ok(suppressed, 'no more email goes to the address');
    const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    assert.equal(
      events.filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'recordNoticeFailure')
        .length,
      0,
      'an answer, not a failure',
    );
  });

  it('a primary refusing every connection (421 greeting) and a backup server → the first attempt delivers through the backup: sent once, logged via fallback, no retry', async () => {
    const user = await createUser();
    const request = welcome(user.id);
    const { outcome, smtp, backup, attemptTimes } = await deliver(
      request,
      { refuse: Infinity, code: 421, at: 'connect' },
      { refuse: 0, code: 421 },
    );

    assert.equal(outcome, 'sent');
    assert.equal(attemptTimes.length, 1, 'one attempt of deliverNotice');
    assert.equal(smtp.relayed, 0);
    assert.equal(backup?.relayed, 1);
    assert.equal((await settledEmailsWithKey(request.key, 1)).length, 1, 'MailDev holds exactly one copy');
    const [row] = await ctx.db.sql<
      { status: string; sent_via: string; attempts: number }[]
    >`select status, sent_via, attempts from email_log where idempotency_key = ${request.key}`;
    assert.deepEqual({ ...row }, { status: 'sent', sent_via: 'fallback', attempts: 1 });
  });

  it('a server that refuses forever → retried hourly, and after 24 hours of workflow time the delivery is given up and the log says failed', async () => {
    const user = await createUser();
    const request = welcome(user.id);
    const wallStart = Date.now();
    const { outcome, smtp, attemptTimes, workflowId } = await deliver(request, { refuse: Infinity, code: 421 });

    assert.equal(outcome, 'failed');
    const { startTime, closeTime } = await env.client.workflow.getHandle(workflowId).describe();
    const ran = closeTime!.getTime() - startTime.getTime();
    assert.ok(
      ran >= 23 * HOUR && ran <= 24 * HOUR + MINUTE,
      `the workflow ran ${(ran / HOUR).toFixed(2)} h of workflow time`,
    );
    const span = attemptTimes.at(-1)! - attemptTimes[0]!;
    assert.ok(span > 22 * HOUR && span <= 24 * HOUR, `attempts spanned ${(span / HOUR).toFixed(2)} h of workflow time`);
    const lastGap = attemptTimes.at(-1)! - attemptTimes.at(-2)!;
    assert.ok(Math.abs(lastGap - HOUR) < 5_000, `late attempts are an hour apart (last gap ${lastGap} ms)`);
    // 60 s doubling to an hour takes 6 gaps (~63 min); the rest of the day is hourly: about 29 attempts in all.
    assert.ok(smtp.attempts >= 26 && smtp.attempts <= 31, `${smtp.attempts} attempts in 24 h`);
    assert.equal(smtp.attempts, attemptTimes.length);
    const logged = await emailLog(request.key);
    assert.equal(logged?.status, 'failed');
    assert.equal(logged?.attempts, smtp.attempts);
    assert.match(logged?.last_error ?? '', /421/);
    assert.equal((await emailsWithKey(request.key)).length, 0);
    assert.ok(Date.now() - wallStart < 120_000, 'a day of retries took minutes of wall time at most');
  });

  it('the same welcome delivered by two workflows → sent once; the second answers already_sent and leaves the password alone', async () => {
    const user = await createUser();
    const request = welcome(user.id);
    const first = await deliver(request, { refuse: 0, code: 421 });
    const second = await deliver(request, { refuse: 0, code: 421 });

    assert.equal(first.outcome, 'sent');
    assert.equal(second.outcome, 'already_sent');
    assert.equal(second.smtp.attempts, 0, 'the second run never reached SMTP');
    const arrived = await settledEmailsWithKey(request.key, 1);
    assert.equal(arrived.length, 1);
    assert.deepEqual(await emailLog(request.key), { status: 'sent', attempts: 1, last_error: null });
    assert.equal(await signsIn(user.email, passwordIn(arrived[0]!)!), true, 'the one emailed password still signs in');
  });

  it('operators read the email log: newest first, filtered by status, in keyset pages with a Link header; super admins only', async () => {
    const admin = await ctx.createUser('super_admin');
    const member = await ctx.createUser('member');
    const tag = randomBytes(3).toString('hex');
    await ctx.db.sql`
      insert into email_log (idempotency_key, template, recipient, subject, status, attempts, last_error, sent_at)
      values (${`log:${tag}:1`}, 'welcome', 'a@example.test', 'Welcome', 'failed', 29, '421 Service busy', null),
             (${`log:${tag}:2`}, 'welcome', 'b@example.test', 'Welcome', 'sent', 1, null, now()),
             (${`log:${tag}:3`}, 'welcome', 'c@example.test', 'Welcome', 'failed', 1, '550 No such mailbox here', null)`;

    const failed = await ctx.request('GET', '/api/admin/emails/?status=failed&limit=100', { token: admin.token });
    assert.equal(failed.status, 200);
    const rows = ((await failed.json()) as Array<Record<string, unknown>>).filter((row) =>
      String(row.idempotency_key).startsWith(`log:${tag}:`),
    );
    assert.deepEqual(
      rows.map((row) => row.idempotency_key),
      [`log:${tag}:3`, `log:${tag}:1`],
      'failed only, newest first',
    );
    assert.deepEqual(Object.keys(rows[0]!).sort(), [
      'attempts',
      'created_at',
      'id',
      'idempotency_key',
      'last_error',
      'recipient',
      'sent_at',
      'sent_via',
      'status',
      'subject',
      'suppressed_reason',
      'template',
      'updated_at',
    ]);
    assert.equal(rows[1]!.attempts, 29);
    assert.equal(rows[1]!.last_error, '421 Service busy');

    const firstPage = await ctx.request('GET', '/api/admin/emails/?limit=1', { token: admin.token });
    const [newest] = (await firstPage.json()) as Array<{ id: number }>;
    const link = firstPage.headers.get('link');
    assert.match(link ?? '', new RegExp(`^</api/admin/emails/\\?limit=1&before=${newest!.id}>; rel="next"$`));
    const secondPage = await ctx.request('GET', /<([^>]+)>/.exec(link!)![1]!, { token: admin.token });
    const [next] = (await secondPage.json()) as Array<{ id: number }>;
    assert.ok(next!.id < newest!.id);

    assert.equal((await ctx.request('GET', '/api/admin/emails/', { token: member.token })).status, 403);
    assert.equal((await ctx.request('GET', '/api/admin/emails/')).status, 401);
    const bad = await ctx.request('GET', '/api/admin/emails/?status=lost', { token: admin.token });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /status/);
  });
});
