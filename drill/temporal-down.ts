// Drill 2: Temporal is stopped; bookings made meanwhile must all answer 201 (the outbox holds their
// workflow starts), and within 10 s of Temporal being back every one has a running workflow.
import { createTemporalGateway } from '../src/temporal/client';
import { bookingWorkflowId } from '../src/temporal/workflow-ids';
import type { Cluster } from '../scripts/dev/harness/cluster';
import { call, createUsers, createVenues, sleep, utcSlot, withTokens } from '../scripts/dev/harness/fixtures';
import { DrillReport } from './report';

const DAY = 86_400_000;

export async function temporalDownDrill(
  cluster: Cluster,
  { bookings, downMs }: { bookings: number; downMs: number },
): Promise<DrillReport> {
  const report = new DrillReport('2 Temporal down');
  const [venue] = await createVenues(cluster.sql, 1, 'drill2');
  const users = await withTokens(cluster.jwtSecret, await createUsers(cluster.sql, 10, 'member', 'drill2-member'));
  const firstStart = Math.ceil((Date.now() + 3 * DAY) / 3_600_000) * 3_600_000;

  await cluster.stopTemporal();
  const downSince = Date.now();
  report.did(
    `stopped the Temporal dev server; making ${bookings} bookings through ${cluster.apis.length} API processes while it is down`,
  );
  const statuses = new Map<number, number>();
  const ids: number[] = [];
  const spacing = Math.max(50, Math.floor((downMs * 0.8) / bookings));
  for (let i = 0; i < bookings; i++) {
    // One-hour slots on consecutive hours, spread over several days, so none overlap.
    const startsAt = firstStart + i * 3_600_000;
    const slot = utcSlot(startsAt + 60_000, 30 * 60_000);
    const api = cluster.apis[i % cluster.apis.length]!;
    const answer = await call<{ id: number }>(api.url!, 'POST', '/api/bookings/', {
      token: users[i % users.length]!.token,
      body: { venue, ...slot, event_name: `Drill 2 #${i}` },
    });
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (answer.status === 201) ids.push(answer.body.id);
    if (Date.now() - downSince < downMs * 0.8) await sleep(spacing);
  }
  report.expect(
    bookings > 0 && ids.length === bookings,
    `${ids.length} of ${bookings} bookings answered 201 while Temporal was down (statuses: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')})`,
  );
  // With Temporal down nothing can have been delivered: every start must still be waiting.
  const [pending] = await cluster.sql<{ n: number }[]>`
    select count(distinct workflow_id)::int as n from outbox where kind = 'start' and delivered_at is null and workflow_id = any(${ids.map(bookingWorkflowId)})`;
  report.expect(pending!.n === ids.length, `${pending!.n} of ${ids.length} workflow starts wait in the outbox`);

  await sleep(Math.max(0, downSince + downMs - Date.now()));
  await cluster.startTemporal();
  const backAt = Date.now();
  report.did(`Temporal back after ${((backAt - downSince) / 1000).toFixed(0)} s`);

  const gateway = createTemporalGateway({
    address: cluster.temporalAddress,
    namespace: 'default',
    taskQueue: 'bookit',
  });
  const running = new Set<number>();
  try {
    while (running.size < ids.length && Date.now() - backAt < 30_000) {
      await Promise.all(
        ids
          .filter((id) => !running.has(id))
          .map(async (id) => {
            try {
              const description = await gateway.client.workflow.getHandle(bookingWorkflowId(id)).describe();
              if (description.status.name === 'RUNNING') running.add(id);
            } catch {
              // Not started yet.
            }
          }),
      );
      if (running.size < ids.length) await sleep(250);
    }
  } finally {
    await gateway.close();
  }
  const tookMs = Date.now() - backAt;
  report.expect(
    ids.length > 0 && running.size === ids.length,
    `${running.size} of ${ids.length} bookings have a running workflow`,
  );
  report.expect(
    ids.length > 0 && running.size === ids.length && tookMs <= 10_000,
    `all running ${(tookMs / 1000).toFixed(1)} s after Temporal came back (target ≤ 10 s)`,
  );
  return report;
}
