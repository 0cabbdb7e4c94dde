import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** What one lifecycle cost Temporal, counted from the real histories of every workflow it caused. */
export interface WorkflowCost {
  executions: number;
  historyEvents: number;
  workflowTasks: number;
  /** Temporal Cloud's billable Actions, as its Actions page defines them (see `billableActionsOf`). */
  actions: number;
}

/**
 * The cost of a workflow and of every child it started, followed through their histories. Fetch it
 * once the workflow has closed (or reached the point being measured).
 */
export async function workflowCost(client: Client, workflowId: string): Promise<WorkflowCost> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const own: WorkflowCost = {
    executions: 1,
    historyEvents: events.length,
    workflowTasks: events.filter((e) => e.workflowTaskStartedEventAttributes).length,
    actions: billableActionsOf(events),
  };
  const children = events.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
  const costs = [own, ...(await Promise.all(children.map((child) => workflowCost(client, child))))];
  return costs.reduce((sum, cost) => ({
    executions: sum.executions + cost.executions,
    historyEvents: sum.historyEvents + cost.historyEvents,
    workflowTasks: sum.workflowTasks + cost.workflowTasks,
    actions: sum.actions + cost.actions,
  }));
}

/**
 * Billable Actions in one history: a workflow start (a child's start adds one more, for the
 * parent's intent), each activity attempt (the history keeps only the last attempt, whose number
 * says how many ran), one for all the local activities of one workflow task, each timer, signal and
 * search-attribute upsert. Heartbeats that reached the server and queries leave no event, so they
 * are not counted; patch markers are not billed.
 */
export function billableActionsOf(events: HistoryEvent[]): number {
  let actions = 0;
  const tasksWithLocalActivities = new Set<string>();
  for (const event of events) {
    if (event.workflowExecutionStartedEventAttributes) actions += 1;
    else if (event.startChildWorkflowExecutionInitiatedEventAttributes) actions += 1;
    else if (event.activityTaskStartedEventAttributes)
      actions += Math.max(1, event.activityTaskStartedEventAttributes.attempt ?? 1);
    else if (event.timerStartedEventAttributes) actions += 1;
    else if (event.workflowExecutionSignaledEventAttributes) actions += 1;
    else if (event.upsertWorkflowSearchAttributesEventAttributes) actions += 1;
    else if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      tasksWithLocalActivities.add(String(event.markerRecordedEventAttributes.workflowTaskCompletedEventId));
    }
  }
  return actions + tasksWithLocalActivities.size;
}
