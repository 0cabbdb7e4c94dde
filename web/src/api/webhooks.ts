import { api, urlFor } from './contract';
import type { BodyOf } from './operations';
import { fetchPage, type Page } from './page';
import type { components } from './schema.gen';

type Schemas = components['schemas'];

export type WebhookEventTypeInfo = Schemas['WebhookEventType'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];
/** At creation and rotation only: the secret is never shown again. */
export type WebhookEndpointWithSecret = Schemas['WebhookEndpointWithSecret'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookDeliveryStatus = WebhookDelivery['status'];
export type WebhookTestResult = Schemas['WebhookTestResult'];

export const webhookEventTypes = () => api.get('/api/webhooks/event_types');

export const webhooksUrl = (limit: number) => urlFor('/api/webhooks', { query: { limit } });

export const listWebhooks = (url: string): Promise<Page<WebhookEndpoint>> => fetchPage<WebhookEndpoint>(url);

export const createWebhook = (endpoint: BodyOf<'/api/webhooks', 'post'>) =>
  api.post('/api/webhooks', { body: endpoint });

export const updateWebhook = (id: number, change: BodyOf<'/api/webhooks/{id}', 'patch'>) =>
  api.patch('/api/webhooks/{id}', { path: { id }, body: change });

export const deleteWebhook = (id: number) => api.delete('/api/webhooks/{id}', { path: { id } });

export const rotateWebhookSecret = (id: number) => api.post('/api/webhooks/{id}/rotate_secret', { path: { id } });

export const sendWebhookTest = (id: number) => api.post('/api/webhooks/{id}/test', { path: { id } });

export const webhookDeliveriesUrl = (id: number, limit: number) =>
  urlFor('/api/webhooks/{id}/deliveries', { path: { id }, query: { limit } });

export const listWebhookDeliveries = (url: string): Promise<Page<WebhookDelivery>> => fetchPage<WebhookDelivery>(url);
