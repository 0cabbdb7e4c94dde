import { apiCall } from './authorized-fetch';
import { fetchPage, withQuery, type Page } from './page';
import type { Message } from './types';

// The answers of /api/webhooks, written from the server's zod schemas (src/api/routes/webhooks.ts).

export interface WebhookEventTypeInfo {
  type: string;
  description: string;
}

export interface WebhookEndpoint {
  id: number;
  url: string;
  description: string;
  event_types: string[];
  active: boolean;
  /** Why it stopped on its own (the receiver answered 410 Gone). */
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
  secret_rotated_at: string;
}

/** At creation and rotation only: the secret is never shown again. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  id: number;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  response_excerpt: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface WebhookTestResult {
  delivered: boolean;
  status_code: number | null;
  error: string | null;
  delivery: WebhookDelivery | null;
}

export const webhookEventTypes = () => apiCall<WebhookEventTypeInfo[]>('/api/webhooks/event_types');

export const webhooksUrl = (limit: number) => withQuery('/api/webhooks', { limit });

export const listWebhooks = (url: string): Promise<Page<WebhookEndpoint>> => fetchPage<WebhookEndpoint>(url);

export const createWebhook = (endpoint: { url: string; description?: string; event_types: string[] }) =>
  apiCall<WebhookEndpointWithSecret>('/api/webhooks', { method: 'POST', body: endpoint });

export const updateWebhook = (
  id: number,
  change: { url?: string; description?: string; event_types?: string[]; active?: boolean },
) => apiCall<WebhookEndpoint>(`/api/webhooks/${id}`, { method: 'PATCH', body: change });

export const deleteWebhook = (id: number) => apiCall<Message>(`/api/webhooks/${id}`, { method: 'DELETE' });

export const rotateWebhookSecret = (id: number) =>
  apiCall<WebhookEndpointWithSecret>(`/api/webhooks/${id}/rotate_secret`, { method: 'POST' });

export const sendWebhookTest = (id: number) =>
  apiCall<WebhookTestResult>(`/api/webhooks/${id}/test`, { method: 'POST' });

export const webhookDeliveriesUrl = (id: number, limit: number) =>
  withQuery(`/api/webhooks/${id}/deliveries`, { limit });

export const listWebhookDeliveries = (url: string): Promise<Page<WebhookDelivery>> => fetchPage<WebhookDelivery>(url);
