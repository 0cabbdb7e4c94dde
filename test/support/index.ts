// The fixture kit: what a test stands on, from one import (`from './support'`).
//
// Tests. A test file builds its own context in `before` (`createTestContext()`: a database cloned
// from the migrated template, the run's MailDev and Temporal dev server, a task queue of its own,
// the real Hono app) and closes it in `after`; what it starts on the context (`withWorker`,
// `withTimeSkipping`, `withSmtpFaults`, anything handed to `ctx.onClose`) stops with it. `given(ctx)`
// makes the rows a test stands on, new on every call so tests run side by side: `venue({ name,
// timeZone, checkIn, admins })`, `member()`, `hallAdmin(venue)`, `superAdmin()`, `newcomer()` (not
// yet welcomed), and `booking(who, venue, { aheadMs | slot })` through the API. `withWorker(ctx)`
// runs the real worker and outbox relay on the dev server; `withTimeSkipping(ctx)` the same on a
// fresh time-skipping server, one per test (`stop()` it in `afterEach`); `startedWorkflow` waits for
// the relay's start. `eventually(probe, what)` is the one way to wait (the bench and the drills use
// the same function, scripts/dev/harness/eventually.ts); `ctx.mailbox` reads MailDev (`waitFor`,
// `withKey`); the slot helpers are `slotAhead`, `slotOnDay`, `localParts`, `zoneWithRoom`. Venue and
// user rows are written by scripts/dev/harness/fixtures.ts, which writes the bench's and drills' too.
//
// Beside the kit, in files of their own since few tests need them (some load a browser or an SMTP
// server): web-stack.ts, web-person.ts and browser.ts (the whole stack on a port, Chromium, what a
// person does, axe-core), smtp-faults.ts (SMTP servers that refuse), webhook-receiver.ts,
// invitations.ts (calendar invitations as ical.js reads them), timers.ts (durable timers read from
// history), notice-email.ts (one email of the notices room), temporal.ts (the bare time-skipping
// server), database.ts (the per-file database).
export { createTestContext, uniqueEmail, type TestContext, type TestUser } from './context';
export { given, type BookedJson, type Given, type GivenVenue, type VenueRef, type VenueWishes } from './given';
export { withWorker, type Background } from './workers';
export { startedWorkflow, withTimeSkipping, type TimeSkippingStack } from './lifecycle';
export { eventually } from '../../scripts/dev/harness/eventually';
export { localParts, slotAhead, slotOnDay, zoneWithRoom, type LocalSlot, type TimedSlot } from './slots';
export type { ReceivedEmail } from './mailbox';
