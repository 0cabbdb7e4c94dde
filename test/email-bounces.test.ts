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
import { assertAccessible, assertFitsWidth, DESKTOP, PHONE } from './support/browser';
import { createTestContext, eventually, given, uniqueEmail, type TestContext, type TestUser } from './support';
import { withSmtpFaults, type SmtpFaultOptions, type SmtpFaultServer } from './support/smtp-faults';
import { startWebStack, type WebStack } from './support/web-stack';
import { navigate, signIn } from './support/web-person';

// A permanent refusal (SMTP 5xx to RCPT TO, DATA or the end of the data) ends an email at once and
// suppresses the address until it changes. Real SMTP servers in front of the run's MailDev, the
// activity's own sending function, and the API as the person and the super admin use it.

describe('bounces: a 5xx stops the email at once and no more email goes to the address until it changes', () => {
  let ctx: TestContext;
  let admin: TestUser;

  before(async () => {
    ctx = await createTestContext();
    admin = await ctx.createUser('super_admin');
  });
  after(() => ctx?.close());

  const server = (behaviour: Omit<SmtpFaultOptions, 'relayUrl'>) => withSmtpFaults(ctx, behaviour);

  /** The worker's sending function, its primary server `smtp` and no fallback. */
  function senderThrough(smtp: SmtpFaultServer) {
    const mailer: Transporter = createMailTransport(smtp.url);
    ctx.onClose(() => mailer.close());
    return emailSender({ config: ctx.config, sql: ctx.db.sql, mailer, logger: createLogger(ctx.config.logLevel) });
  }

  const tag = () => randomBytes(3).toString('hex');

  const newcomer = () => given(ctx).newcomer({ fullName: 'Bo Bounce', email: uniqueEmail('bounce') });
  const welcome = (userId: number): EmailDeliveryRequest => ({
    key: `user:${userId}:welcome:${tag()}`,
    email: { kind: 'welcome', userId },
  });

  const venue = async () => (await given(ctx).venue({ name: `Bounce Hall ${tag()}`, timeZone: 'Asia/Kolkata' })).id;
  const venueAssigned = (userId: number, venueId: number): EmailDeliveryRequest => ({
    key: `venue:${venueId}:admin:${userId}:${tag()}`,
    email: { kind: 'venue_assigned', userId, venueId },
  });

  async function logged(key: string) {
    const [row] = await ctx.db.sql<
      {
        status: string;
        attempts: number;
        last_error: string | null;
        suppressed_reason: string | null;
        sent_via: string | null;
      }[]
    >`
      select status, attempts, last_error, suppressed_reason, sent_via from email_log where idempotency_key = ${key}`;
    return row;
  }

  const sealedPassword = async (key: string) =>
    (await ctx.db.sql`select 1 from welcome_passwords where email_key = ${key}`).length > 0;
  const suppression = async (address: string) =>
    (
      await ctx.db.sql<
        { reason: string; first_key: string }[]
      >`select reason, first_key from email_suppressions where address = ${address.toLowerCase()}`
    )[0];

  it('550 to RCPT TO → bounced after one attempt, its password wiped, the address suppressed; the next email to it is logged suppressed with the reason and never reaches SMTP', async () => {
    const user = await newcomer();
    const refusing = await server({ refuse: Infinity, code: 550 });
    const send = senderThrough(refusing);
    const first = welcome(user.id);

    assert.equal(await send(first, 1), 'bounced');
    const bounced = await logged(first.key);
    assert.equal(bounced?.status, 'bounced');
    assert.equal(bounced?.attempts, 1);
    assert.equal(bounced?.sent_via, 'primary');
    assert.match(bounced?.last_error ?? '', /^550\b.*No such mailbox here/);
    assert.equal(await sealedPassword(first.key), false, 'the password it carried is not kept');
    assert.deepEqual({ ...(await suppression(user.email)) }, { reason: bounced!.last_error, first_key: first.key });

    assert.equal(await send(first, 2), 'bounced', 'the same key again: nothing sent, still bounced');
    const second = welcome(user.id);
    assert.equal(await send(second, 1), 'suppressed');
    assert.equal(refusing.attempts, 1, 'SMTP saw the first email only');
    const held = await logged(second.key);
    assert.equal(held?.status, 'suppressed');
    assert.equal(held?.suppressed_reason, `the address bounced: ${bounced!.last_error}`);
    assert.equal(await sealedPassword(second.key), false);
  });

  it('550 at the end of the data (the message refused) → bounced too', async () => {
    const user = await newcomer();
    const refusing = await server({ refuse: Infinity, code: 550, at: 'data' });
    const request = welcome(user.id);

    assert.equal(await senderThrough(refusing)(request, 1), 'bounced');
    assert.equal((await logged(request.key))?.status, 'bounced');
    assert.equal(refusing.relayed, 0);
    assert.ok(await suppression(user.email));
  });

  it('554 at the greeting is the server refusing service, not the address → deferred for a retry; the address is not suppressed', async () => {
    const user = await newcomer();
    const refusing = await server({ refuse: Infinity, code: 554, at: 'connect' });
    const request = welcome(user.id);

    await assert.rejects(senderThrough(refusing)(request, 1), /554/);
    const row = await logged(request.key);
    assert.equal(row?.status, 'deferred');
    assert.match(row?.last_error ?? '', /554/);
    assert.equal(await suppression(user.email), undefined);
  });

  it('the person and the super admin see the bounce; a taken address is refused with 409; setting a new one lifts it and email goes out again', async () => {
    const hana = await ctx.createUser('hall_admin', { fullName: 'Hana Hall' });
    const hall = await venue();
    const refusing = await server({ refuse: Infinity, code: 550 });
    const bounced = venueAssigned(hana.id, hall);
    assert.equal(await senderThrough(refusing)(bounced, 1), 'bounced');

    // The person: their own view says so, with the server's answer.
    const me = (await (await ctx.request('GET', '/api/auth/me', { token: hana.token })).json()) as {
      email_bounced: { at: string; reason: string } | null;
    };
    assert.match(me.email_bounced?.reason ?? '', /^550\b.*No such mailbox here/);
    assert.ok(!Number.isNaN(Date.parse(me.email_bounced!.at)));
    const other = await ctx.createUser('member');
    assert.equal(
      ((await (await ctx.request('GET', '/api/auth/me', { token: other.token })).json()) as { email_bounced: unknown })
        .email_bounced,
      null,
    );

    // The super admin: the users list and the email log.
    const users = (await (await ctx.request('GET', '/api/users/?limit=100', { token: admin.token })).json()) as Array<{
      id: number;
      email_bounced: { reason: string } | null;
    }>;
    assert.match(users.find((user) => user.id === hana.id)?.email_bounced?.reason ?? '', /^550/);
    assert.equal(users.find((user) => user.id === other.id)?.email_bounced, null);
    const log = await ctx.request('GET', '/api/admin/emails/?status=bounced&limit=100', { token: admin.token });
    assert.equal(log.status, 200);
    const entry = (
      (await log.json()) as Array<{ idempotency_key: string; status: string; last_error: string; sent_via: string }>
    ).find((row) => row.idempotency_key === bounced.key);
    assert.equal(entry?.status, 'bounced');
    assert.equal(entry?.sent_via, 'primary');
    assert.match(entry?.last_error ?? '', /^550/);

    // Meanwhile nothing reaches her, even through a server that would take it.
    const willing = await server({ refuse: 0, code: 421 });
    const held = venueAssigned(hana.id, hall);
    assert.equal(await senderThrough(willing)(held, 1), 'suppressed');
    assert.equal(willing.attempts, 0);

    // Another account's address is taken (in any case); a malformed one is a 400; neither changes hers.
    const taken = await ctx.request('PATCH', `/api/users/${hana.id}`, {
      token: admin.token,
      body: { email: other.email.toUpperCase() },
    });
    assert.equal(taken.status, 409);
    assert.match(((await taken.json()) as { error: string }).error, /already exists/);
    const malformed = await ctx.request('PATCH', `/api/users/${hana.id}`, {
      token: admin.token,
      body: { email: 'not an address' },
    });
    assert.equal(malformed.status, 400);
    assert.match(((await malformed.json()) as { error: string }).error, /email/);
    const member = await ctx.request('PATCH', `/api/users/${hana.id}`, {
      token: other.token,
      body: { email: uniqueEmail('sneaky') },
    });
    assert.equal(member.status, 403);
    assert.equal(
      (await ctx.db.sql<{ email: string }[]>`select email from users where id = ${hana.id}`)[0]?.email,
      hana.email,
    );

    const fixed = uniqueEmail('hana-fixed');
    const changed = await ctx.request('PATCH', `/api/users/${hana.id}`, { token: admin.token, body: { email: fixed } });
    assert.equal(changed.status, 200);
    assert.deepEqual(
      await changed.json().then((body) => {
        const { email, email_bounced } = body as { email: string; email_bounced: unknown };
        return { email, email_bounced };
      }),
      { email: fixed, email_bounced: null },
    );
    const meAfter = (await (await ctx.request('GET', '/api/auth/me', { token: hana.token })).json()) as {
      email: string;
      email_bounced: unknown;
    };
    assert.deepEqual(
      { email: meAfter.email, email_bounced: meAfter.email_bounced },
      { email: fixed, email_bounced: null },
      'the same session, the new address, no bounce',
    );
    assert.ok(await suppression(hana.email), 'the old address still bounces');

    const next = venueAssigned(hana.id, hall);
    assert.equal(await senderThrough(willing)(next, 1), 'sent');
    const mail = await ctx.mailbox.waitFor(
      fixed,
      (received) => received.headers['x-bookit-idempotency-key'] === next.key,
    );
    assert.ok(mail);
  });

  it('/openapi.json documents it: email_bounced on Me and AdminUser, the email field and its 409 on PATCH /api/users/{id}, the new statuses and sent_via', async () => {
    interface Schema {
      properties?: Record<string, { enum?: Array<string | null> }>;
      allOf?: Schema[];
    }
    const doc = (await (await ctx.request('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, Schema> };
    };
    // An extended schema (Me extends User) is written as allOf: its own properties sit in a part.
    const propertiesOf = (name: string) => {
      const schema = doc.components.schemas[name];
      return Object.assign(
        {},
        schema?.properties,
        ...(schema?.allOf ?? []).map((part) => part.properties ?? {}),
      ) as NonNullable<Schema['properties']>;
    };
    assert.ok(propertiesOf('Me').email_bounced, 'Me.email_bounced');
    assert.ok(propertiesOf('AdminUser').email_bounced, 'AdminUser.email_bounced');
    assert.ok(propertiesOf('UpdateUserRequest').email, 'UpdateUserRequest.email');
    assert.ok(doc.paths['/api/users/{id}']?.patch?.responses['409'], 'PATCH answers 409 for a taken address');
    assert.deepEqual(propertiesOf('EmailLogEntry').status?.enum, [
      'queued',
      'sent',
      'deferred',
      'bounced',
      'suppressed',
      'failed',
    ]);
    assert.deepEqual(
      propertiesOf('EmailLogEntry').sent_via?.enum?.filter((value) => value !== null),
      ['primary', 'fallback'],
    );
  });

  it('a super admin sets the same address again (the mailbox is fixed) → the bounce is lifted and the address gets email again', async () => {
    const user = await ctx.createUser('hall_admin');
    const hall = await venue();
    assert.equal(
      await senderThrough(await server({ refuse: Infinity, code: 550 }))(venueAssigned(user.id, hall), 1),
      'bounced',
    );
    assert.ok(await suppression(user.email));

    const again = await ctx.request('PATCH', `/api/users/${user.id}`, {
      token: admin.token,
      body: { email: user.email },
    });
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { email_bounced: unknown }).email_bounced, null);
    assert.equal(await suppression(user.email), undefined);
    assert.equal(await senderThrough(await server({ refuse: 0, code: 421 }))(venueAssigned(user.id, hall), 1), 'sent');
  });
});

describe('bounces in the web app: the person is told on every page, the super admin sees and fixes the address', () => {
  let stack: WebStack;
  let mailer: Transporter;

  before(async () => {
    stack = await startWebStack();
    const smtp = await withSmtpFaults(stack.ctx, { refuse: Infinity, code: 550 });
    mailer = createMailTransport(smtp.url);
    stack.ctx.onClose(() => mailer.close());
  });
  after(() => stack?.close());

  it('a hall admin whose address bounced sees the banner (phone, accessible); the super admin sees it in Users and the Email log, sets a new address, and the banner goes', async () => {
    const { ctx } = stack;
    const hana = await ctx.createUser('hall_admin', { fullName: 'Hana Hall' });
    const admin = await ctx.createUser('super_admin', { fullName: 'Ada Admin' });
    const hall = await given(ctx).venue({
      name: `Echo Hall ${randomBytes(3).toString('hex')}`,
      timeZone: 'Asia/Kolkata',
    });
    const send = emailSender({
      config: ctx.config,
      sql: ctx.db.sql,
      mailer,
      logger: createLogger(ctx.config.logLevel),
    });
    const bounced = {
      key: `venue:${hall.id}:admin:${hana.id}:web`,
      email: { kind: 'venue_assigned' as const, userId: hana.id, venueId: hall.id },
    };
    assert.equal(await send(bounced, 1), 'bounced');

    const person = (await stack.person(PHONE)).page;
    await signIn(person, hana.email, hana.password);
    const banner = person.getByText('Emails to you bounce: check your address with an administrator.');
    await banner.waitFor();
    await assertAccessible(person, 'a page with the bounce banner');
    await assertFitsWidth(person, 'a page with the bounce banner');
    await navigate(person, 'Account');
    await person.getByText(/Emails to this address bounce/).waitFor();

    const operator = (await stack.person(DESKTOP)).page;
    await signIn(operator, admin.email, admin.password);
    await navigate(operator, 'Email log');
    await operator.getByLabel('Status').selectOption('bounced');
    await operator
      .getByText(/Refused for good: 550\b.*No such mailbox here/)
      .first()
      .waitFor();
    await assertAccessible(operator, 'the email log, bounced');

    await navigate(operator, 'Users');
    const row = operator.getByRole('row').filter({ hasText: hana.email });
    await row.getByText(/Emails to this address bounce/).waitFor();
    await assertAccessible(operator, 'the users page with a bounce');
    const fixed = uniqueEmail('hana-fixed');
    await row.getByRole('button', { name: 'Edit Hana Hall' }).click();
    const editing = operator.getByRole('dialog', { name: 'Edit Hana Hall' });
    await editing.getByText(/Emails to this address bounce/).waitFor();
    await editing.getByLabel('Email').fill(fixed);
    await editing.getByRole('button', { name: 'Save changes' }).click();
    await operator.getByText(`Hana Hall's email address is ${fixed}; emails go to it again.`).waitFor();
    await eventually(
      async () =>
        (await ctx.db.sql<{ email: string }[]>`select email from users where id = ${hana.id}`)[0]?.email === fixed,
      'the new address stored',
    );

    await person.reload();
    await person.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(
      await person.getByText('Emails to you bounce: check your address with an administrator.').count(),
      0,
      'the banner is gone',
    );
  });
});
