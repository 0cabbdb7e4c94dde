import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { given } from './support';
import { assertAccessible, DESKTOP } from './support/browser';
import { startWebStack, type WebStack } from './support/web-stack';
import { navigate, signIn } from './support/web-person';

/**
 * What a super admin cannot take back is asked first, in Chromium over the whole stack: deactivating
 * an account (its bookings are cancelled) and taking a hall admin off a venue; keeping changes
 * nothing, and the answer "Deactivate" / "Remove" does it.
 */
describe('web app: the admin pages ask before what cannot be undone', () => {
  let stack: WebStack;

  before(async () => {
    stack = await startWebStack();
  });
  after(() => stack?.close());

  it('deactivating a member and removing a hall admin each ask first; keeping changes nothing', async () => {
    const make = given(stack.ctx);
    const tag = Math.random().toString(36).slice(2, 7);
    const admin = await make.superAdmin();
    const memberName = `Dora Deactivated ${tag}`;
    const member = await make.member({ fullName: memberName });
    const venue = await make.venue({ name: `Annex ${tag}` });
    const hallName = `Hugo Hall ${tag}`;
    const hallAdmin = await make.hallAdmin(venue, { fullName: hallName });

    const { page } = await stack.person(DESKTOP);
    await signIn(page, admin.email, admin.password);
    await navigate(page, 'Users');
    const deactivate = page.getByRole('button', { name: `Deactivate ${memberName}` });
    await deactivate.click();
    const asked = page.getByRole('dialog', { name: `Deactivate ${memberName}?` });
    await asked.waitFor();
    await assertAccessible(page, 'the deactivate question');
    await asked.getByRole('button', { name: 'Keep the account' }).click();
    await asked.waitFor({ state: 'hidden' });
    const isActive = async () =>
      (await stack.ctx.db.sql<{ is_active: boolean }[]>`select is_active from users where id = ${member.id}`)[0]!
        .is_active;
    assert.equal(await isActive(), true, 'keeping changes nothing');
    await deactivate.click();
    await asked.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('button', { name: `Reactivate ${memberName}` }).waitFor();
    assert.equal(await isActive(), false, 'the answer deactivates');

    await navigate(page, 'Venues');
    await page.getByRole('button', { name: `Remove ${hallName} from ${venue.name}` }).click();
    const removing = page.getByRole('dialog', { name: `Remove ${hallName} from ${venue.name}?` });
    await removing.waitFor();
    await removing.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('button', { name: `Remove ${hallName} from ${venue.name}` }).waitFor({ state: 'detached' });
    const rows = await stack.ctx.db
      .sql`select 1 from venue_admins where venue_id = ${venue.id} and user_id = ${hallAdmin.id}`;
    assert.equal(rows.length, 0, 'the answer removes them');
  });
});
