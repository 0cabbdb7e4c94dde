// What the rest of BookIT uses of webhooks: delivery for activities, administration for the API.
export {
  deliverWebhookEvent,
  markWebhookEventFailed,
  sendWebhookTestEvent,
  webhookBody,
  WEBHOOK_TIMEOUT_MS,
  type WebhookAttempt,
  type WebhookDeps,
  type WebhookEvent,
} from './deliver';
export { listWebhookDeliveries, type WebhookDeliveryRow, type WebhookDeliveryStatus } from './deliveries';
export {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  type WebhookEndpointChange,
  type WebhookEndpointRow,
} from './endpoints';
export {
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT_TYPE,
  type SubscribableEventType,
  type WebhookEventType,
} from './event-types';
