import type { VersioningBehavior, WorkflowDefinitionOptions } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';
import type { WorkflowName } from '../src/contracts/workflow-types';

/**
 * How each workflow type moves between worker deployment versions (README, "Deploying new workflow
 * code"). Each workflow file applies its own with `setWorkflowOptions(versioningOf(type), fn)`;
 * test/worker-versioning.test.ts holds every registered type to this table.
 *
 * - AUTO_UPGRADE: the run moves to the deployment's current version at its next workflow task, so
 *   the new code replays its history: every change to its code goes behind `patched()`
 *   (workflows/patch-ledger.ts) and the replay test.
 * - PINNED: the run finishes on the version it started on, so a change needs no patch; that
 *   version's workers stay up until its pinned runs are done (its drainage status says when).
 */
export const VERSIONING_BEHAVIORS = {
  // Sleeps until its event is over, up to BOOKIT_BOOKING_HORIZON (a year) ahead: pinned, every
  // version's workers would have to run for a year after the next deploy.
  bookingLifecycleWorkflow: 'AUTO_UPGRADE',
  // Lives for its offer windows (15 minutes each, one waiter at a time) and never past its slot's
  // start; a continue-as-new keeps the version (server 1.29). Hours at most: pinned is cheap.
  slotOfferWorkflow: 'PINNED',
  // One notice each, delivered in seconds (a failing SMTP relay retries for up to 24 hours).
  userOnboardingWorkflow: 'PINNED',
  venueAssignmentWorkflow: 'PINNED',
  noticeWorkflow: 'PINNED',
  // Batches of users, minutes; a continued run keeps the version.
  broadcastWorkflow: 'PINNED',
  // A daily clean-up, minutes.
  notificationRetentionWorkflow: 'PINNED',
  // One firing every 15 minutes: decides within 14 minutes, then delivers.
  dailyDigestWorkflow: 'PINNED',
} as const satisfies Record<WorkflowName, VersioningBehavior>;

/** The options `setWorkflowOptions` takes for one type, named so a test can tell whose they are. */
export type VersioningOptions = (() => WorkflowDefinitionOptions) & { workflowType: WorkflowName };

/**
 * A type's behaviour, declared only when the worker running the run has a deployment version. An
 * unversioned worker must declare none: the server (1.29) refuses a workflow task completed with a
 * behaviour by a worker without a versioned deployment, and SDK 1.24 sends the declared one anyway,
 * so every task of the run would fail. Evaluated once per run on a worker, at its first workflow
 * task: a new run sees this worker's own version; a replayed run sees the version that completed its
 * first task, so a run begun before versioning was turned on gets the worker's default
 * (AUTO_UPGRADE, src/worker/deployment.ts), as it behaved unversioned.
 */
export function versioningOf(workflowType: WorkflowName): VersioningOptions {
  const options = () =>
    // An unversioned worker reports a version too (its default build id), without a deployment name.
    workflowInfo().currentDeploymentVersion?.deploymentName
      ? { versioningBehavior: VERSIONING_BEHAVIORS[workflowType] }
      : {};
  return Object.assign(options, { workflowType });
}
