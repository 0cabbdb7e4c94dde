import type { Queryable } from '../db/sql';
import type { WebhookEventType } from './event-types';
import type { ListWindow } from './endpoints';

// Owns webhook_deliveries: one row per (endpoint, event), the delivery log operators read.

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryRow {
  id: number;
  endpoint_id: number;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  response_excerpt: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

/**
 * claimed: this attempt may POST (the row is leased to it); settled: delivered or failed for good,
 * nothing to do; busy: another attempt holds the lease, so the outcome is not known yet.
 */
export type DeliveryClaim = { outcome: 'claimed'; deliveryId: number } | { outcome: 'settled' } | { outcome: 'busy' };

const MAX_ERROR = 500;
const COLUMNS = [
  'id',
  'endpoint_id',
  'event_id',
  'event_type',
  'status',
  'attempts',
  'last_status_code',
  'last_error',
  'response_excerpt',
  'created_at',
  'updated_at',
  'delivered_at',
];

/**
 * Counts an attempt and leases the row to it for `leaseSeconds` (longer than a POST may take), so
 * two attempts at once (a Temporal retry while a stalled one still runs) never both POST. A lease
 * left by a process that died runs out, and the next attempt takes over.
 */
export async function claimDelivery(
  sql: Queryable,
  endpointId: number,
  eventId: string,
  eventType: WebhookEventType,
  leaseSeconds: number,
): Promise<DeliveryClaim> {
  const [row] = await sql<{ id: number; outcome: 'claimed' | 'settled' | 'busy' }[]>`
    with claimed as (
      insert into webhook_deliveries (endpoint_id, event_id, event_type, attempts, leased_until)
      values (${endpointId}, ${eventId}, ${eventType}, 1, now() + make_interval(secs => ${leaseSeconds}))
      on conflict (endpoint_id, event_id) do update set
        attempts = webhook_deliveries.attempts + 1, leased_until = excluded.leased_until, updated_at = now()
      where webhook_deliveries.status = 'pending'
        and (webhook_deliveries.leased_until is null or webhook_deliveries.leased_until < now())
      returning id
    )
    select id, 'claimed' as outcome from claimed
    union all
    select id, case when status = 'pending' then 'busy' else 'settled' end
    from webhook_deliveries
    where endpoint_id = ${endpointId} and event_id = ${eventId} and not exists (select 1 from claimed)`;
  if (!row) return { outcome: 'busy' };
  return row.outcome === 'claimed' ? { outcome: 'claimed', deliveryId: row.id } : { outcome: row.outcome };
}

export async function recordDelivered(
  sql: Queryable,
  deliveryId: number,
  statusCode: number,
  excerpt: string,
): Promise<void> {
  await sql`
    update webhook_deliveries set status = 'delivered', delivered_at = now(), last_status_code = ${statusCode},
      response_excerpt = ${excerpt}, last_error = null, leased_until = null, updated_at = now()
    where id = ${deliveryId} and status = 'pending'`;
}

/** An attempt that did not deliver; `final` settles the row as failed, otherwise it waits for the next attempt. */
export async function recordAttemptFailed(
  sql: Queryable,
  deliveryId: number,
  attempt: { statusCode: number | null; error: string; excerpt: string | null; final: boolean },
): Promise<void> {
  await sql`
    update webhook_deliveries set
      status = case when ${attempt.final} then 'failed' else status end,
      last_status_code = ${attempt.statusCode}, last_error = ${attempt.error.slice(0, MAX_ERROR)},
      response_excerpt = ${attempt.excerpt}, leased_until = null, updated_at = now()
    where id = ${deliveryId} and status = 'pending'`;
}

/** After the caller's last retry: every delivery of the event still pending is failed, keeping its last error. */
export async function failPendingDeliveries(sql: Queryable, eventId: string, reason: string): Promise<number> {
  const rows = await sql`
    update webhook_deliveries set status = 'failed', leased_until = null, updated_at = now(),
      last_error = left(${reason} || coalesce(' (last attempt: ' || last_error || ')', ''), ${MAX_ERROR})
    where event_id = ${eventId} and status = 'pending'
    returning id`;
  return rows.length;
}

export async function findDelivery(sql: Queryable, deliveryId: number): Promise<WebhookDeliveryRow | undefined> {
  const [row] = await sql<
    WebhookDeliveryRow[]
  >`select ${sql(COLUMNS)} from webhook_deliveries where id = ${deliveryId}`;
  return row;
}

/** One endpoint's delivery log, newest first, in keyset pages. */
export async function listWebhookDeliveries(
  sql: Queryable,
  endpointId: number,
  window: ListWindow,
): Promise<WebhookDeliveryRow[]> {
  return sql<WebhookDeliveryRow[]>`
    select ${sql(COLUMNS)} from webhook_deliveries
    where endpoint_id = ${endpointId} and ${window.before === undefined ? sql`true` : sql`id < ${window.before}`}
    order by id desc limit ${window.limit}`;
}
