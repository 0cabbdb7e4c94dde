import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { given, localParts, slotAhead } from './support';
import { assertAccessible, assertFitsWidth, PHONE } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { navigate, signIn } from './support/web-person';

const ZONE = 'Asia/Kolkata';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The group a date falls in, counted here from the venue's today (independently of the app). */
function groupOf(date: string): string {
  const today = localParts(new Date(), ZONE).date;
  const ahead = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY);
  return ahead <= 0 ? 'Today' : ahead === 1 ? 'Tomorrow' : ahead < 7 ? 'This week' : 'Later';
}

/**
 * My bookings as an agenda, in Chromium over the whole stack: bookings made latest-first are listed
 * soonest first, under Today, Tomorrow, This week and Later by their date on the venue's clock.
 */
describe('web app: my bookings as an agenda', () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  it('bookings made latest-first read soonest first, each under its day', async () => {
    const make = given(stack.ctx);
    const venue = await make.venue({ name: `Agenda Hall ${Math.random().toString(36).slice(2, 7)}`, timeZone: ZONE });
    const member = await make.member({ fullName: 'Ada Agenda' });
    // Made in the opposite order to their starts.
    const wanted = [
      { name: 'Far seminar', when: slotAhead(20 * DAY, HOUR, ZONE) },
      { name: 'Next-day lab', when: slotAhead(DAY + 2 * HOUR, HOUR, ZONE) },
      { name: 'Soon meeting', when: slotAhead(3 * HOUR, HOUR, ZONE) },
    ];
    for (const { name, when } of wanted)
      await make.booking(member, venue, {
        slot: { date: when.date, start_time: when.start_time, end_time: when.end_time },
        eventName: name,
      });

    const { page } = await stack.person(PHONE);
    await signIn(page, member.email, member.password);
    await navigate(page, 'My bookings');
    await page.getByRole('heading', { level: 3, name: 'Far seminar' }).waitFor();
    const sections = page.locator('section.agenda-group');
    const shown: Array<[string, string[]]> = [];
    for (let i = 0; i < (await sections.count()); i++) {
      const section = sections.nth(i);
      const heading = (await section.getByRole('heading', { level: 2 }).innerText()).trim();
      const names = (await section.getByRole('heading', { level: 3 }).allInnerTexts()).map((text) => text.trim());
      shown.push([heading, names]);
    }
    // Soonest first overall, each under the heading its date implies, groups in day order.
    const expected: Array<[string, string[]]> = [];
    for (const { name, when } of [...wanted].reverse()) {
      const group = groupOf(when.date);
      const last = expected.at(-1);
      if (last && last[0] === group) last[1].push(name);
      else expected.push([group, [name]]);
    }
    assert.deepEqual(shown, expected);
    await assertAccessible(page, 'my bookings as an agenda');
    await assertFitsWidth(page, 'my bookings as an agenda');
  });
});
