// What the workflows still owe after a burst of bookings: outbox rows not yet delivered, future
// bookings whose workflow has not written its first row, and "created" emails not yet sent (an
// activity of the booking's workflow, on the same worker, so a new booking's first workflow task
// competes with them for the same cores).
import type { Cluster } from '../scripts/dev/harness/cluster';
import { sleep } from '../scripts/dev/harness/fixtures';

export interface BackgroundWork {
  outbox: number;
  starting: number;
  emailing: number;
}

export async function backgroundWorkLeft(cluster: Cluster): Promise<BackgroundWork> {
  const [row] = await cluster.sql<BackgroundWork[]>`
    select (select count(*)::int from outbox where delivered_at is null) as outbox,
      (select count(*)::int from bookings b where status = 'active' and lower(during) > now()
        and not exists (select 1 from notifications n where n.event_key = 'booking:' || b.id || ':created')) as starting,
      (select count(*)::int from notifications n where n.notification_type = 'booking_confirmed' and n.event_key like 'booking:%:created'
        and not exists (select 1 from email_log e where e.idempotency_key = n.event_key and e.status = 'sent')) as emailing`;
  return row!;
}

/** Polls until nothing is left or `boundMs` passes; what was left at the end. */
export async function drainBackgroundWork(cluster: Cluster, boundMs: number): Promise<BackgroundWork> {
  const started = Date.now();
  let left = await backgroundWorkLeft(cluster);
  while ((left.outbox > 0 || left.starting > 0 || left.emailing > 0) && Date.now() - started < boundMs) {
    await sleep(2_000);
    left = await backgroundWorkLeft(cluster);
  }
  return left;
}
