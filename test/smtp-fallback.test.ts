import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Transporter } from 'nodemailer';
import {
  noticeEmailSender as emailSender,
  type TestEmailRequest as EmailDeliveryRequest,
} from './support/notice-email';
import { createLogger } from '../src/log/logger';
import { createMailTransport } from '../src/mail/transport';
import { createTestContext, given, uniqueEmail, type TestContext } from './support';
import { closedSmtpPortUrl, withSmtpFaults, type SmtpFaultOptions } from './support/smtp-faults';

// The backup relay (SMTP_FALLBACK_URL): two real SMTP servers in front of the run's MailDev, the
// activity's own sending function (emailSender) on this file's database, one attempt per call.

describe('a backup mail server: used when the primary certainly did not take the email, sent once per key across both', () => {
  let ctx: TestContext;

  before(async () => {
    ctx = await createTestContext();
  });
  // Mailers close before the servers (the latest first): a server waits for open connections before it closes.
  after(() => ctx?.close());

  const server = (behaviour: Omit<SmtpFaultOptions, 'relayUrl'>) => withSmtpFaults(ctx, behaviour);

  function mailer(url: string): Transporter {
    const transport = createMailTransport(url);
    ctx.onClose(() => transport.close());
    return transport;
  }

  /** The worker's sending function with a primary and, unless null, a fallback server. */
  const senderWith = (primaryUrl: string, fallbackUrl: string | null) =>
    emailSender({
      config: ctx.config,
      sql: ctx.db.sql,
      mailer: mailer(primaryUrl),
      fallbackMailer: fallbackUrl ? mailer(fallbackUrl) : undefined,
      logger: createLogger(ctx.config.logLevel),
    });

  async function welcomeFor(): Promise<{ request: EmailDeliveryRequest; email: string }> {
    const { id, email } = await given(ctx).newcomer({ fullName: 'Fay Fallback', email: uniqueEmail('fallback') });
    const request = {
      key: `user:${id}:welcome:${randomBytes(3).toString('hex')}`,
      email: { kind: 'welcome' as const, userId: id },
    };
    return { request, email };
  }

  async function logged(key: string) {
    const [row] = await ctx.db.sql<
      { status: string; sent_via: string | null; attempts: number; last_error: string | null }[]
    >`
      select status, sent_via, attempts, last_error from email_log where idempotency_key = ${key}`;
    return row;
  }

  /** What reached MailDev under `key`, read after a pause long enough for a duplicate to show up too. */
  const arrived = (key: string, expected: number) => ctx.mailbox.withKey(key, { atLeast: expected, settleMs: 750 });

  it('the primary refuses connections (nothing listens) → the first attempt goes through the fallback: one copy in MailDev, logged sent via fallback; a second call with the key sends nothing', async () => {
    const backup = await server({ refuse: 0, code: 421 });
    const send = senderWith(await closedSmtpPortUrl(), backup.url);
    const { request } = await welcomeFor();

    assert.equal(await send(request, 1), 'sent');
    assert.deepEqual(
      { ...(await logged(request.key)) },
      { status: 'sent', sent_via: 'fallback', attempts: 1, last_error: null },
    );
    assert.equal((await arrived(request.key, 1)).length, 1, 'MailDev holds exactly one copy');

    assert.equal(await send(request, 2), 'already_sent', 'the key was checked in the email log first');
    assert.equal(backup.attempts, 1, 'the fallback saw the one delivery only');
    assert.equal((await arrived(request.key, 1)).length, 1, 'still one copy');
  });

  it('the primary answers 421 instead of its greeting → the fallback delivers it in the same attempt, with the key-derived Message-ID', async () => {
    const primary = await server({ refuse: Infinity, code: 421, at: 'connect' });
    const backup = await server({ refuse: 0, code: 421 });
    const send = senderWith(primary.url, backup.url);
    const { request } = await welcomeFor();

    assert.equal(await send(request, 1), 'sent');
    assert.equal(primary.relayed, 0);
    assert.equal(backup.relayed, 1);
    assert.equal((await logged(request.key))?.sent_via, 'fallback');
    const [mail, ...more] = await arrived(request.key, 1);
    assert.equal(more.length, 0);
    assert.equal(mail!.headers['message-id'], `<${request.key.replace(/[^A-Za-z0-9.-]/g, '.')}@bookit>`);
  });

  it('the primary answers 421 to RCPT TO (busy) → the fallback delivers it at once, without waiting for a retry', async () => {
    const primary = await server({ refuse: Infinity, code: 421 });
    const backup = await server({ refuse: 0, code: 421 });
    const send = senderWith(primary.url, backup.url);
    const { request } = await welcomeFor();

    assert.equal(await send(request, 1), 'sent');
    assert.equal(primary.attempts, 1);
    assert.deepEqual(
      { ...(await logged(request.key)) },
      { status: 'sent', sent_via: 'fallback', attempts: 1, last_error: null },
    );
    assert.equal((await arrived(request.key, 1)).length, 1);
  });

  it('a healthy primary → sent via primary; the fallback is never contacted', async () => {
    const primary = await server({ refuse: 0, code: 421 });
    const backup = await server({ refuse: 0, code: 421 });
    const send = senderWith(primary.url, backup.url);
    const { request } = await welcomeFor();

    assert.equal(await send(request, 1), 'sent');
    assert.equal((await logged(request.key))?.sent_via, 'primary');
    assert.equal(backup.attempts, 0);
    assert.equal((await arrived(request.key, 1)).length, 1);
  });

  it('the primary took the message but its answer was lost → not sent again through the fallback (that would be a second copy); logged deferred for the retry', async () => {
    const primary = await server({ refuse: 0, code: 421, afterData: 'drop' });
    const backup = await server({ refuse: 0, code: 421 });
    const send = senderWith(primary.url, backup.url);
    const { request } = await welcomeFor();

    await assert.rejects(send(request, 1), /Connection closed|closed unexpectedly/i);
    assert.equal(backup.attempts, 0, 'the fallback was not asked');
    assert.equal((await arrived(request.key, 1)).length, 1, 'the one copy the primary delivered');
    const row = await logged(request.key);
    assert.equal(row?.status, 'deferred');
    assert.equal(row?.sent_via, null);
    assert.ok(row?.last_error, 'the failure is recorded');
  });

  it('both servers fail transiently → deferred with both answers; the next attempt, with the fallback back, delivers it once', async () => {
    const backup = await server({ refuse: 1, code: 421 });
    const send = senderWith(await closedSmtpPortUrl(), backup.url);
    const { request } = await welcomeFor();

    await assert.rejects(send(request, 1), /primary: .*fallback: .*421/);
    const deferred = await logged(request.key);
    assert.equal(deferred?.status, 'deferred');
    assert.match(deferred?.last_error ?? '', /^primary: .*; fallback: .*421/);
    assert.equal((await arrived(request.key, 0)).length, 0);

    assert.equal(await send(request, 2), 'sent');
    assert.deepEqual(
      { ...(await logged(request.key)) },
      { status: 'sent', sent_via: 'fallback', attempts: 2, last_error: null },
    );
    assert.equal((await arrived(request.key, 1)).length, 1);
  });

  it("no fallback configured and the primary down → the attempt fails with the primary's own error, logged deferred (Temporal retries it)", async () => {
    const send = senderWith(await closedSmtpPortUrl(), null);
    const { request } = await welcomeFor();

    await assert.rejects(send(request, 1), /ECONNREFUSED|connect/i);
    assert.equal((await logged(request.key))?.status, 'deferred');
  });

  it('the primary down and the fallback refusing the recipient (550) → bounced via fallback, not retried', async () => {
    const backup = await server({ refuse: Infinity, code: 550 });
    const send = senderWith(await closedSmtpPortUrl(), backup.url);
    const { request, email } = await welcomeFor();

    assert.equal(await send(request, 1), 'bounced');
    const row = await logged(request.key);
    assert.equal(row?.status, 'bounced');
    assert.equal(row?.sent_via, 'fallback');
    assert.match(row?.last_error ?? '', /^550\b.*No such mailbox here/);
    const [suppressed] = await ctx.db.sql`select 1 from email_suppressions where address = ${email.toLowerCase()}`;
    assert.ok(suppressed, 'the address is suppressed');
    assert.equal(await send(request, 2), 'bounced', 'a retry of the key sends nothing');
    assert.equal(backup.attempts, 1);
  });
});
