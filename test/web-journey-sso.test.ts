import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { tokenFor } from '../scripts/dev/harness/fixtures';
import { given, uniqueEmail, zoneWithRoom } from './support';
import { assertAccessible, DESKTOP } from './support/browser';
import { startIdentityProvider, type TestIdentityProvider } from './support/oidc-provider';
import { startWebStack, type WebStack } from './support/web-stack';
import { waitForText } from './support/web-person';

const HOUR = 3_600_000;

/** What BookIT's pages log as an error (the provider's pages are not ours to judge: its favicon is a 404). */
function consoleErrors(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    const where = message.location().url;
    if (message.type() === 'error' && where.startsWith(origin)) problems.push(`${message.text()} (${where})`);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

/**
 * Single sign-on in Chromium over the whole stack, against a real OpenID Connect provider
 * (oidc-provider) with its own sign-in page, in SSO-only mode: a first sign-in makes the account,
 * the provider's groups make a hall admin of one venue, who lands on the Desk seeing only it, and
 * signing out goes through the provider's end of session; a password signs in only the break-glass
 * super admin.
 */
describe('web app: signing in with the organisation’s identity provider (SSO only)', () => {
  let idp: TestIdentityProvider;
  let stack: WebStack;
  const keeperEmail = uniqueEmail('keeper');

  before(async () => {
    idp = await startIdentityProvider();
    stack = await startWebStack({
      ...idp.env,
      OIDC_DISPLAY_NAME: 'Campus Login',
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_GROUPS_CLAIM: 'groups',
      OIDC_SSO_ONLY: 'true',
      BOOKIT_BREAK_GLASS_EMAIL: keeperEmail,
    });
    idp.register(stack.base);
  });
  after(async () => {
    await stack?.close();
    await idp?.close();
  });

  it('a first sign-in makes the account, its groups make a hall admin of one venue who lands on the Desk seeing only that venue, and signing out ends the provider’s session too', async () => {
    const make = given(stack.ctx);
    const tag = randomBytes(2).toString('hex');
    const zone = zoneWithRoom(Date.now(), Date.now() + 4 * HOUR);
    const banyan = await make.venue({ name: `Banyan Hall ${tag}`, timeZone: zone });
    const cedar = await make.venue({ name: `Cedar Room ${tag}`, timeZone: zone });
    const member = await make.member();
    // Passwords sign nobody in here: the member's token is minted as the fixtures mint them.
    member.token = await tokenFor(stack.ctx.config.auth.jwtSecret, { id: member.id, role: 'member', tokenVersion: 0 });
    await make.booking(member, banyan, { aheadMs: HOUR, durationMs: HOUR / 2, eventName: 'Banyan rehearsal' });
    await make.booking(member, cedar, { aheadMs: HOUR, durationMs: HOUR / 2, eventName: 'Cedar workshop' });
    const [venue] = await stack.ctx.db.sql<{ slug: string }[]>`select slug from venues where id = ${banyan.id}`;
    const slug = venue!.slug;
    const email = uniqueEmail('hana');
    idp.setAccount('hana', { email, email_verified: true, name: 'Hana Hall', groups: [`bookit-hall-admin:${slug}`] });

    const { page } = await stack.person(DESKTOP);
    const problems = consoleErrors(page, stack.base);
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const sso = page.getByRole('link', { name: 'Sign in with Campus Login' });
    await sso.waitFor();
    assert.equal(await page.getByLabel('Email').isVisible(), false, 'no password form in SSO-only mode');
    assert.ok(await page.getByText('Break-glass sign-in').isVisible(), 'but a break-glass way in');
    await assertAccessible(page, 'the SSO-only sign-in page');

    await sso.click();
    await page.getByRole('heading', { name: 'Sign in to the test provider' }).waitFor();
    await page.getByLabel('Username').fill('hana');
    await page.getByLabel('Password').fill('correct horse');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { level: 1, name: 'Desk' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/venue-bookings', 'a hall admin lands on the Desk');
    const day = page.getByRole('region', { name: banyan.name, exact: true });
    await waitForText(day, /Banyan rehearsal/, "the venue's booking is on the desk");
    const main = await page.getByRole('main').innerText();
    assert.ok(!main.includes(cedar.name) && !main.includes('Cedar workshop'), 'and nothing of the other venue');
    const [account] = await stack.ctx.db.sql<{ full_name: string; role: string; password_hash: string | null }[]>`
      select full_name, role, password_hash from users where email = ${email}`;
    assert.deepEqual(account, { full_name: 'Hana Hall', role: 'hall_admin', password_hash: null });

    const logoutsBefore = idp.logouts;
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign out of the test provider?' }).waitFor();
    assert.ok(page.url().startsWith(`${idp.issuer}/session/end`), `at the provider's end of session: ${page.url()}`);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/sign-in', 'back at sign-in');
    assert.equal(idp.logouts, logoutsBefore + 1, "the provider's session ended");

    // The provider forgot the person too: signing in again asks who they are.
    await page.getByRole('link', { name: 'Sign in with Campus Login' }).click();
    await page.getByRole('heading', { name: 'Sign in to the test provider' }).waitFor();
    assert.deepEqual(problems, [], 'no script error or refused request');
  });

  it('a password is refused with the server’s sentence; the break-glass super admin still signs in with one', async () => {
    const make = given(stack.ctx);
    const member = await make.member();
    const keeper = await make.superAdmin({ email: keeperEmail, fullName: 'Keeper of the Keys' });

    const { page } = await stack.person(DESKTOP);
    await page.goto('/sign-in');
    await page.getByText('Break-glass sign-in').click();
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Password').fill(member.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await waitForText(
      page.getByRole('alert'),
      /Password sign-in is turned off: sign in with Campus Login/,
      'the refusal is shown',
    );

    await page.getByLabel('Email').fill(keeper.email);
    await page.getByLabel('Password').fill(keeper.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ state: 'hidden' });
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).waitFor();
  });
});
