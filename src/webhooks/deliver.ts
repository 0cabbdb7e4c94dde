import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config';
import type { Sql } from '../db/sql';
import type { Logger } from '../log/logger';
import { AddressRefusedError, bareHost, resolveCheckedAddresses } from './address-guard';
import {
  claimDelivery,
  failPendingDeliveries,
  findDelivery,
  recordAttemptFailed,
  recordDelivered,
  type WebhookDeliveryRow,
} from './deliveries';
import { disableWebhookEndpoint, endpointsAwaiting, webhookTarget, type WebhookTarget } from './endpoints';
import { WEBHOOK_TEST_EVENT_TYPE, type WebhookEventType } from './event-types';
import { openWebhookSecret, webhookSealingKey } from './secrets';
import { postSigned, type ReceiverAnswer } from './signed-post';

export interface WebhookEvent {
  /** Stable per notice event (the lead passes the notice's idempotency key); becomes `webhook-id`. */
  id: string;
  /** One of WEBHOOK_EVENT_TYPES. */
  type: WebhookEventType;
  /** ISO instant the event happened (the lead passes it from the workflow). */
  occurredAt: string;
  /** JSON-safe facts: ids, instants, names, statuses. Never a link token or password. */
  data: Record<string, unknown>;
}

export interface WebhookDeps {
  sql: Sql;
  config: Config;
  logger: Logger;
}

/** How one attempt at one endpoint ended. `retry`: not delivered yet, worth trying again later. */
export interface WebhookAttempt {
  endpointId: number;
  outcome: 'delivered' | 'failed' | 'retry' | 'skipped';
  /** The receiver's HTTP status, when it answered. */
  statusCode: number | null;
  error: string | null;
  /** The delivery log row, when the attempt made or touched one. */
  deliveryId: number | null;
}

/** Each POST is cut off after this; the lease outlasts it, so a live attempt is never taken over. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
const LEASE_SECONDS = 30;

/** The Standard Webhooks payload: `type`, `timestamp` (when it happened) and `data`. */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: event.data });
}

/**
 * POSTs the event once to every active endpoint subscribed to its type. Endpoints already
 * delivered for this event id are skipped. After trying every endpoint, throws (a plain Error, so
 * Temporal retries the calling activity) if any failed transiently; a 4xx other than 408/429 from
 * the receiver counts as permanent: logged failed, not retried.
 */
export async function deliverWebhookEvent(deps: WebhookDeps, event: WebhookEvent): Promise<void> {
  const targets = await endpointsAwaiting(deps.sql, event.id, event.type);
  if (targets.length === 0) return;
  const body = webhookBody(event);
  // Side by side: one slow receiver holds the others back by no more than its own timeout.
  const settled = await Promise.allSettled(
    targets.map((target) => attemptDelivery(deps, target, event, body, { lastAttempt: false })),
  );
  const pending = settled.flatMap((result, index) => {
    const endpointId = targets[index]!.id;
    if (result.status === 'rejected') return [`endpoint ${endpointId}: ${errorText(result.reason)}`];
    return result.value.outcome === 'retry' ? [`endpoint ${endpointId}: ${result.value.error ?? 'not delivered'}`] : [];
  });
  if (pending.length > 0)
    throw new Error(
      `Webhook event ${event.id} (${event.type}) is not yet delivered to ${pending.length} endpoint(s); ${pending.join('; ')}`,
    );
}

/** After the caller's last retry (24 h): every still-undelivered delivery of this event is logged failed. */
export async function markWebhookEventFailed(deps: WebhookDeps, eventId: string, reason: string): Promise<void> {
  const failed = await failPendingDeliveries(deps.sql, eventId, reason);
  if (failed > 0) deps.logger.warn({ eventId, deliveries: failed, reason }, 'webhook deliveries given up');
}

/**
 * "Send test event": a `webhook.test` event to one endpoint, now, whether or not it is active or
 * subscribed, recorded in its log. One attempt: a failure of any kind is final.
 */
export async function sendWebhookTestEvent(
  deps: WebhookDeps,
  endpointId: number,
): Promise<{ attempt: WebhookAttempt; delivery: WebhookDeliveryRow | undefined }> {
  const target = await webhookTarget(deps.sql, endpointId);
  const event: WebhookEvent = {
    id: `msg_test_${randomUUID()}`,
    type: WEBHOOK_TEST_EVENT_TYPE,
    occurredAt: new Date().toISOString(),
    data: {
      endpoint_id: endpointId,
      message: "A test event from BookIT: the signature verifies with this endpoint's secret.",
    },
  };
  const attempt = await attemptDelivery(deps, target, event, webhookBody(event), { lastAttempt: true });
  return {
    attempt,
    delivery: attempt.deliveryId === null ? undefined : await findDelivery(deps.sql, attempt.deliveryId),
  };
}

type Verdict = { kind: 'delivered' } | { kind: 'permanent'; error: string } | { kind: 'transient'; error: string };

/** What an answer means: 2xx delivered; 408, 429 and 5xx worth retrying; any other (3xx, 4xx) final. */
function judge(answer: ReceiverAnswer): Verdict {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 408 || status === 429 || status >= 500)
    return { kind: 'transient', error: `the receiver answered ${status}` };
  if (status === 410) return { kind: 'permanent', error: 'the receiver answered 410 Gone; the endpoint is turned off' };
  if (status >= 300 && status < 400)
    return {
      kind: 'permanent',
      error: `the receiver answered ${status}; redirects are not followed, register the final URL`,
    };
  return { kind: 'permanent', error: `the receiver refused it with ${status}` };
}

/** One endpoint, one event: claim the log row, sign, POST to the checked address, record what happened. */
async function attemptDelivery(
  deps: WebhookDeps,
  target: WebhookTarget,
  event: WebhookEvent,
  body: string,
  options: { lastAttempt: boolean },
): Promise<WebhookAttempt> {
  const claim = await claimDelivery(deps.sql, target.id, event.id, event.type, LEASE_SECONDS);
  if (claim.outcome === 'settled')
    return { endpointId: target.id, outcome: 'skipped', statusCode: null, error: null, deliveryId: null };
  if (claim.outcome === 'busy')
    return {
      endpointId: target.id,
      outcome: 'retry',
      statusCode: null,
      error: 'another attempt is delivering it now',
      deliveryId: null,
    };
  const { deliveryId } = claim;
  const log = { endpointId: target.id, eventId: event.id, type: event.type, deliveryId };

  let answer: ReceiverAnswer | null = null;
  let verdict: Verdict;
  try {
    answer = await post(deps, target, event.id, body);
    verdict = judge(answer);
  } catch (error) {
    verdict =
      error instanceof RefusedTarget || error instanceof AddressRefusedError
        ? { kind: 'permanent', error: error.message }
        : { kind: 'transient', error: errorText(error) };
  }

  const statusCode = answer?.status ?? null;
  if (verdict.kind === 'delivered') {
    await recordDelivered(deps.sql, deliveryId, answer!.status, answer!.excerpt);
    deps.logger.info({ ...log, statusCode }, 'webhook delivered');
    return { endpointId: target.id, outcome: 'delivered', statusCode, error: null, deliveryId };
  }
  const final = verdict.kind === 'permanent' || options.lastAttempt;
  await recordAttemptFailed(deps.sql, deliveryId, {
    statusCode,
    error: verdict.error,
    excerpt: answer?.excerpt ?? null,
    final,
  });
  if (statusCode === 410)
    await disableWebhookEndpoint(
      deps.sql,
      target.id,
      `The receiver answered 410 Gone (${new Date().toUTCString()}): it says the endpoint no longer exists`,
    );
  deps.logger.warn(
    { ...log, statusCode, error: verdict.error, final },
    final ? 'webhook delivery failed' : 'webhook delivery will be retried',
  );
  return { endpointId: target.id, outcome: final ? 'failed' : 'retry', statusCode, error: verdict.error, deliveryId };
}

/** A target that can never be sent to as it stands (a plain-http URL, a secret that cannot be opened). */
class RefusedTarget extends Error {}

async function post(
  deps: WebhookDeps,
  target: WebhookTarget,
  messageId: string,
  body: string,
): Promise<ReceiverAnswer> {
  const { allowPrivate } = deps.config.webhooks;
  const url = new URL(target.url);
  // Checked again here: the setting may have changed since the endpoint was registered.
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    throw new RefusedTarget('plain http is refused: webhooks go over https');
  const secret = openWebhookSecret(webhookSealingKey(deps.config.auth.jwtSecret), target.id, target.secret_sealed);
  if (secret === null)
    throw new RefusedTarget(
      'the signing secret cannot be opened (JWT_SECRET changed since it was made); rotate the secret',
    );
  const addresses = await resolveCheckedAddresses(bareHost(url), allowPrivate);
  return postSigned({ url, addresses, messageId, body, secret, timeoutMs: WEBHOOK_TIMEOUT_MS });
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (error.name === 'AbortError' || error.name === 'TimeoutError')
    return `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
