import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, given, slotAhead } from './support';
import { assertAccessible, DESKTOP } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { navigate, signIn, waitForText } from './support/web-person';
import { UNDO_MS } from '../web/src/state/undo-window';

const ZONE = 'Asia/Kolkata';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A cancel can be taken back for a few seconds, in Chromium over the whole stack: the dialog asks,
 * a toast says it is about to happen with Undo focused; Undo keeps the booking (nothing reaches the
 * server); letting the seconds pass cancels it. The page's clock is driven by the test (Playwright's
 * clock), so "after the seconds" is exact rather than waited for.
 */
describe('web app: undoing a cancel', () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  it('Undo keeps the booking and sends nothing; without it, the cancel is sent once the seconds pass', async () => {
    const make = given(stack.ctx);
    const venue = await make.venue({ name: `Undo Hall ${Math.random().toString(36).slice(2, 7)}`, timeZone: ZONE });
    const member = await make.member({ fullName: 'Uma Undo' });
    const when = slotAhead(3 * DAY, HOUR, ZONE);
    const { booking } = await make.booking(member, venue, {
      slot: { date: when.date, start_time: when.start_time, end_time: when.end_time },
      eventName: 'Choir practice',
    });
    const status = async () =>
      (await stack.ctx.db.sql<{ status: string }[]>`select status from bookings where id = ${booking.id}`)[0]?.status;

    const { page } = await stack.person(DESKTOP);
    await page.clock.install();
    const cancels: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith(`/api/bookings/${booking.id}/cancel`)) cancels.push(request.method());
    });
    await signIn(page, member.email, member.password);
    await navigate(page, 'My bookings');
    const card = page
      .getByRole('listitem')
      .filter({ hasText: 'Choir practice' })
      .or(page.getByRole('article').filter({ hasText: 'Choir practice' }))
      .first();
    await card.getByRole('button', { name: /^Cancel booking: Choir practice, / }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel booking' }).click();

    const undo = page.getByRole('button', { name: 'Undo cancelling Choir practice' });
    await undo.waitFor();
    await eventually(
      async () => (await page.evaluate('document.activeElement && document.activeElement.textContent')) === 'Undo',
      'focus on Undo',
    );
    await waitForText(
      page.getByRole('status').filter({ hasText: 'Cancelling' }),
      /Cancelling “Choir practice”…/,
      'the toast',
    );
    await assertAccessible(page, 'a cancel waiting for Undo');
    await page.keyboard.press('Enter');
    await waitForText(
      page.getByRole('status').filter({ hasText: 'kept' }),
      /“Choir practice” is kept\./,
      'Undo answered',
    );
    await page.clock.runFor(UNDO_MS * 3);
    assert.deepEqual(cancels, [], 'nothing was sent');
    assert.equal(await status(), 'active', 'the booking stands');

    // Again, and this time the seconds pass.
    await card.getByRole('button', { name: /^Cancel booking: Choir practice, / }).click();
    await page.getByRole('dialog').getByLabel('Reason').fill('Choir on tour');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel booking' }).click();
    await undo.waitFor();
    assert.deepEqual(cancels, [], 'not before the seconds pass');
    await page.clock.runFor(UNDO_MS);
    await waitForText(page.getByRole('status').filter({ hasText: /cancel/i }), /cancelled/i, 'the answer as a toast');
    assert.deepEqual(cancels, ['POST'], 'sent once');
    assert.equal(await status(), 'cancelled');
    const [row] = await stack.ctx.db.sql<
      { reason: string }[]
    >`select cancel_reason as reason from bookings where id = ${booking.id}`;
    assert.equal(row?.reason, 'Choir on tour', 'with the reason typed');
  });
});
