// `npm run screenshots`: every page of the web app at 1280 and 375 px wide, written to
// docs/screenshots/<page>-<width>.png. Starts a throwaway stack (PostgreSQL, Temporal, MailDev, one
// worker, one API), fills it through the API with what a small campus would have (venues, people,
// bookings in each state, a waitlist offer, an announcement), then opens each page as its user.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFAULT_PASSWORD_HASH_COST, hashPassword } from '../src/auth/passwords';
import { loadConfig } from '../src/config/config';
import { findChromium } from '../src/dev/chromium';
import { startCluster, stopOnInterrupt, type Cluster } from '../src/dev/harness/cluster';
import { call, waitFor } from '../src/dev/harness/fixtures';
import { say } from '../src/dev/progress';
import { runMain } from '../src/process/lifecycle';
import { buildWebApp } from '../web/build';

const OUT_DIR = path.resolve(import.meta.dirname, '../docs/screenshots');
const WIDTHS = [1280, 375] as const;
const PASSWORD = 'screenshot-password-1234';
const ZONE = 'Asia/Kolkata';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Person {
  id: number;
  email: string;
  token: string;
}

/** One picture: whose browser, which path, and what to wait for (or do) before taking it. */
interface Shot {
  name: string;
  who: Person;
  path: string;
  ready?: (page: Page) => Promise<void>;
}

runMain(async () => {
  const config = loadConfig();
  // The pages of this checkout, not an earlier build's.
  await buildWebApp();
  const chromiumPath = findChromium(config.chromiumPath);
  if (!chromiumPath) throw new Error('No Chromium found: install Debian\'s chromium or set CHROMIUM_PATH');
  const cluster = await startCluster({ apis: 1, workers: 1, label: 'screenshots', env: { BOOKIT_ADMIN_EMAIL: 'admin@campus.example', BOOKIT_ADMIN_PASSWORD: PASSWORD } });
  stopOnInterrupt(cluster);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const shots = await furnish(cluster);
    await mkdir(OUT_DIR, { recursive: true });
    for (const width of WIDTHS) {
      for (const shot of shots) await take(browser, cluster.apis[0]!.url!, shot, width);
    }
    say(`wrote ${shots.length * WIDTHS.length} screenshots to ${path.relative(process.cwd(), OUT_DIR)}`);
  } finally {
    await browser.close();
    await cluster.stop();
  }
});

async function furnish(cluster: Cluster): Promise<Shot[]> {
  const api = cluster.apis[0]!.url!;
  const hash = await hashPassword(PASSWORD, DEFAULT_PASSWORD_HASH_COST);
  const person = async (fullName: string, role: string, mustChange = false): Promise<Person> => {
    const email = `${fullName.split(' ')[0]!.toLowerCase()}@campus.example`;
    const [row] = await cluster.sql<{ id: number }[]>`
      insert into users (email, full_name, role, password_hash, must_change_password) values (${email}, ${fullName}, ${role}, ${hash}, ${mustChange}) returning id`;
    const login = await call<{ access: string }>(api, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } });
    return { id: row!.id, email, token: login.body.access };
  };
  const admin = await person('Ada Lovelace', 'super_admin');
  const hallAdmin = await person('Grace Hopper', 'hall_admin');
  const member = await person('Maya Patel', 'member');
  const other = await person('Omar Haddad', 'member');
  const newcomer = await person('Nia Okafor', 'member', true);

  const venue = async (name: string, location: string, capacity: number) =>
    (await call<{ id: number }>(api, 'POST', '/api/venues', { token: admin.token, body: { name, location, capacity, time_zone: ZONE } })).body.id;
  const auditorium = await venue('Main Auditorium', 'Block A, ground floor', 400);
  const lab = await venue('Robotics Lab', 'Block C, 2nd floor', 30);
  await venue('Seminar Hall 2', 'Library annex', 80);
  await call(api, 'POST', `/api/venues/${auditorium}/assign_admin`, { token: admin.token, body: { user_id: hallAdmin.id } });
  await call(api, 'PATCH', `/api/venues/${lab}`, { token: admin.token, body: { check_in: { required: true, opens_before_minutes: 15, closes_after_minutes: 15 } } });

  const local = (at: number) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at)).map((p) => [p.type, p.value]));
    return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
  };
  const dayAt = (days: number, hour: number, hours: number) => {
    const { date } = local(Date.now() + days * DAY);
    const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
    return { date, start_time: hh(hour), end_time: hh(hour + hours) };
  };
  const book = async (who: Person, venueId: number, slot: { date: string; start_time: string; end_time: string }, eventName: string) =>
    (await call<{ id: number }>(api, 'POST', '/api/bookings', { token: who.token, body: { venue: venueId, ...slot, event_name: eventName, event_details: 'Projector and microphones, please.' } })).body.id;

  // Soon: inside the reminder lead, so it asks to be confirmed.
  const soonStart = Math.ceil((Date.now() + 6 * HOUR) / HOUR) * HOUR;
  const soon = local(soonStart);
  const remindedId = await book(member, lab, { date: soon.date, start_time: soon.time, end_time: local(soonStart + HOUR).time }, 'Drone workshop');
  const confirmedId = await book(member, auditorium, dayAt(3, 10, 2), 'Annual design review');
  await call(api, 'POST', `/api/bookings/${confirmedId}/confirm`, { token: member.token });
  const cancelledId = await book(member, lab, dayAt(4, 15, 1), 'Soldering basics');
  await call(api, 'POST', `/api/bookings/${cancelledId}/cancel`, { token: member.token, body: { reason: 'Instructor is away' } });
  await book(other, auditorium, dayAt(3, 14, 2), 'Guest lecture');

  // An offer: Omar holds a slot Maya waits for, then lets it go.
  const wanted = dayAt(6, 9, 2);
  const heldId = await book(other, auditorium, wanted, 'Hackathon kickoff');
  await call(api, 'POST', '/api/waitlist/check_and_join', { token: member.token, body: { venue: auditorium, ...wanted } });
  await call(api, 'POST', `/api/bookings/${heldId}/cancel`, { token: other.token, body: { reason: 'Moved online' } });
  await waitFor(async () => {
    const [row] = await cluster.sql<{ status: string }[]>`select status from waitlist_entries where user_id = ${member.id}`;
    return row?.status === 'offered';
  }, 'the waitlist offer', 60_000);
  await waitFor(async () => {
    const [row] = await cluster.sql<{ reminder_sent: boolean }[]>`select reminder_sent from bookings where id = ${remindedId}`;
    return row?.reminder_sent;
  }, 'the reminder', 60_000);
  await call(api, 'POST', '/api/notifications/broadcast', { token: admin.token, body: { title: 'Library closed on Friday', message: 'The library annex is closed for maintenance this Friday.' } });

  const heading = (name: string) => async (page: Page) => {
    await page.getByRole('heading', { level: 1, name }).waitFor();
  };
  return [
    { name: 'sign-in', who: { id: 0, email: '', token: '' }, path: '/sign-in', ready: heading('Sign in') },
    { name: 'change-password', who: newcomer, path: '/change-password', ready: heading('Choose a new password') },
    { name: 'my-bookings', who: member, path: '/bookings', ready: async (page) => { await page.getByText('Drone workshop').first().waitFor(); } },
    { name: 'booking', who: member, path: `/bookings/${remindedId}`, ready: heading('Drone workshop') },
    { name: 'book-a-venue', who: member, path: `/venues/${auditorium}`, ready: async (page) => { await page.getByRole('heading', { level: 1, name: 'Book a venue' }).waitFor(); await page.getByLabel('Date').fill(dayAt(3, 0, 1).date); await page.getByText('Annual design review').first().waitFor(); } },
    { name: 'waitlist-offer', who: member, path: '/waitlist', ready: async (page) => { await page.getByRole('timer').first().waitFor(); } },
    { name: 'notifications', who: member, path: '/notifications', ready: async (page) => { await page.getByText('Library closed on Friday').first().waitFor(); } },
    { name: 'bell', who: member, path: '/bookings', ready: async (page) => { await page.getByRole('button', { name: /^Notifications, [1-9]\d* unread$/ }).click(); await page.getByText('Library closed on Friday').first().waitFor(); } },
    { name: 'venue-bookings', who: hallAdmin, path: '/venue-bookings', ready: async (page) => { await page.getByText('Annual design review').first().waitFor(); } },
    { name: 'admin-users', who: admin, path: '/admin/users', ready: async (page) => { await page.getByText('Maya Patel').first().waitFor(); } },
    { name: 'admin-venues', who: admin, path: '/admin/venues', ready: async (page) => { await page.getByText('Robotics Lab').first().waitFor(); } },
    { name: 'admin-announce', who: admin, path: '/admin/broadcast', ready: heading('Announce') },
    { name: 'admin-email-log', who: admin, path: '/admin/emails', ready: async (page) => { await page.getByText('maya@campus.example').first().waitFor(); } },
    { name: 'account', who: member, path: '/profile', ready: heading('Account') },
    { name: 'settings', who: hallAdmin, path: '/settings', ready: async (page) => { await page.getByRole('checkbox', { name: 'Email: Booking made' }).waitFor(); } },
    { name: 'not-found', who: other, path: `/bookings/${confirmedId}`, ready: heading('Not found') },
  ];
}

async function take(browser: Browser, base: string, shot: Shot, width: number): Promise<void> {
  const context = await browser.newContext({ baseURL: base, viewport: { width, height: width > 600 ? 800 : 740 }, locale: 'en-GB', timezoneId: ZONE });
  try {
    const page = await context.newPage();
    if (shot.who.email) {
      await page.goto('/sign-in');
      await page.getByLabel('Email').fill(shot.who.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ state: 'hidden' });
    }
    await page.goto(shot.path);
    await shot.ready?.(page);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(OUT_DIR, `${shot.name}-${width}.png`), fullPage: true });
  } finally {
    await context.close();
  }
}
