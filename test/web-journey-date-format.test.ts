import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { given, localParts } from './support';
import { assertAccessible, DESKTOP, tabTo } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { navigate, signIn, waitForText } from './support/web-person';

const ZONE = 'Asia/Kolkata';
const DAY = 86_400_000;

/**
 * Dates and times are written one way across the app, in Chromium over the whole stack: the
 * browser's region by default (a US browser reads "Tue, Dec 8" and "1:00 PM"), or the way chosen
 * in Account (day first, 24-hour), on every page at once, the venue's zone always named.
 */
describe("web app: the person's way of writing dates and times", () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  it('a US browser reads month-first, 12-hour times; choosing day-first 24-hour in Account rewrites the bookings and the grid', async () => {
    const make = given(stack.ctx);
    const venue = await make.venue({ name: `Format Hall ${Math.random().toString(36).slice(2, 7)}`, timeZone: ZONE });
    const member = await make.member({ fullName: 'Fiona Format' });
    const day = localParts(new Date(Date.now() + 3 * DAY), ZONE).date;
    await make.booking(member, venue, {
      slot: { date: day, start_time: '13:00', end_time: '14:30' },
      eventName: 'Format talk',
    });

    const { page } = await stack.person(DESKTOP, { locale: 'en-US' });
    await signIn(page, member.email, member.password);
    await navigate(page, 'My bookings');
    const card = page
      .getByRole('article')
      .filter({ hasText: 'Format talk' })
      .or(page.getByRole('listitem').filter({ hasText: 'Format talk' }))
      .first();
    await waitForText(card, /1:00\s?PM–2:30\s?PM GMT\+5:30/, 'a 12-hour range, the zone named');
    await page.goto(`${stack.base}/book?view=week&venue=${venue.id}&date=${day}`);
    await page.getByRole('gridcell', { name: /, 1:00\s?PM–2:30\s?PM, Yours: Format talk$/ }).waitFor();

    await navigate(page, 'Account');
    const choice = page.getByLabel('How dates and times are written');
    await tabTo(page, choice);
    await choice.selectOption({ label: 'Day first, 24-hour clock' });
    await waitForText(page.getByText(/For example:/), /Tue 7 Jan, 14:00–15:30 UTC/, 'the example rewritten');
    await assertAccessible(page, 'Account with the date format choice');
    await navigate(page, 'My bookings');
    await waitForText(card, /13:00–14:30 GMT\+5:30/, 'the same booking, day first and 24-hour');
    assert.doesNotMatch(await card.innerText(), /PM/, 'no 12-hour time left');

    // Kept in this browser: a reload keeps it.
    await page.reload();
    await waitForText(card, /13:00–14:30 GMT\+5:30/, 'after a reload');
  });
});
