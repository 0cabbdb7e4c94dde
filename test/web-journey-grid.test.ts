import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { eventually, given, localParts } from './support';
import { assertAccessible, assertFitsWidth, DESKTOP, PHONE, tabTo } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { assertNotReloaded, markPage, navigate, signIn, waitForText } from './support/web-person';

const ZONE = 'Asia/Kolkata';
const DAY = 86_400_000;

/** The first Tuesday at least two days ahead, on the venue's clock. */
function nextTuesday(): string {
  for (let ahead = 2; ; ahead++) {
    const parts = localParts(new Date(Date.now() + ahead * DAY), ZONE);
    if (new Date(`${parts.date}T12:00:00Z`).getUTCDay() === 2) return parts.date;
  }
}

/** The accessible name of the grid cell that has focus. */
const focusedCell = (page: Page) =>
  page.evaluate('document.activeElement && document.activeElement.getAttribute("aria-label")') as Promise<
    string | null
  >;

/** Arrow keys along the row until the focused cell's name matches, as a person watching the focus would. */
async function arrowTo(page: Page, pattern: RegExp, what: string): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    const before = (await focusedCell(page)) ?? '';
    if (pattern.test(before)) return;
    await page.keyboard.press('ArrowRight');
    await eventually(async () => (await focusedCell(page)) !== before, 'the focus to move on');
  }
  assert.fail(`the arrow keys never reached ${what}; last: ${await focusedCell(page)}`);
}

/**
 * The booking grid as a member lives it in Chromium over the whole stack: venues × hours for a
 * day, filtered by seats and amenities; free time chosen by keyboard and by dragging; another
 * member's booking appearing without a reload; a clash answered with the nearest free times.
 */
describe('web app: the booking grid', () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  it('finds a room for 60 people with a projector on Tuesday and books 13:00–14:00 in it from the grid with the keyboard alone; a clash keeps what was typed and offers the nearest free times; on a phone the page fits and a week is dragged across', async () => {
    const make = given(stack.ctx);
    const tag = Math.random().toString(36).slice(2, 7);
    const big = await make.venue({ name: `Great Hall ${tag}`, capacity: 80, timeZone: ZONE });
    const plain = await make.venue({ name: `Lecture Room ${tag}`, capacity: 70, timeZone: ZONE });
    const small = await make.venue({ name: `Seminar Room ${tag}`, capacity: 20, timeZone: ZONE });
    const admin = await make.superAdmin();
    for (const [venue, amenities] of [
      [big, ['Projector', 'Whiteboard']],
      [plain, ['Whiteboard']],
      [small, ['Projector']],
    ] as const) {
      const answer = await stack.ctx.request('PATCH', `/api/venues/${venue.id}`, {
        token: admin.token,
        body: { amenities },
      });
      assert.equal(answer.status, 200, await answer.clone().text());
    }
    const [member, other] = [await make.member({ fullName: 'Gina Grid' }), await make.member()];
    const tuesday = nextTuesday();
    await make.booking(other, big, {
      slot: { date: tuesday, start_time: '10:00', end_time: '12:00' },
      eventName: 'Board meeting',
    });

    const { page } = await stack.person(DESKTOP);
    await signIn(page, member.email, member.password);
    await tabTo(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Book a venue' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Book a venue' }).waitFor();

    // What the grid shows, by keyboard: the day, the seats, the projector.
    // (The date field's typing order follows the browser's language; fill writes the date itself.)
    await tabTo(page, page.getByLabel('Day shown'));
    await page.getByLabel('Day shown').fill(tuesday);
    await tabTo(page, page.getByLabel('Seats at least'));
    await page.keyboard.type('60');
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('checkbox', { name: 'Projector' }));
    await page.keyboard.press('Space');
    const grid = page.getByRole('grid');
    await eventuallyRows(page, [big.name]);
    assert.deepEqual(
      Object.fromEntries(new URL(page.url()).searchParams),
      { date: tuesday, capacity: '60', amenities: 'Projector' },
      'what the grid shows is the address',
    );
    const taken = grid.getByRole('gridcell', { name: `${big.name}, 10:00–12:00, Booked`, exact: true });
    await taken.waitFor();
    assert.doesNotMatch(await grid.innerText(), /Board meeting/, "another member's event stays theirs");
    await assertAccessible(page, 'the grid filtered to one room');

    // Into the grid (one tab stop), along the row to 13:00, an hour long, Enter.
    await tabTo(page, grid.locator('[role="gridcell"][tabindex="0"]'));
    await arrowTo(page, /, 13:00–13:30, free/, '13:00');
    await page.keyboard.press('Shift+ArrowRight');
    await eventually(
      async () => /13:30–14:00, free, chosen/.test((await focusedCell(page)) ?? ''),
      'Shift+arrow widening the choice to 14:00',
    );
    await page.keyboard.press('Enter');
    await eventuallyFocused(page, 'Event name');
    assert.deepEqual(
      [
        await page.getByLabel('Venue').inputValue(),
        await page.getByLabel('Date').inputValue(),
        await page.getByLabel('Start time').inputValue(),
        await page.getByLabel('End time').inputValue(),
      ],
      [String(big.id), tuesday, '13:00', '14:00'],
      `the form holds what the grid chose`,
    );
    await page.keyboard.type('Product launch');
    await tabTo(page, page.getByRole('button', { name: 'Book', exact: true }));
    await page.keyboard.press('Enter');
    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Booked:/ })
        .first(),
      /^Booked: Product launch, .+, 13:00–14:00 GMT\+5:30/,
      'the page says it is booked',
    );
    await grid.getByRole('gridcell', { name: `${big.name}, 13:00–14:00, Yours: Product launch` }).waitFor();

    // A clash: 10:30–11:30 typed by hand; what was typed stays, the nearest free hours are offered.
    await page.getByLabel('Start time').fill('10:30');
    await page.getByLabel('End time').fill('11:30');
    await page.getByLabel('Event name').fill('Press briefing');
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await waitForText(page.getByRole('alert').first(), /already booked/, 'the clash is explained');
    const nearest = page.getByRole('list', { name: 'Free nearby, as long:' });
    assert.deepEqual(
      await nearest.getByRole('button').allInnerTexts(),
      ['09:00–10:00', '12:00–13:00', '14:00–15:00'],
      'the nearest free hours, nearest first',
    );
    assert.equal(await page.getByRole('button', { name: 'Join the waitlist' }).count(), 1, 'the waitlist is offered');
    await assertAccessible(page, 'a clash with the nearest free times');
    await tabTo(page, nearest.getByRole('button', { name: 'Use 12:00–13:00 instead' }));
    await page.keyboard.press('Enter');
    assert.equal(await page.getByLabel('Event name').inputValue(), 'Press briefing', 'what was typed stays');
    await page.getByRole('button', { name: 'Book', exact: true }).click();
    await waitForText(
      page
        .getByRole('status')
        .filter({ hasText: /Booked:/ })
        .first(),
      /^Booked: Press briefing, .+, 12:00–13:00 GMT\+5:30/,
      'the nearer time is booked',
    );

    // On a phone: the page fits; the big hall's week, a drag on Wednesday 09:00–10:30.
    const { page: phone } = await stack.person(PHONE);
    await signIn(phone, member.email, member.password);
    await phone.goto(`${stack.base}/book?date=${tuesday}`);
    const phoneGrid = phone.getByRole('grid');
    await phoneGrid.getByRole('gridcell', { name: `${big.name}, 12:00–13:00, Yours: Press briefing` }).waitFor();
    await assertAccessible(phone, 'the grid on a phone');
    await assertFitsWidth(phone, 'the grid on a phone');
    await phoneGrid.getByRole('link', { name: big.name }).click();
    await phone.getByRole('heading', { level: 2, name: new RegExp(`^${big.name}, the week from`) }).waitFor();
    const wednesday = new Date(Date.parse(`${tuesday}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
    const wednesdayRow = phoneGrid.getByRole('row').filter({ has: phone.getByRole('rowheader', { name: /^Wed / }) });
    const from = wednesdayRow.getByRole('gridcell', { name: /, 09:00–09:30, free$/ });
    const to = wednesdayRow.getByRole('gridcell', { name: /, 10:00–10:30, free$/ });
    await from.scrollIntoViewIfNeeded();
    const [a, b] = [await from.boundingBox(), await to.boundingBox()];
    assert.ok(a && b, 'both ends of the drag are drawn');
    await phone.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await phone.mouse.down();
    await phone.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await phone.mouse.up();
    await eventuallyFocused(phone, 'Event name');
    assert.deepEqual(
      [
        await phone.getByLabel('Date').inputValue(),
        await phone.getByLabel('Start time').inputValue(),
        await phone.getByLabel('End time').inputValue(),
      ],
      [wednesday, '09:00', '10:30'],
      'the dragged stretch is in the form',
    );
    await assertAccessible(phone, "a venue's week on a phone");
    await assertFitsWidth(phone, "a venue's week on a phone");
  });

  it("another member's booking appears in the open grid, and goes when they cancel it, without a reload", async () => {
    const make = given(stack.ctx);
    const venue = await make.venue({ name: `Studio ${Math.random().toString(36).slice(2, 7)}`, timeZone: ZONE });
    const [viewer, other] = [await make.member({ fullName: 'Vera Viewer' }), await make.member()];
    const day = localParts(new Date(Date.now() + 4 * DAY), ZONE).date;

    const { page } = await stack.person(DESKTOP);
    await signIn(page, viewer.email, viewer.password);
    await page.goto(`${stack.base}/book?view=week&venue=${venue.id}&date=${day}`);
    const grid = page.getByRole('grid');
    const firstRow = grid.getByRole('row').nth(1);
    await firstRow.getByRole('gridcell', { name: /, 10:00–10:30, free$/ }).waitFor();
    await markPage(page);

    const { booking } = await make.booking(other, venue, {
      slot: { date: day, start_time: '10:00', end_time: '11:30' },
      eventName: 'Rehearsal',
    });
    const theirs = firstRow.getByRole('gridcell', { name: /, 10:00–11:30, Booked$/ });
    await theirs.waitFor();
    assert.doesNotMatch(await grid.innerText(), /Rehearsal/, "another member's event stays theirs");

    const cancelled = await stack.ctx.request('POST', `/api/bookings/${booking.id}/cancel`, { token: other.token });
    assert.equal(cancelled.status, 200);
    await firstRow.getByRole('gridcell', { name: /, 10:00–10:30, free$/ }).waitFor();
    assert.equal(await theirs.count(), 0, 'their cancel frees the time again');
    await assertNotReloaded(page);
  });
});

/** Waits until the grid's rows are these venues. */
async function eventuallyRows(page: Page, names: string[]): Promise<void> {
  const rows = page.getByRole('grid').getByRole('rowheader');
  const shown = async () => (await rows.allInnerTexts()).map((text) => text.replace(/ · \d+ seats$/, ''));
  await eventually(async () => JSON.stringify(await shown()) === JSON.stringify(names), `the rows ${names.join(', ')}`);
}

/** Waits until the field labelled so has focus. */
async function eventuallyFocused(page: Page, label: string): Promise<void> {
  const focused = `document.activeElement && document.activeElement.labels && [...document.activeElement.labels].some((l) => l.textContent === ${JSON.stringify(label)})`;
  await eventually(async () => (await page.evaluate(focused)) === true, `focus on ${label}`);
}
