import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SendMailOptions, SentMessageInfo, Transporter } from 'nodemailer';
import { pino } from 'pino';
import {
  noticeEmailSender as emailSender,
  recordEmailFailure,
  type TestEmailRequest as EmailDeliveryRequest,
} from './support/notice-email';
import { seal, unseal, welcomePasswordKey } from '../src/auth/sealed-box';
import { createTestContext, given, uniqueEmail, type ReceivedEmail, type TestContext } from './support';

describe("the welcome password: one per welcome email, the same in every attempt, never over the user's own", () => {
  let ctx: TestContext;
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });

  before(async () => {
    ctx = await createTestContext();
  });
  after(() => ctx.close());

  /** A mailer that hands the message to MailDev, then fails the first `failures` attempts anyway (the reply was lost). */
  function mailerThatLosesReplies(failures: number): Transporter {
    let calls = 0;
    const fake = {
      async sendMail(message: SendMailOptions): Promise<SentMessageInfo> {
        const info: SentMessageInfo = await ctx.mailer.sendMail(message);
        if (calls++ < failures) throw new Error('Connection closed unexpectedly after DATA');
        return info;
      },
    };
    return fake as unknown as Transporter;
  }

  /** A mailer whose server refuses every message (421). */
  function refusingMailer(): Transporter {
    const fake = {
      async sendMail(): Promise<SentMessageInfo> {
        throw Object.assign(new Error('421 Service not available'), { responseCode: 421, command: 'DATA' });
      },
    };
    return fake as unknown as Transporter;
  }

  const deps = (mailer: Transporter) => ({ config: ctx.config, sql: ctx.db.sql, mailer, logger });

  const newUser = () => given(ctx).newcomer({ fullName: 'Wren Welcome', email: uniqueEmail('welcome') });

  const welcome = (userId: number): EmailDeliveryRequest => ({
    key: `user:${userId}:welcome:${randomBytes(3).toString('hex')}`,
    email: { kind: 'welcome', userId },
  });

  const emailsWithKey = (key: string, expected: number) => ctx.mailbox.withKey(key, { atLeast: expected });
  /** What arrived, read after a pause long enough for a duplicate to have shown up too. */
  const settledEmailsWithKey = (key: string) => ctx.mailbox.withKey(key, { settleMs: 750 });

  const passwordIn = (mail: ReceivedEmail) => /Password:\s*(\S+)/.exec(mail.text)?.[1] ?? '';
  const waiting = async (key: string) =>
    (await ctx.db.sql<{ sealed: Uint8Array }[]>`select sealed from welcome_passwords where email_key = ${key}`)[0];
  const signIn = (email: string, password: string) =>
    ctx.request('POST', '/api/auth/login', { body: { email, password } });

  it("SMTP took the first attempt's message but the attempt failed → the retry sends the same password, which signs in; it waited sealed and is wiped once sent", async () => {
    const user = await newUser();
    const request = welcome(user.id);
    const send = emailSender(deps(mailerThatLosesReplies(1)));
    const linesBefore = logLines.length;

    await assert.rejects(send(request, 1), /Connection closed/);
    const sealed = await waiting(request.key);
    assert.ok(sealed, 'the password waits for the next attempt');
    assert.equal(await send(request, 2), 'sent');

    const [first, second] = await emailsWithKey(request.key, 2);
    assert.ok(first && second, 'both attempts reached the inbox');
    const password = passwordIn(first);
    assert.equal(password.length, 16);
    assert.equal(passwordIn(second), password, 'the retry carried the same password');
    assert.equal((await signIn(user.email, password)).status, 200);

    assert.ok(!Buffer.from(sealed.sealed).includes(Buffer.from(password)), 'stored sealed, never as text');
    assert.equal(
      unseal(welcomePasswordKey(ctx.config.auth.jwtSecret), sealed.sealed, `${request.key}|${user.id}`),
      password,
    );
    assert.equal(await waiting(request.key), undefined, 'wiped once sent');
    assert.ok(!logLines.slice(linesBefore).some((line) => line.includes(password)), 'no log line holds it');
  });

  it('a late retry after the user changed their password sends nothing and leaves their password alone', async () => {
    const user = await newUser();
    const request = welcome(user.id);
    const send = emailSender(deps(mailerThatLosesReplies(1)));
    await assert.rejects(send(request, 1));
    const [mail] = await emailsWithKey(request.key, 1);
    const login = await signIn(user.email, passwordIn(mail!));
    assert.equal(login.status, 200);
    const { access } = (await login.json()) as { access: string };
    const changed = await ctx.request('POST', '/api/auth/change_password', {
      token: access,
      body: { old_password: passwordIn(mail!), new_password: 'my-own-passphrase-now' },
    });
    assert.equal(changed.status, 200);

    assert.equal(await send(request, 2), 'already_sent', 'the email no longer applies');
    assert.equal((await settledEmailsWithKey(request.key)).length, 1, 'no second email');
    assert.equal((await signIn(user.email, 'my-own-passphrase-now')).status, 200, "the user's password still works");
    assert.equal(await waiting(request.key), undefined);
  });

  it('a welcome for a user who already set a password of their own sends nothing and changes nothing', async () => {
    const user = await ctx.createUser('member');
    const request = welcome(user.id);
    assert.equal(await emailSender(deps(mailerThatLosesReplies(0)))(request, 1), 'already_sent');
    assert.equal((await settledEmailsWithKey(request.key)).length, 0);
    assert.equal((await signIn(user.email, user.password)).status, 200);
  });

  it('a welcome given up on after its last retry wipes the password it was holding', async () => {
    const user = await newUser();
    const request = welcome(user.id);
    const refusing = deps(refusingMailer());
    await assert.rejects(emailSender(refusing)(request, 1), /421/);
    await assert.rejects(emailSender(refusing)(request, 2), /421/);
    assert.ok(await waiting(request.key));
    await recordEmailFailure(refusing, request.key, 'welcome', 'gave up after 24 hours');
    assert.equal(await waiting(request.key), undefined);
  });

  it("two welcome emails for one user (two keys) → both arrive and only the newest one's password signs in", async () => {
    const user = await newUser();
    const older = welcome(user.id);
    const newer = welcome(user.id);
    const send = emailSender(deps(ctx.mailer));
    assert.equal(await send(older, 1), 'sent');
    assert.equal(await send(newer, 1), 'sent');
    const [olderMail] = await emailsWithKey(older.key, 1);
    const [newerMail] = await emailsWithKey(newer.key, 1);
    assert.notEqual(passwordIn(olderMail!), passwordIn(newerMail!));
    assert.equal((await signIn(user.email, passwordIn(olderMail!))).status, 401, 'the older password no longer works');
    assert.equal((await signIn(user.email, passwordIn(newerMail!))).status, 200, 'the newest password signs in');
  });

  it('a sealed password opens only under its own key and row', () => {
    const key = welcomePasswordKey(ctx.config.auth.jwtSecret);
    const box = seal(key, 'Secret-Pass-1234', 'user:1:welcome|1');
    assert.equal(unseal(key, box, 'user:1:welcome|1'), 'Secret-Pass-1234');
    assert.equal(unseal(key, box, 'user:2:welcome|2'), null, 'moved to another row');
    assert.equal(
      unseal(welcomePasswordKey('another JWT secret of 32+ characters'), box, 'user:1:welcome|1'),
      null,
      'another JWT_SECRET',
    );
    const tampered = Buffer.from(box);
    tampered[tampered.length - 1]! ^= 1;
    assert.equal(unseal(key, tampered, 'user:1:welcome|1'), null, 'altered');
  });
});
