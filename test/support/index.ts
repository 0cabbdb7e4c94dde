// The fixture kit: what a test stands on, from one import (`from './support'`).
//
// Tests. Each file builds its own context (`createTestContext()`: a database cloned from the
// migrated template, the run's MailDev and Temporal dev server, its own task queue, the real Hono
// app) and closes it in `after`. On it, `given(ctx)` makes the rows a test needs, new each time so
// files and tests run side by side: `venue({ name, timeZone, checkIn, admins })`, `member()`,
// `hallAdmin(venue)`, `superAdmin()`, `newcomer()` (not yet welcomed), and
// `booking(who, venue, { aheadMs | slot })` through the API. `withWorker(ctx)` runs the real worker
// and outbox relay on the dev server until the context closes; `withTimeSkipping(ctx)` the same on a
// fresh time-skipping server, one per test (`stop()` in `afterEach`); `startedWorkflow` waits for the
// relay to start one. `eventually(probe, what)` is the one way to wait for anything (the bench and
// drills use the same function, from scripts/dev/harness/eventually.ts); `ctx.mailbox` reads MailDev
// (`waitFor`, `withKey`). Slots: `slotAhead`, `slotOnDay`, `localParts`, `zoneWithRoom`.
// Venue and user rows are written by scripts/dev/harness/fixtures.ts, as the bench's and drills' are.
//
// Beside the kit, imported from their own files because few tests need them (and some load a
// browser or an SMTP server): web-stack.ts (the API on a port, the worker, Chromium), web-person.ts
// and browser.ts (what a person does in the web app, axe-core), smtp-faults.ts (an SMTP server that
// refuses), webhook-receiver.ts, invitations.ts (calendar invitations as ical.js reads them),
// timers.ts (durable timers read from history), notice-email.ts (one email of the notices room),
// temporal.ts (the bare time-skipping server), database.ts (the per-file database).
export { createTestContext, uniqueEmail, type TestContext, type TestUser } from './context';
export { given, type BookedJson, type Given, type GivenVenue, type VenueRef, type VenueWishes } from './given';
export { withWorker, type Background } from './workers';
export { startedWorkflow, withTimeSkipping, type TimeSkippingStack } from './lifecycle';
export { eventually } from '../../scripts/dev/harness/eventually';
export { localParts, slotAhead, slotOnDay, zoneWithRoom, type LocalSlot, type TimedSlot } from './slots';
export type { ReceivedEmail } from './mailbox';
