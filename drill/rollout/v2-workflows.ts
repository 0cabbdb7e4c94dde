// The workflow code drill 7 deploys as its second version: BookIT's workflows as they are, with one
// harmless change to bookingLifecycleWorkflow made the way every change to it must be (README,
// "Deploying new workflow code"): behind a patch, since bookings asleep on the old version move to
// this one and replay their history on it. A booking that ends on this version says so in its memo.
import { patched, setWorkflowOptions, upsertMemo } from '@temporalio/workflow';
import type { BookingPhase, BookingWorkflowInput } from '../../src/contracts/booking-types';
import { bookingLifecycleWorkflow as released } from '../../workflows/booking-lifecycle';
import { versioningOf } from '../../workflows/versioning';

import { ENDED_ON_V2_MEMO, ROLLOUT_DRILL_CHANGE } from './v2-change';

export * from '../../workflows/index';

setWorkflowOptions(versioningOf('bookingLifecycleWorkflow'), bookingLifecycleWorkflow);

export async function bookingLifecycleWorkflow(input: BookingWorkflowInput): Promise<BookingPhase> {
  const phase = await released(input);
  if (patched(ROLLOUT_DRILL_CHANGE)) upsertMemo(ENDED_ON_V2_MEMO);
  return phase;
}
