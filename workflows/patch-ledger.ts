// Every patch BookIT's workflows ever asked, where it is asked, and how far it is on its way out
// (README, "Deploying new workflow code"). test/patch-ledger.test.ts holds the code and the saved
// histories to it. Not part of the workflow bundle: nothing registered imports it.
//
// A patch retires in three steps, one deploy each, and the saved histories gate each one:
//   patched     `patched(id)` keeps the old branch for runs started before the change.
//   deprecated  `deprecatePatch(id)` and the old branch deleted. Allowed once no run started before
//               the patch's deploy is open (`npm run deploy -- open-runs <types> --started-before <T>`
//               answers 0), and then the saved histories recorded before it (`.v<N>.json` with N
//               below `recorded`) are deleted and listed in RETIRED_HISTORIES.
//   removed     the call deleted. Allowed once no run that recorded the patch undeprecated is open,
//               and no saved history holds such a marker.
// A pinned workflow type (workflows/versioning.ts) needs no new patch: its runs finish on the
// version they started on. Its old patches still go by these steps, for runs started unversioned.

export type PatchState = 'patched' | 'deprecated' | 'removed';

/** One file that asks the patch, the workflow types that run that code, and the step it is at there. */
export interface PatchSite {
  file: string;
  workflows: string[];
  state: PatchState;
}

export interface PatchEntry {
  id: string;
  /** What the patched branch does that the old one did not. */
  change: string;
  /** The recording (RECORDING in test/replay/record-histories.ts) that first holds its marker. */
  recorded: `v${number}`;
  sites: PatchSite[];
  /** What the next step waits for. */
  next: string;
}

export const PATCH_LEDGER: PatchEntry[] = [
  {
    id: 'wake-on-signal-during-read',
    change: 'a signal that lands while the row is being read still wakes the sleep that follows',
    recorded: 'v2',
    sites: [{ file: 'workflows/retired/booking.ts', workflows: ['bookingWorkflow'], state: 'removed' }],
    next: 'nothing: gone with bookingWorkflow (v11)',
  },
  {
    id: 'database-steps-as-local-activities',
    change: 'reads and conditional updates run as local activities inside the workflow task',
    recorded: 'v3',
    sites: [{ file: 'workflows/database-steps.ts', workflows: ['slotOfferWorkflow'], state: 'deprecated' }],
    next: 'remove once no slot offer started before the deploy of v11 is open, and the slot-offer histories up to v10 (undeprecated markers) are retired',
  },
  {
    id: 'emails-as-activities',
    change: 'emails are activities of the deciding workflow, not abandoned child workflows',
    recorded: 'v4',
    sites: [
      {
        file: 'workflows/retired/send-email.ts',
        workflows: ['bookingWorkflow', 'slotOfferWorkflow', 'userOnboardingWorkflow', 'venueAssignmentWorkflow'],
        state: 'removed',
      },
    ],
    next: 'nothing: it was asked only on the per-email path before one-notices-pipeline, gone in v11',
  },
  {
    id: 'reissue-lost-reminder',
    change: 'a reminder the row records but this run never sent is sent',
    recorded: 'v4',
    sites: [{ file: 'workflows/retired/booking.ts', workflows: ['bookingWorkflow'], state: 'removed' }],
    next: 'nothing: gone with bookingWorkflow (v11)',
  },
  {
    id: 'settle-every-offer-by-its-row',
    change: 'every offer is settled by its row, whichever of the claim and the window end came first',
    recorded: 'v6',
    sites: [{ file: 'workflows/slot-offer.ts', workflows: ['slotOfferWorkflow'], state: 'deprecated' }],
    next: 'remove once no slot offer started before the deploy of v11 is open, and the slot-offer histories up to v10 are retired',
  },
  {
    id: 'check-in-window',
    change: 'a venue asking for check-in holds the booking until its window closes, then releases a no-show',
    recorded: 'v7',
    sites: [{ file: 'workflows/booking-lifecycle.ts', workflows: ['bookingLifecycleWorkflow'], state: 'patched' }],
    next: 'deprecate once no booking started before its deploy is open (bookings sleep up to BOOKIT_BOOKING_HORIZON), then retire the booking histories before v7',
  },
  {
    id: 'notify-reschedule',
    change: 'the booker is told of a new time, with the updated calendar invitation',
    recorded: 'v7',
    sites: [{ file: 'workflows/booking-lifecycle.ts', workflows: ['bookingLifecycleWorkflow'], state: 'patched' }],
    next: 'deprecate once no booking started before its deploy is open, then retire the booking histories before v7',
  },
  {
    id: 'min-confirm-window',
    change: 'cancelled for silence only after being asked: a late reminder names a deadline W after it',
    recorded: 'v8',
    sites: [{ file: 'workflows/booking-lifecycle.ts', workflows: ['bookingLifecycleWorkflow'], state: 'patched' }],
    next: 'deprecate once no booking started before its deploy is open, then retire the booking histories before v8',
  },
  {
    id: 'one-notices-pipeline',
    change: 'every notice goes through the notices room (recordNotice, deliverNotice)',
    recorded: 'v9',
    sites: [
      { file: 'workflows/booking-lifecycle.ts', workflows: ['bookingLifecycleWorkflow'], state: 'patched' },
      { file: 'workflows/slot-offer.ts', workflows: ['slotOfferWorkflow'], state: 'deprecated' },
      {
        file: 'workflows/user-onboarding.ts',
        workflows: ['userOnboardingWorkflow', 'venueAssignmentWorkflow'],
        state: 'deprecated',
      },
      { file: 'workflows/daily-digest.ts', workflows: ['dailyDigestWorkflow'], state: 'deprecated' },
      { file: 'workflows/broadcast.ts', workflows: ['broadcastWorkflow'], state: 'deprecated' },
    ],
    next: 'bookings: deprecate once no booking started before its deploy is open, then retire the booking histories before v9 and workflows/retired/; elsewhere: remove once the histories up to v10 are retired',
  },
  {
    id: 'approvals',
    change: 'a booking at a venue whose staff approve bookings waits for their decision first',
    recorded: 'v10',
    sites: [{ file: 'workflows/booking-lifecycle.ts', workflows: ['bookingLifecycleWorkflow'], state: 'patched' }],
    next: 'deprecate once no booking started before its deploy is open, then retire the booking histories before v10',
  },
];

/** Workflow types whose code is gone, and the check that let it go. */
export const RETIRED_WORKFLOW_TYPES: { type: string; retiredIn: `v${number}`; proof: string }[] = [
  {
    type: 'bookingWorkflow',
    retiredIn: 'v11',
    proof:
      '`npm run deploy -- restart-retired-bookings bookingWorkflow` lists no running run (with --yes it restarts any as bookingLifecycleWorkflow from its row)',
  },
  {
    type: 'emailDeliveryWorkflow',
    retiredIn: 'v11',
    proof:
      '`npm run deploy -- open-runs emailDeliveryWorkflow` answers 0: only bookingWorkflow runs before emails-as-activities started one, each for at most 24 hours',
  },
];

/**
 * Saved histories deleted on purpose, with why no run they stand for can still be open. None may
 * come back to test/fixtures/histories (the test checks).
 */
export const RETIRED_HISTORIES: { histories: string[]; why: string }[] = [
  {
    histories: [
      ...['auto-cancelled', 'cancelled', 'confirmed', 'rescheduled'].flatMap((shape) =>
        ['v1', 'v2', 'v3', 'v4'].map((v) => `booking-${shape}.${v}.json`),
      ),
      'booking-reissued-reminder.v4.json',
    ],
    why: 'bookingWorkflow runs: the type is retired (RETIRED_WORKFLOW_TYPES), any straggler restarted as bookingLifecycleWorkflow first',
  },
  {
    histories: ['v4', 'v5', 'v6', 'v7', 'v8'].map((v) => `slot-offer-lapsed-then-claimed.${v}.json`),
    why: 'slot offers from before one-notices-pipeline (v9): a slot offer lives for its offer windows and never past its slot, so none started before that deploy is open a day later (`npm run deploy -- open-runs slotOfferWorkflow --started-before <T>`); these were recorded in development, before any deploy',
  },
];
