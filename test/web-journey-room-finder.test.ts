import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { given, localParts } from './support';
import { assertAccessible, assertFitsWidth, DESKTOP, PHONE, tabTo } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { navigate, signIn, waitForText } from './support/web-person';
import { dayOfDate } from '../web/src/format/zoned-time';

const ZONE = 'Asia/Kolkata';
const DAY = 86_400_000;

/** The results region is labelled by its heading, which counts the rooms found. */
const RESULTS = /room(s)? free on|Searching…|could not be answered/;

/**
 * Finding a free room as a member lives it in Chromium over the whole stack: two venues with
 * seats and amenities, one of them booked in the middle of the morning asked about; the search is
 * the page's address, its free times lead to the Book page, and a search that finds nothing says so.
 */
describe('web app: finding a free room', () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  it('50 people with a projector, 09:00–13:00 five days ahead: only the big hall, free 09:00–10:00 and 12:00–13:00 around its booking; "12:00–13:00" opens the Book page and books it; on a phone the shared search shows what is left, and asking for 500 people finds nothing', async () => {
    const make = given(stack.ctx);
    const tag = Math.random().toString(36).slice(2, 7);
    const big = await make.venue({ name: `Great Hall ${tag}`, capacity: 80, timeZone: ZONE });
    const small = await make.venue({ name: `Seminar Room ${tag}`, capacity: 20, timeZone: ZONE });
    const admin = await make.superAdmin();
    for (const [venue, facts] of [
      [big, { amenities: ['Projector', 'Whiteboard'], building: 'Main block', floor: '2' }],
      [small, { amenities: ['Projector'], building: 'Annexe', floor: '1' }],
    ] as const) {
      const answer = await stack.ctx.request('PATCH', `/api/venues/${venue.id}`, { token: admin.token, body: facts });
      assert.equal(answer.status, 200, await answer.clone().text());
    }
    const [member, other] = [await make.member({ fullName: 'Fay Finder' }), await make.member()];
    const day = localParts(new Date(Date.now() + 5 * DAY), ZONE).date;
    await make.booking(other, big, { slot: { date: day, start_time: '10:00', end_time: '12:00' }, eventName: 'Board' });

    // On a desktop: the search, from the main navigation.
    const { page } = await stack.person(DESKTOP);
    await signIn(page, member.email, member.password);
    await navigate(page, 'Find a room');
    await page.getByRole('heading', { level: 1, name: 'Find a room' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/find');
    await page.getByLabel('Date').fill(day);
    await page.getByLabel('From').fill('09:00');
    await page.getByLabel('To', { exact: true }).fill('13:00');
    await page.getByLabel('Number of people').fill('50');
    await page.getByRole('checkbox', { name: 'Projector' }).check();
    await assertAccessible(page, 'the room finder before a search');
    await tabTo(page, page.getByRole('button', { name: 'Find rooms' }));
    await page.keyboard.press('Enter');

    const results = page.getByRole('region', { name: RESULTS });
    const heading = `1 room free on ${dayOfDate(day)}, 09:00–13:00`;
    await waitForText(results.getByRole('heading', { level: 2 }), new RegExp(`^${heading}$`), 'the count of rooms');
    const cards = results.getByRole('article');
    assert.equal(await cards.count(), 1, 'only the big hall seats 50 with a projector');
    const card = page.getByRole('article', { name: big.name });
    const text = await card.innerText();
    for (const fact of ['Main block, floor 2', '80', 'Projector, Whiteboard', 'Asia/Kolkata (GMT+5:30)'])
      assert.ok(text.includes(fact), `the card says ${fact}: ${JSON.stringify(text)}`);
    assert.deepEqual(
      await card.getByRole('link').allInnerTexts(),
      ['09:00–10:00', '12:00–13:00'],
      'the free times around the booking, each a way to book',
    );
    assert.equal(
      await card.getByRole('link', { name: `12:00–13:00, book ${big.name}`, exact: true }).count(),
      1,
      'each time names what it books',
    );
    const asked = new URL(page.url()).searchParams;
    assert.deepEqual(
      Object.fromEntries(asked),
      { date: day, from: '09:00', to: '13:00', capacity: '50', amenities: 'Projector' },
      'the search is in the address',
    );
    await assertAccessible(page, 'the room finder with a room found');
    const shared = page.url();

    // Reloaded, the address asks the same again.
    await page.reload();
    await waitForText(
      page.getByRole('region', { name: RESULTS }).getByRole('heading', { level: 2 }),
      new RegExp(`^${heading}$`),
      'the count of rooms after a reload',
    );
    assert.equal(await page.getByLabel('Number of people').inputValue(), '50', 'the form shows the search');
    assert.equal(await page.getByRole('checkbox', { name: 'Projector' }).isChecked(), true);

    // "12:00–13:00" by keyboard: the Book page for the big hall.
    await tabTo(page, page.getByRole('link', { name: `12:00–13:00, book ${big.name}` }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Book a venue' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/venues/${big.id}`);
    assert.equal(await page.getByLabel('Venue').inputValue(), String(big.id), 'the big hall is chosen');
    assert.deepEqual(
      [
        await page.getByLabel('Date').inputValue(),
        await page.getByLabel('Start time').inputValue(),
        await page.getByLabel('End time').inputValue(),
      ],
      [day, '12:00', '13:00'],
      'the free time comes filled in',
    );
    await page.getByLabel('Event name').fill('Product launch');
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Booked:/ })
        .first(),
      /^Booked: Product launch, .+, 12:00–13:00 GMT\+5:30/,
      'the Book page says it is booked',
    );
    assert.equal(
      await page.evaluate("document.activeElement?.closest('.booking-outcome') !== null"),
      true,
      'focus moved to the answer (scrolled into view), where its next step is',
    );
    const [booked] = await stack.ctx.db.sql<{ venue_id: number; starts: string; ends: string }[]>`
      select venue_id, to_char(lower(during) at time zone ${ZONE}, 'YYYY-MM-DD HH24:MI') as starts,
        to_char(upper(during) at time zone ${ZONE}, 'HH24:MI') as ends
      from bookings where user_id = ${member.id} and status = 'active'`;
    assert.deepEqual({ ...booked }, { venue_id: big.id, starts: `${day} 12:00`, ends: '13:00' }, 'the booking stored');

    // On a phone, from the shared address: what is left of the morning.
    const { page: phone } = await stack.person(PHONE);
    await signIn(phone, member.email, member.password, new URL(shared).pathname + new URL(shared).search);
    const phoneResults = phone.getByRole('region', { name: RESULTS });
    await waitForText(phoneResults.getByRole('heading', { level: 2 }), new RegExp(`^${heading}$`), 'the count');
    const phoneCard = phone.getByRole('article', { name: big.name });
    await waitForText(phoneCard.getByRole('list'), /^09:00–10:00/, 'the free time left');
    assert.deepEqual(await phoneCard.getByRole('link').allInnerTexts(), ['09:00–10:00']);
    await assertFitsWidth(phone, 'the room finder on a phone');
    await assertAccessible(phone, 'the room finder on a phone');

    // Asking for 500 people finds nothing, and says so; Back shows the search before.
    await phone.getByLabel('Number of people').fill('500');
    await phone.getByRole('button', { name: 'Find rooms' }).click();
    await waitForText(
      phoneResults,
      /No room free on .+\s+No room is free then; try another time or fewer requirements\./,
      'the page says nothing is free',
    );
    assert.equal(new URL(phone.url()).searchParams.get('capacity'), '500');
    assert.equal(await phone.getByRole('article').count(), 0);
    await assertFitsWidth(phone, 'the room finder finding nothing');
    await assertAccessible(phone, 'the room finder finding nothing');
    await phone.goBack();
    await waitForText(phoneResults.getByRole('heading', { level: 2 }), new RegExp(`^${heading}$`), 'the search before');
    assert.equal(await phone.getByLabel('Number of people').inputValue(), '50', 'the form follows the address');

    // A "to" before "from" is refused with the server's sentence.
    await phone.getByLabel('From').fill('13:00');
    await phone.getByLabel('To', { exact: true }).fill('09:00');
    await phone.getByRole('button', { name: 'Find rooms' }).click();
    await waitForText(phoneResults.getByRole('alert'), /"to" must be after "from"/, 'the error');
    await assertFitsWidth(phone, 'the room finder with an error');
  });
});
