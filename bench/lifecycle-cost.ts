// The Temporal work one booking costs, counted from real histories (scripts/dev/workflow-cost.ts, as
// test/booking-cost.test.ts does): two bookings made when the bench starts live their compressed
// lifecycles beside the scenarios (a handful of workflow tasks, nothing a scenario would notice), one
// confirmed after its reminder and completed, one never confirmed and auto-cancelled.
import { Client, Connection } from '@temporalio/client';
import type { Cluster } from '../scripts/dev/harness/cluster';
import {
  assignVenueAdmin,
  call,
  createUsers,
  createVenues,
  eventually,
  sleep,
  utcSlotToTheSecond,
  withTokens,
} from '../scripts/dev/harness/fixtures';
import { workflowCost, type WorkflowCost } from '../scripts/dev/workflow-cost';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import type { Row } from './measure';
import type { BenchLifecycle } from './timer-trials';

export interface LifecycleCosts {
  confirmed: WorkflowCost | null;
  autoCancelled: WorkflowCost | null;
  problems: string[];
}

/** Starts both lifecycles now; `collect()` waits for them to close and counts their histories. */
export async function startCostedLifecycles(
  cluster: Cluster,
  lifecycle: BenchLifecycle,
): Promise<{ collect(): Promise<LifecycleCosts> }> {
  const [venueA, venueB] = await createVenues(cluster.sql, 2, 'bench-cost');
  const [member] = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 1, 'member', 'bench-cost'));
  const [hallAdmin] = await createUsers(cluster.sql, 1, 'hall_admin', 'bench-cost-admin');
  for (const venue of [venueA!, venueB!]) await assignVenueAdmin(cluster.sql, venue, hallAdmin!.id);
  const api = cluster.apis[0]!.url!;
  // Far enough ahead that both workflows are asleep before the reminder, near enough to finish early.
  const startsAt = Math.ceil((Date.now() + lifecycle.reminderLeadMs + 30_000) / 1000) * 1000;
  const book = async (venue: number) => {
    const answer = await call<{ id: number }>(api, 'POST', '/api/bookings/', {
      token: member!.token,
      body: { venue, ...utcSlotToTheSecond(startsAt, 10_000), event_name: 'Cost of a lifecycle' },
    });
    if (answer.status !== 201)
      throw new Error(`cost booking answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  };
  const confirmedId = await book(venueA!);
  const autoCancelledId = await book(venueB!);
  const problems: string[] = [];

  // As a person would: confirm once the reminder's notification and email are there.
  const confirming = (async () => {
    const key = `booking:${confirmedId}:v1:reminder`;
    await eventually(
      async () =>
        (await cluster.sql`select 1 from email_log where idempotency_key = ${key} and status = 'sent'`).length === 1,
      'the reminder email',
      300_000,
      500,
    );
    const confirmed = await call(api, 'POST', `/api/bookings/${confirmedId}/confirm/`, {
      token: member!.token,
      body: {},
    });
    if (confirmed.status !== 200) problems.push(`confirm answered ${confirmed.status}`);
  })().catch((error: unknown) => {
    problems.push(error instanceof Error ? error.message : String(error));
  });

  return {
    async collect() {
      await confirming;
      const connection = await Connection.connect({ address: cluster.temporalAddress });
      try {
        const client = new Client({ connection, namespace: cluster.temporalNamespace });
        const closed = async (bookingId: number): Promise<WorkflowCost | null> => {
          const handle = client.workflow.getHandle(bookingWorkflowId(bookingId));
          const outcome = await Promise.race([
            handle.result().then(String, (error: unknown) => `failed: ${String(error)}`),
            sleep(300_000).then(() => 'still running after 5 min'),
          ]);
          if (!['completed', 'auto_cancelled'].includes(outcome)) problems.push(`booking ${bookingId}: ${outcome}`);
          return workflowCost(client, bookingWorkflowId(bookingId)).catch(() => null);
        };
        return { confirmed: await closed(confirmedId), autoCancelled: await closed(autoCancelledId), problems };
      } finally {
        await connection.close();
      }
    },
  };
}

export function costRows(costs: LifecycleCosts): Row[] {
  const row = (what: string, cost: WorkflowCost | null): Row => ({
    scenario: '7 cost per lifecycle',
    measure: `${what}: Temporal Cloud billable actions`,
    figure: cost?.actions ?? null,
    unit: '',
    detail: cost
      ? `${cost.executions} execution(s), ${cost.historyEvents} history events, ${cost.workflowTasks} workflow tasks`
      : 'not measured',
    pass: null,
    ...(costs.problems.length ? { note: costs.problems.join('; ') } : {}),
  });
  return [
    row('booked, one hall admin alerted, reminded, confirmed, completed', costs.confirmed),
    row('booked, one hall admin alerted, reminded, never confirmed, auto-cancelled', costs.autoCancelled),
  ];
}
