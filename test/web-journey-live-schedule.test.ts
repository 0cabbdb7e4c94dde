import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { given, localParts } from './support';
import { DESKTOP } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { assertNotReloaded, markPage, signIn, waitForText } from './support/web-person';

const ZONE = 'Asia/Kolkata';
const DAY = 86_400_000;

/**
 * The day view stays true while it is open, in Chromium over the whole stack: another member's
 * booking appears in it, and their cancel clears it, without a reload (the `schedule` event every
 * open stream hears; the viewer gets no notification of their own for either).
 */
describe('web app: a live day view', () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  it("another member's booking appears in the open day view, and goes when they cancel it, without a reload", async () => {
    const make = given(stack.ctx);
    const venue = await make.venue({ name: `Studio ${Math.random().toString(36).slice(2, 7)}`, timeZone: ZONE });
    const [viewer, other] = [await make.member({ fullName: 'Vera Viewer' }), await make.member()];
    const day = localParts(new Date(Date.now() + 4 * DAY), ZONE).date;

    const { page } = await stack.person(DESKTOP);
    await signIn(page, viewer.email, viewer.password);
    await page.goto(`${stack.base}/venues/${venue.id}?date=${day}`);
    const dayView = page.getByRole('region', { name: new RegExp(`^${venue.name} on `) });
    await waitForText(dayView, /Nothing booked yet/, 'the day is free');
    await markPage(page);

    const { booking } = await make.booking(other, venue, {
      slot: { date: day, start_time: '10:00', end_time: '11:30' },
      eventName: 'Rehearsal',
    });
    await waitForText(
      dayView,
      /10:00–11:30\s+Booked/,
      "the other member's booking, as 'Booked', without their event's name",
    );
    assert.doesNotMatch(await dayView.innerText(), /Rehearsal/, "another member's event stays theirs");

    const cancelled = await stack.ctx.request('POST', `/api/bookings/${booking.id}/cancel`, { token: other.token });
    assert.equal(cancelled.status, 200);
    await waitForText(dayView, /Nothing booked yet/, 'their cancel frees the day again');
    await assertNotReloaded(page);
  });
});
