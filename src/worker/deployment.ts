import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { bundleWorkflowCode, type WorkerDeploymentOptions, type WorkerOptions } from '@temporalio/worker';
import type { VersioningBehavior } from '@temporalio/common';
import type { Config } from '../config/config';
import type { WorkflowSource } from './workflow-source';

/**
 * What a versioned worker gives a run that declares no behaviour: every type declares one
 * (workflows/versioning.ts), except in a run begun on an unversioned worker, which declares none on
 * any worker (see `versioningOf`). Such runs behaved as auto-upgrade before versioning was turned
 * on (each task ran on whatever worker there was), so they keep doing so: a booking started before
 * is not pinned to the first version for the rest of its year.
 */
export const DEFAULT_VERSIONING_BEHAVIOR: VersioningBehavior = 'AUTO_UPGRADE';

/** The workflow code a worker runs, and the deployment version it polls as (absent: unversioned). */
export interface WorkflowCode {
  source: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;
  deployment?: WorkerDeploymentOptions;
}

/**
 * The build id a bundle of workflow code gets when BOOKIT_BUILD_ID is not set: `wf-` and the first
 * 12 hex digits of its SHA-256. Bundling is deterministic (no absolute paths), so every worker of one
 * build agrees, and only a change to what the workflows run makes a new version; an activity-only
 * change keeps the build id and rolls out as a restart of the same version.
 */
export function buildIdOf(bundleCode: string): string {
  return `wf-${createHash('sha256').update(bundleCode).digest('hex').slice(0, 12)}`;
}

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

/**
 * Unversioned (no BOOKIT_DEPLOYMENT_NAME): the workflow source as it is. Versioned: its code (the
 * bundle read, or the folder bundled here, as Worker.create would have) so its hash can name the build.
 */
export async function workflowCodeFor(
  source: WorkflowSource,
  deployment: Config['temporal']['deployment'],
): Promise<WorkflowCode> {
  if (!deployment) return { source };
  const code =
    'workflowBundle' in source
      ? await readFile(source.workflowBundle.codePath, 'utf8')
      : (await bundleWorkflowCode({ workflowsPath: source.workflowsPath, logger: quietLogger })).code;
  return {
    source: { workflowBundle: { code } },
    deployment: {
      version: { deploymentName: deployment.name, buildId: deployment.buildId ?? buildIdOf(code) },
      useWorkerVersioning: true,
      defaultVersioningBehavior: DEFAULT_VERSIONING_BEHAVIOR,
    },
  };
}
