import type { Client, WorkflowHandle } from '@temporalio/client';

// Worker Versioning from the operator's side (README, "Deploying new workflow code"): which version
// of a deployment gets new work, how far an old one has drained, and where a run is. The SDK 1.24
// client has no Worker Deployment helpers, so these are the WorkflowService calls themselves.

export interface DeploymentVersion {
  deploymentName: string;
  buildId: string;
}

/** `name:buildId`, as the CLI and the Web UI write a version. */
export const versionName = (v: DeploymentVersion): string => `${v.deploymentName}:${v.buildId}`;

/** A version's place in its deployment (`WorkerDeploymentVersionStatus`). */
const VERSION_STATUS = ['unspecified', 'inactive', 'current', 'ramping', 'draining', 'drained'] as const;
export type VersionStatus = (typeof VERSION_STATUS)[number];
/** Whether a version no longer routed new work still has open pinned runs (`VersionDrainageStatus`). */
const DRAINAGE = ['unspecified', 'draining', 'drained'] as const;
export type Drainage = (typeof DRAINAGE)[number];
const BEHAVIOR = ['unspecified', 'PINNED', 'AUTO_UPGRADE'] as const;
export type RunBehavior = (typeof BEHAVIOR)[number];

const word = <W extends string>(words: readonly [W, ...W[]], n: number | null | undefined): W =>
  words[n ?? 0] ?? words[0];
const isoOf = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null =>
  t?.seconds == null ? null : new Date(Number(t.seconds) * 1000 + Math.round((t.nanos ?? 0) / 1e6)).toISOString();

export interface DeploymentState {
  name: string;
  /** The build id new workflows (and auto-upgrade runs' next tasks) go to; null: unversioned workers. */
  current: string | null;
  ramping: { buildId: string | null; percentage: number } | null;
  versions: { buildId: string; status: VersionStatus; drainage: Drainage; created: string | null }[];
}

/** The deployment as the server holds it; null when no versioned worker of that name ever polled. */
export async function describeDeployment(client: Client, deploymentName: string): Promise<DeploymentState | null> {
  try {
    const { workerDeploymentInfo: info } = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName,
    });
    const routing = info?.routingConfig;
    const ramping = routing?.rampingDeploymentVersion?.buildId ?? null;
    return {
      name: deploymentName,
      current: routing?.currentDeploymentVersion?.buildId ?? null,
      ramping:
        ramping || routing?.rampingVersionPercentage
          ? { buildId: ramping, percentage: routing?.rampingVersionPercentage ?? 0 }
          : null,
      versions: (info?.versionSummaries ?? []).map((v) => ({
        buildId: v.deploymentVersion?.buildId ?? '',
        status: word(VERSION_STATUS, v.status),
        drainage: word(DRAINAGE, v.drainageStatus ?? v.drainageInfo?.status),
        created: isoOf(v.createTime),
      })),
    };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export interface VersionState {
  version: DeploymentVersion;
  status: VersionStatus;
  /** Only meaningful once the version is neither current nor ramping; refreshed by the server every few minutes. */
  drainage: Drainage;
  drainageCheckedAt: string | null;
  /** When the drainage status last changed (to draining, or to drained). */
  drainageChangedAt: string | null;
  currentSince: string | null;
  /** The task queues its workers poll, by kind (`workflow`, `activity`). */
  taskQueues: string[];
}

/** One version: its status, drainage and task queues; null when no worker of it ever polled. */
export async function describeVersion(client: Client, version: DeploymentVersion): Promise<VersionState | null> {
  try {
    const { workerDeploymentVersionInfo: info } = await client.workflowService.describeWorkerDeploymentVersion({
      namespace: client.options.namespace,
      deploymentVersion: version,
    });
    return {
      version,
      status: word(VERSION_STATUS, info?.status),
      drainage: word(DRAINAGE, info?.drainageInfo?.status),
      drainageCheckedAt: isoOf(info?.drainageInfo?.lastCheckedTime),
      drainageChangedAt: isoOf(info?.drainageInfo?.lastChangedTime),
      currentSince: isoOf(info?.currentSinceTime),
      taskQueues: (info?.taskQueueInfos ?? []).map((q) => `${q.name} (${q.type === 2 ? 'activity' : 'workflow'})`),
    };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * Makes `version` the deployment's current version: new workflows start on it and auto-upgrade runs
 * move to it at their next workflow task; pinned runs stay where they are. The server refuses while
 * the version's workers have not polled every task queue the deployment has seen.
 */
export async function setCurrentVersion(client: Client, version: DeploymentVersion, identity: string): Promise<void> {
  await client.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: client.options.namespace,
    deploymentName: version.deploymentName,
    buildId: version.buildId,
    identity,
  });
}

/**
 * Sends `percentage` of new workflows (and of auto-upgrade runs' tasks, chosen by workflow id) to
 * `version` beside the current one; 0 with a null build id ends the ramp.
 */
export async function setRampingVersion(
  client: Client,
  deploymentName: string,
  buildId: string | null,
  percentage: number,
  identity: string,
): Promise<void> {
  await client.workflowService.setWorkerDeploymentRampingVersion({
    namespace: client.options.namespace,
    deploymentName,
    buildId: buildId ?? '',
    percentage: buildId ? percentage : 0,
    identity,
  });
}

/** Where one run is: its versioning behaviour and the version its tasks go to (none while unversioned). */
export async function versionOfRun(handle: WorkflowHandle): Promise<{ behavior: RunBehavior; buildId: string | null }> {
  const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
  return { behavior: word(BEHAVIOR, info?.behavior), buildId: info?.deploymentVersion?.buildId || null };
}

/** How many runs are open, by visibility: of the types given, and started before an instant if one is given. */
export async function countOpenRuns(
  client: Client,
  { types, startedBefore }: { types: readonly string[]; startedBefore?: Date },
): Promise<number> {
  const query = [
    `ExecutionStatus = "Running"`,
    `(${types.map((type) => `WorkflowType = "${type}"`).join(' OR ')})`,
    ...(startedBefore ? [`StartTime < "${startedBefore.toISOString()}"`] : []),
  ].join(' AND ');
  return (await client.workflow.count(query)).count;
}

/**
 * Open runs pinned to `version`, counted now: the query the server's drainage check runs every few
 * minutes (BuildIds holds `pinned:<deployment>:<build id>` for a pinned run).
 */
export async function countPinnedRuns(client: Client, version: DeploymentVersion): Promise<number> {
  const query = `BuildIds = "pinned:${versionName(version)}" AND ExecutionStatus = "Running"`;
  return (await client.workflow.count(query)).count;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 5;
}
