import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Browser, Page, Response } from 'playwright-core';
import { signActionToken, type LinkAction } from '../src/auth/action-tokens';
import { startApiServer, type ApiServer } from '../src/api/server';
import { formatSlot } from '../src/mail/format-time';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import { cancelSignal, confirmSignal } from '../src/contracts/booking-signals';
import { launchChromium } from './support/browser';
import { createTestContext, given, type TestContext, type TestUser } from './support';

const HOUR = 3_600_000;
const ZONE = 'Asia/Kolkata';
const SCREENSHOT = '/tmp/bookit-action-page.png';

interface Operation {
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}

interface BookingRow {
  status: string;
  confirmed: boolean;
  cancelled_by: number | null;
}

describe('email action links, opened and pressed in a real browser', () => {
  let ctx: TestContext;
  let server: ApiServer;
  let browser: Browser;
  let booker: TestUser;
  const logLines: string[] = [];

  before(async () => {
    ctx = await createTestContext();
    // Everything the server logs, at every level, so we can show no token ever reaches a log.
    const capture = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: 'trace' }, capture);
    server = await startApiServer({
      ...ctx.deps,
      logger,
      config: { ...ctx.deps.config, http: { ...ctx.deps.config.http, port: 0 } },
    });
    browser = await launchChromium(ctx.config);
    booker = await ctx.createUser('member', { fullName: 'Bea Booker' });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await ctx?.close();
  });

  /** A venue of its own per booking, so tests never compete for a slot. */
  async function book(who: TestUser = booker, eventName = 'Quarterly review') {
    const venue = await given(ctx).venue({
      name: `LRDC Hall ${Math.random().toString(36).slice(2, 8)}`,
      timeZone: ZONE,
    });
    const { booking, slot } = await given(ctx).booking(who, venue, { aheadMs: 72 * HOUR, eventName });
    assert.equal(booking.confirmed, false, 'booked three days ahead, so it awaits confirmation');
    return { id: booking.id, venueName: venue.name, when: formatSlot(slot.startsAt, slot.endsAt, ZONE) };
  }

  const tokenFor = (
    action: LinkAction,
    targetId: number,
    userId: number,
    expiresAt = new Date(Date.now() + 7 * 24 * HOUR),
  ) => signActionToken(ctx.deps.keys.action, { action, targetId, userId }, expiresAt);
  const linkOf = (token: string) => `${server.url}/actions/${token}`;

  const row = async (id: number) =>
    (await ctx.db.sql<BookingRow[]>`select status, confirmed, cancelled_by from bookings where id = ${id}`)[0]!;
  const signals = async (id: number, signal: { name: string }) =>
    (
      await ctx.db.sql<
        { id: number }[]
      >`select id from outbox where kind = 'signal' and workflow_id = ${bookingWorkflowId(id)} and payload->>'signal' = ${signal.name}`
    ).length;

  /** A fresh browser profile; any alert, confirm or prompt the page raises fails the test. */
  async function inBrowser(
    scenario: (open: () => Promise<Page>) => Promise<void>,
    viewport = { width: 1024, height: 768 },
  ): Promise<void> {
    const context = await browser.newContext({ viewport });
    const dialogs: string[] = [];
    try {
      await scenario(async () => {
        const page = await context.newPage();
        page.on('dialog', (dialog) => {
          dialogs.push(`${dialog.type()}: ${dialog.message()}`);
          void dialog.dismiss();
        });
        return page;
      });
    } finally {
      await context.close();
    }
    assert.deepEqual(dialogs, [], 'no page raised a dialog');
  }

  async function visit(page: Page, url: string): Promise<Response> {
    const response = await page.goto(url);
    assert.ok(response, `${url} answered`);
    return response;
  }

  /** Presses the page's one button as a person would, and returns the answer to the POST it sends. */
  async function press(page: Page, label: string): Promise<Response> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: label }).click(),
    ]);
    await page.waitForLoadState('domcontentloaded');
    return response;
  }

  const heading = (page: Page) => page.locator('h1').innerText();
  const text = async (page: Page) => (await page.textContent('body')) ?? '';

  async function assertPageHeaders(response: Response, status: number): Promise<void> {
    assert.equal(response.status(), status, `status of ${response.request().method()} ${response.url().slice(0, 40)}…`);
    const headers = await response.allHeaders();
    assert.match(headers['content-type'] ?? '', /^text\/html/);
    assert.equal(headers['cache-control'], 'no-store');
    assert.equal(headers['referrer-policy'], 'no-referrer');
    assert.equal(headers['x-robots-tag'], 'noindex');
    const csp = (headers['content-security-policy'] ?? '').split(';').map((d) => d.trim());
    for (const directive of ["default-src 'none'", "style-src 'unsafe-inline'", "form-action 'self'"])
      assert.ok(csp.includes(directive), `CSP has ${directive}: ${csp.join('; ')}`);
  }

  /** The token appears nowhere in the page: the form posts back to the address it was opened at. */
  async function assertNoToken(page: Page, token: string): Promise<void> {
    const html = await page.content();
    const signature = token.split('.')[2]!;
    assert.ok(!html.includes(signature), 'the page does not repeat the token');
    assert.ok(!(await text(page)).includes(signature), 'no visible token');
  }

  it('a confirm link: opening it only shows the booking and a button; pressing it confirms once; pressing again says already confirmed', async () => {
    const booking = await book();
    const token = await tokenFor('confirm', booking.id, booker.id);
    await inBrowser(async (open) => {
      const page = await open();
      const opened = await visit(page, linkOf(token));
      await assertPageHeaders(opened, 200);
      assert.equal(await heading(page), 'Confirm you still need it');
      const shown = await text(page);
      assert.ok(shown.includes(`Confirm you still need ${booking.venueName} on ${booking.when}.`), shown);
      assert.ok(shown.includes('Quarterly review'));
      assert.ok(shown.includes('Hi Bea Booker'));
      assert.equal(await page.getByRole('button').count(), 1, 'one button');
      assert.equal(await page.locator('form[method="post"]').count(), 1);
      await assertNoToken(page, token);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      assert.deepEqual(
        await row(booking.id),
        { status: 'active', confirmed: false, cancelled_by: null },
        'opening the link changed nothing',
      );
      assert.equal(await signals(booking.id, confirmSignal), 0, 'and signalled nothing');

      // The same email opened in a second tab before the first one is pressed.
      const secondTab = await open();
      await visit(secondTab, linkOf(token));

      const pressed = await press(page, 'Yes, I still need it');
      await assertPageHeaders(pressed, 200);
      assert.equal(await heading(page), 'Attendance confirmed');
      assert.ok((await text(page)).includes(`You confirmed you still need ${booking.venueName} on ${booking.when}`));
      await assertNoToken(page, token);
      assert.equal((await row(booking.id)).confirmed, true);
      assert.equal(
        await page.getByRole('link', { name: 'Open this booking in BookIT' }).getAttribute('href'),
        `/bookings/${booking.id}`,
        'the page leads into the app',
      );
      const [signal] = await ctx.db.sql<{ kind: string; workflow_id: string; payload: { signal: string } }[]>`
        select kind, workflow_id, payload from outbox where workflow_id = ${bookingWorkflowId(booking.id)} and kind = 'signal'`;
      assert.equal(signal?.payload.signal, confirmSignal.name);
      assert.equal(signal?.workflow_id, `booking-${booking.id}`);

      const reopened = await visit(page, linkOf(token));
      await assertPageHeaders(reopened, 200);
      assert.equal(await heading(page), 'Attendance already confirmed');
      assert.equal(await page.getByRole('button').count(), 0, 'nothing left to press');

      const pressedAgain = await press(secondTab, 'Yes, I still need it');
      await assertPageHeaders(pressedAgain, 200);
      assert.equal(await heading(secondTab), 'Attendance already confirmed');
      assert.equal(await signals(booking.id, confirmSignal), 1, 'signalled once');
    });
  });

  it('a claim link from a waitlist offer: opening it changes nothing; pressing it books the slot once; pressing again says already claimed', async () => {
    const holder = await ctx.createUser('member');
    const waiter = await ctx.createUser('member', { fullName: 'Wes Waiter' });
    const booking = await book(holder);
    const slot = (
      await ctx.db.sql<{ venue_id: number; date: string; start_time: string; end_time: string }[]>`
      select b.venue_id, to_char(lower(b.during) at time zone ${ZONE}, 'YYYY-MM-DD') as date,
        to_char(lower(b.during) at time zone ${ZONE}, 'HH24:MI') as start_time, to_char(upper(b.during) at time zone ${ZONE}, 'HH24:MI') as end_time
      from bookings b where b.id = ${booking.id}`
    )[0]!;
    const joined = await ctx.request('POST', '/api/waitlist/', {
      token: waiter.token,
      body: { venue: slot.venue_id, date: slot.date, start_time: slot.start_time, end_time: slot.end_time },
    });
    assert.equal(joined.status, 201, await joined.clone().text());
    const { id: entryId } = (await joined.json()) as { id: number };
    assert.equal(
      (await ctx.request('POST', `/api/bookings/${booking.id}/cancel/`, { token: holder.token })).status,
      200,
    );
    // The offer workflow's own step (tested on the time-skipping server): mark the entry offered.
    await ctx.db
      .sql`update waitlist_entries set status = 'offered', notified = true, notified_at = now(), offer_expires_at = now() + interval '15 minutes' where id = ${entryId}`;
    const entry = async () =>
      (
        await ctx.db.sql<
          { status: string; booking_id: number | null }[]
        >`select status, booking_id from waitlist_entries where id = ${entryId}`
      )[0]!;
    const token = await tokenFor('claim', entryId, waiter.id, new Date(Date.now() + 15 * 60_000));

    await inBrowser(async (open) => {
      const page = await open();
      const opened = await visit(page, linkOf(token));
      await assertPageHeaders(opened, 200);
      assert.equal(await heading(page), 'Claim this slot');
      assert.ok((await text(page)).includes(booking.venueName));
      await assertNoToken(page, token);
      assert.deepEqual(await entry(), { status: 'offered', booking_id: null }, 'opening the link changed nothing');

      const pressed = await press(page, 'Claim slot');
      await assertPageHeaders(pressed, 200);
      assert.equal(await heading(page), 'Slot claimed');
      const claimed = await entry();
      assert.equal(claimed.status, 'claimed');
      const [created] = await ctx.db.sql<
        { user_id: number; status: string }[]
      >`select user_id, status from bookings where id = ${claimed.booking_id}`;
      assert.deepEqual(created, { user_id: waiter.id, status: 'active' });
      assert.equal(
        (
          await ctx.db
            .sql`select 1 from outbox where kind = 'start' and workflow_id = ${bookingWorkflowId(claimed.booking_id!)}`
        ).length,
        1,
        'the new booking gets its own workflow',
      );
      assert.equal(
        await page.getByRole('link', { name: 'Open your booking in BookIT' }).getAttribute('href'),
        `/bookings/${claimed.booking_id}`,
        'the page leads to the new booking in the app',
      );

      const reopened = await visit(page, linkOf(token));
      await assertPageHeaders(reopened, 200);
      assert.equal(await heading(page), 'Slot already claimed');
      assert.equal(await page.getByRole('button').count(), 0);
      assert.equal(
        (await ctx.db.sql`select 1 from bookings where user_id = ${waiter.id}`).length,
        1,
        'one booking, however often it is pressed',
      );
    });
  });

  it("a cancel link: opening it changes nothing; pressing it cancels as the link's user; pressing again says already cancelled", async () => {
    const booking = await book();
    const token = await tokenFor('cancel', booking.id, booker.id);
    await inBrowser(async (open) => {
      const page = await open();
      await assertPageHeaders(await visit(page, linkOf(token)), 200);
      assert.equal(await heading(page), 'Cancel your booking');
      assert.ok((await text(page)).includes(`Cancel your booking of ${booking.venueName} on ${booking.when}?`));
      assert.equal(await page.getByRole('button').count(), 1, 'one button');
      await assertNoToken(page, token);
      assert.deepEqual(
        await row(booking.id),
        { status: 'active', confirmed: false, cancelled_by: null },
        'opening the link changed nothing',
      );
      assert.equal(await signals(booking.id, cancelSignal), 0);

      const secondTab = await open();
      await visit(secondTab, linkOf(token));

      await assertPageHeaders(await press(page, 'Cancel booking'), 200);
      assert.equal(await heading(page), 'Booking cancelled');
      assert.deepEqual(await row(booking.id), { status: 'cancelled', confirmed: false, cancelled_by: booker.id });
      assert.equal(await signals(booking.id, cancelSignal), 1);

      await assertPageHeaders(await visit(page, linkOf(token)), 200);
      assert.equal(await heading(page), 'Booking already cancelled');
      assert.ok((await text(page)).includes('already cancelled by you'));
      assert.equal(await page.getByRole('button').count(), 0);

      await assertPageHeaders(await press(secondTab, 'Cancel booking'), 200);
      assert.equal(await heading(secondTab), 'Booking already cancelled');
      assert.equal(await signals(booking.id, cancelSignal), 1, 'signalled once');
    });
  });

  it('a confirm link for a booking cancelled meanwhile answers 409 with a page saying so, and confirms nothing', async () => {
    const booking = await book();
    const token = await tokenFor('confirm', booking.id, booker.id);
    await inBrowser(async (open) => {
      const page = await open();
      await visit(page, linkOf(token));
      const cancelled = await ctx.request('POST', `/api/bookings/${booking.id}/cancel`, {
        token: booker.token,
        body: {},
      });
      assert.equal(cancelled.status, 200);

      await assertPageHeaders(await press(page, 'Yes, I still need it'), 409);
      assert.equal(await heading(page), 'This booking was cancelled');
      assert.ok((await text(page)).includes('can no longer be confirmed'));
      assert.equal((await row(booking.id)).confirmed, false);
      assert.equal(await signals(booking.id, confirmSignal), 0);

      await assertPageHeaders(await visit(page, linkOf(token)), 409);
      assert.equal(await page.getByRole('button').count(), 0, 'no button for what cannot be done');
    });
  });

  it('damaged, expired, foreign and unsupported links answer 400 or 410 pages and change nothing', async () => {
    const booking = await book();
    const good = await tokenFor('confirm', booking.id, booker.id);
    const [head, payload, signature] = good.split('.') as [string, string, string];
    const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
    const cases: { name: string; token: string; status: number; title: string }[] = [
      {
        name: 'a flipped signature character',
        token: `${head}.${payload}.${flipped}`,
        status: 400,
        title: 'This link is not valid',
      },
      {
        name: 'an expired link',
        token: await tokenFor('confirm', booking.id, booker.id, new Date(Date.now() - 60_000)),
        status: 410,
        title: 'This link has expired',
      },
      { name: 'a session token', token: booker.token, status: 400, title: 'This link is not valid' },
      {
        name: 'an action no link has',
        token: await tokenFor('delete' as LinkAction, booking.id, booker.id),
        status: 400,
        title: 'This link is not valid',
      },
      { name: 'not a token at all', token: 'not-a-token', status: 400, title: 'This link is not valid' },
    ];

    await inBrowser(async (open) => {
      const page = await open();
      for (const link of cases) {
        await assertPageHeaders(await visit(page, linkOf(link.token)), link.status);
        assert.equal(await heading(page), link.title, link.name);
        assert.equal(await page.getByRole('button').count(), 0, `${link.name}: no button`);
        await assertNoToken(page, link.token);
        const posted = await page.request.post(linkOf(link.token));
        assert.equal(posted.status(), link.status, `${link.name}: POST`);
        assert.equal(posted.headers()['cache-control'], 'no-store');
      }
    });
    assert.deepEqual(await row(booking.id), { status: 'active', confirmed: false, cancelled_by: null });
    assert.equal(await signals(booking.id, confirmSignal), 0);
  });

  it('a link sent to a user who has since been deactivated answers 410 and changes nothing', async () => {
    const leaver = await ctx.createUser('member', { fullName: 'Lee Leaver' });
    const booking = await book(leaver);
    const token = await tokenFor('cancel', booking.id, leaver.id);
    await ctx.db.sql`update users set is_active = false where id = ${leaver.id}`;
    await inBrowser(async (open) => {
      const page = await open();
      await assertPageHeaders(await visit(page, linkOf(token)), 410);
      assert.equal(await heading(page), 'This link can no longer be used');
      assert.equal((await page.request.post(linkOf(token))).status(), 410);
    });
    assert.equal((await row(booking.id)).status, 'active');
  });

  it('a booker named <script>alert(1)</script> with an event named <img src=x onerror=alert(1)> sees both as text, on a phone-sized screen', async () => {
    const mallory = await ctx.createUser('member', { fullName: '<script>alert(1)</script>' });
    const booking = await book(mallory, '<img src=x onerror=alert(1)>');
    const token = await tokenFor('confirm', booking.id, mallory.id);
    await inBrowser(
      async (open) => {
        const page = await open();
        await assertPageHeaders(await visit(page, linkOf(token)), 200);
        for (const shown of [await text(page), await page.locator('main').innerText()]) {
          assert.ok(shown.includes('<script>alert(1)</script>'), 'the name shows as typed');
          assert.ok(shown.includes('<img src=x onerror=alert(1)>'), 'the event name shows as typed');
        }
        assert.equal(await page.locator('img').count(), 0, 'no element was made from the event name');
        assert.equal(await page.locator('script').count(), 0, 'no script element at all');
        const overflow = Number(
          await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
        );
        assert.ok(overflow <= 0, `fits the screen without sideways scrolling (${overflow}px over)`);

        await assertPageHeaders(await press(page, 'Yes, I still need it'), 200);
        assert.ok((await text(page)).includes('<img src=x onerror=alert(1)>'));
        assert.equal(await page.locator('img, script').count(), 0);
      },
      { width: 360, height: 740 },
    );
  });

  it('declares both link routes, as HTML pages, in /openapi.json; and nothing logged ever held a token', async () => {
    const spec = (await (await ctx.request('GET', '/openapi.json')).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const path = spec.paths['/actions/{token}'];
    assert.ok(path, 'the path is declared');
    for (const method of ['get', 'post'] as const) {
      const operation: Operation | undefined = path[method];
      assert.ok(operation, `${method} is declared`);
      assert.deepEqual(
        operation.parameters?.map((p) => [p.name, p.in]),
        [['token', 'path']],
      );
      for (const status of ['200', '400', '409', '410'])
        assert.ok(operation.responses[status]?.content?.['text/html'], `${method} ${status} is text/html`);
    }
    // Logs from every earlier test in this file (the server logs at trace level here).
    for (const line of logLines)
      assert.ok(
        !/\/actions\/ey|eyJhbGciOiJIUzI1NiJ9\.[\w-]+\.[\w-]+/.test(line),
        `a log line holds a token: ${line.slice(0, 120)}`,
      );
  });
});
