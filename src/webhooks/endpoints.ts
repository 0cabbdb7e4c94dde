import type { Config } from '../config/config';
import type { Queryable, Sql } from '../db/sql';
import { invalid, notFound } from '../domain/errors';
import { checkWebhookUrl } from './address-guard';
import {
  WEBHOOK_EVENT_TYPES,
  isSubscribableEventType,
  type SubscribableEventType,
  type WebhookEventType,
} from './event-types';
import { newWebhookSecret, sealWebhookSecret, webhookSealingKey } from './secrets';

// Owns webhook_endpoints: the receivers the super admin registers, and their sealed secrets.

export interface WebhookEndpointRow {
  id: number;
  url: string;
  description: string;
  event_types: SubscribableEventType[];
  active: boolean;
  /** Why it stopped on its own (the receiver answered 410 Gone); null while active or turned off by hand. */
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
  secret_rotated_at: Date;
}

/** An endpoint as a delivery needs it: where, and the sealed secret to sign with. */
export interface WebhookTarget {
  id: number;
  url: string;
  secret_sealed: Uint8Array;
}

export interface EndpointDeps {
  sql: Sql;
  config: Config;
}

export interface NewWebhookEndpoint {
  url: string;
  description?: string;
  eventTypes: readonly string[];
  createdBy: number;
}

export interface WebhookEndpointChange {
  url?: string;
  description?: string;
  eventTypes?: readonly string[];
  active?: boolean;
}

/** The keyset window of a list: ids below `before`, newest first. */
export interface ListWindow {
  limit: number;
  before?: number;
}

const COLUMNS = [
  'id',
  'url',
  'description',
  'event_types',
  'active',
  'disabled_reason',
  'created_at',
  'updated_at',
  'secret_rotated_at',
];

/** Known types only, each once, in the catalogue's order (so lists read the same everywhere). */
function eventTypesOf(types: readonly string[]): SubscribableEventType[] {
  const unknown = types.find((type) => !isSubscribableEventType(type));
  if (unknown !== undefined)
    throw invalid(`event_types: "${unknown}" is not an event type; choose from ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  const chosen = WEBHOOK_EVENT_TYPES.filter((type) => types.includes(type));
  if (chosen.length === 0) throw invalid('event_types must name at least one event type');
  return chosen;
}

/**
 * Registers an endpoint and makes its secret, which the caller shows once: it is stored only
 * sealed. The row is inserted first because the seal is bound to its id.
 */
export async function createWebhookEndpoint(
  deps: EndpointDeps,
  input: NewWebhookEndpoint,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const eventTypes = eventTypesOf(input.eventTypes);
  const url = await checkWebhookUrl(input.url, deps.config.webhooks.allowPrivate);
  const secret = newWebhookSecret();
  const key = webhookSealingKey(deps.config.auth.jwtSecret);
  const endpoint = await deps.sql.begin(async (tx) => {
    const [row] = await tx<{ id: number }[]>`
      insert into webhook_endpoints (url, description, event_types, secret_sealed, created_by)
      values (${url}, ${input.description ?? ''}, ${tx.array(eventTypes)}::text[], ${Buffer.alloc(0)}, ${input.createdBy})
      returning id`;
    const [sealed] = await tx<WebhookEndpointRow[]>`
      update webhook_endpoints set secret_sealed = ${sealWebhookSecret(key, row!.id, secret)}
      where id = ${row!.id}
      returning ${tx(COLUMNS)}`;
    return sealed!;
  });
  return { endpoint, secret };
}

/** Newest first; never a secret. */
export async function listWebhookEndpoints(sql: Queryable, window: ListWindow): Promise<WebhookEndpointRow[]> {
  return sql<WebhookEndpointRow[]>`
    select ${sql(COLUMNS)} from webhook_endpoints
    where ${window.before === undefined ? sql`true` : sql`id < ${window.before}`}
    order by id desc limit ${window.limit}`;
}

export async function getWebhookEndpoint(sql: Queryable, id: number): Promise<WebhookEndpointRow> {
  const [row] = await sql<WebhookEndpointRow[]>`select ${sql(COLUMNS)} from webhook_endpoints where id = ${id}`;
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

/**
 * Changes what was given. A new URL is checked as at registration; turning an endpoint on again
 * clears why it stopped.
 */
export async function updateWebhookEndpoint(
  deps: EndpointDeps,
  id: number,
  change: WebhookEndpointChange,
): Promise<WebhookEndpointRow> {
  const eventTypes = change.eventTypes === undefined ? null : eventTypesOf(change.eventTypes);
  const url = change.url === undefined ? null : await checkWebhookUrl(change.url, deps.config.webhooks.allowPrivate);
  const [row] = await deps.sql<WebhookEndpointRow[]>`
    update webhook_endpoints set
      url = coalesce(${url}, url),
      description = coalesce(${change.description ?? null}, description),
      event_types = coalesce(${eventTypes === null ? null : deps.sql.array(eventTypes)}::text[], event_types),
      active = coalesce(${change.active ?? null}::boolean, active),
      disabled_reason = case when ${change.active ?? null}::boolean then null else disabled_reason end,
      updated_at = now()
    where id = ${id}
    returning ${deps.sql(COLUMNS)}`;
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

/** Removes the endpoint and its delivery log. */
export async function deleteWebhookEndpoint(sql: Queryable, id: number): Promise<void> {
  const rows = await sql`delete from webhook_endpoints where id = ${id} returning id`;
  if (rows.length === 0) throw notFound('Webhook endpoint');
}

/**
 * A new secret, returned once; the old one stops signing at once (no grace period: deliveries
 * after this carry one signature, by the new secret, so the receiver should switch when it is shown).
 */
export async function rotateWebhookSecret(
  deps: EndpointDeps,
  id: number,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const secret = newWebhookSecret();
  const sealed = sealWebhookSecret(webhookSealingKey(deps.config.auth.jwtSecret), id, secret);
  const [endpoint] = await deps.sql<WebhookEndpointRow[]>`
    update webhook_endpoints set secret_sealed = ${sealed}, secret_rotated_at = now(), updated_at = now()
    where id = ${id}
    returning ${deps.sql(COLUMNS)}`;
  if (!endpoint) throw notFound('Webhook endpoint');
  return { endpoint, secret };
}

/** The receiver said the endpoint is gone (410): no more deliveries until an admin turns it on again. */
export async function disableWebhookEndpoint(sql: Queryable, id: number, reason: string): Promise<void> {
  await sql`update webhook_endpoints set active = false, disabled_reason = ${reason}, updated_at = now() where id = ${id} and active`;
}

/**
 * Active endpoints that hear `type` and have not yet settled this event (delivered, or failed for
 * good). One query on the partial GIN index: with no endpoint registered it finds nothing at once.
 */
export async function endpointsAwaiting(
  sql: Queryable,
  eventId: string,
  type: WebhookEventType,
): Promise<WebhookTarget[]> {
  return sql<WebhookTarget[]>`
    select e.id, e.url, e.secret_sealed
    from webhook_endpoints e
    left join webhook_deliveries d on d.endpoint_id = e.id and d.event_id = ${eventId}
    where e.active and e.event_types @> array[${type}::text]
      and (d.status is null or d.status = 'pending')
    order by e.id`;
}

/** One endpoint as a delivery needs it, whether or not it is active (the test event goes to either). */
export async function webhookTarget(sql: Queryable, id: number): Promise<WebhookTarget> {
  const [row] = await sql<WebhookTarget[]>`select id, url, secret_sealed from webhook_endpoints where id = ${id}`;
  if (!row) throw notFound('Webhook endpoint');
  return row;
}
