import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  rotateWebhookSecret,
  sendWebhookTestEvent,
  updateWebhookEndpoint,
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../../webhooks';
import { superAdminOnly } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { ListQuery, paginate } from '../pagination';
import {
  bearerSecurity,
  commonErrors,
  IdParam,
  jsonBody,
  jsonContent,
  MessageSchema,
  singleLine,
  Timestamp,
} from '../schemas';

const EventType = z.enum(WEBHOOK_EVENT_TYPES, { message: `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}` });

const EndpointSchema = z
  .object({
    id: z.number().int(),
    url: z.string(),
    description: z.string(),
    event_types: z.array(EventType),
    active: z.boolean(),
    disabled_reason: z.string().nullable().openapi({
      description: 'Why it stopped on its own: the receiver answered 410 Gone. Cleared by turning it on again',
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
    secret_rotated_at: Timestamp,
  })
  .openapi('WebhookEndpoint');

const EndpointWithSecretSchema = EndpointSchema.extend({
  secret: z.string().openapi({
    description:
      'The signing secret (whsec_ + base64 of 32 random bytes). Shown only now: verify deliveries with it in any Standard Webhooks library',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('WebhookEndpointWithSecret');

const WebhookUrl = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000, 'must be at most 2000 characters')
  .openapi({ example: 'https://hooks.example.com/bookit' });
const Description = singleLine(z.string().trim().max(200, 'must be at most 200 characters'));
const EventTypes = z.array(EventType).min(1, 'must name at least one event type').max(WEBHOOK_EVENT_TYPES.length);

const CreateBody = z
  .object({ url: WebhookUrl, description: Description.optional(), event_types: EventTypes })
  .strict()
  .openapi('CreateWebhookEndpointRequest');

const UpdateBody = z
  .object({
    url: WebhookUrl.optional(),
    description: Description.optional(),
    event_types: EventTypes.optional(),
    active: z
      .boolean()
      .optional()
      .openapi({ description: 'false stops deliveries; true starts them again (and clears disabled_reason)' }),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'give at least one of url, description, event_types, active')
  .openapi('UpdateWebhookEndpointRequest');

const DeliverySchema = z
  .object({
    id: z.number().int(),
    event_id: z.string().openapi({ description: 'The webhook-id header: the same on every attempt of one event' }),
    event_type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']).openapi({
      description:
        'pending: being retried (for up to 24 h); delivered: a 2xx answer; failed: refused for good or given up',
    }),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    response_excerpt: z
      .string()
      .nullable()
      .openapi({ description: "The first 200 characters of the receiver's last answer" }),
    created_at: Timestamp,
    updated_at: Timestamp,
    delivered_at: Timestamp.nullable(),
  })
  .openapi('WebhookDelivery');

const TestResultSchema = z
  .object({
    delivered: z.boolean(),
    status_code: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'What the receiver answered; null when it could not be reached' }),
    error: z.string().nullable(),
    // Not DeliverySchema.nullable(): that would document the WebhookDelivery component itself as
    // nullable, and with it every item of the deliveries list.
    delivery: z.union([DeliverySchema, z.null()]),
  })
  .openapi('WebhookTestResult');

const EventTypeInfoSchema = z.object({ type: EventType, description: z.string() }).openapi('WebhookEventType');

function endpointJson(row: WebhookEndpointRow): z.infer<typeof EndpointSchema> {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.event_types,
    active: row.active,
    disabled_reason: row.disabled_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    secret_rotated_at: row.secret_rotated_at.toISOString(),
  };
}

function deliveryJson(row: WebhookDeliveryRow): z.infer<typeof DeliverySchema> {
  return {
    id: row.id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    response_excerpt: row.response_excerpt,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    delivered_at: row.delivered_at?.toISOString() ?? null,
  };
}

/** `/api/webhooks`: the super admin's signed webhook endpoints, their secrets (shown once) and delivery logs. */
export function webhookRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const middleware = superAdminOnly(deps);
  const route = <const P extends string>(path: P) => ({
    path,
    tags: ['webhooks'],
    security: bearerSecurity,
    middleware,
  });

  app.openapi(
    createRoute({
      method: 'post',
      ...route('/'),
      summary: 'Register a webhook endpoint (super admin); the answer carries its signing secret, shown only this once',
      description:
        'The URL must be https and its host must resolve to public addresses only (unless WEBHOOK_ALLOW_PRIVATE=true); otherwise 400 naming url.',
      request: jsonBody(CreateBody),
      responses: { 201: jsonContent(EndpointWithSecretSchema, 'Registered, with its secret'), ...commonErrors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { endpoint, secret } = await createWebhookEndpoint(deps, {
        url: body.url,
        description: body.description,
        eventTypes: body.event_types,
        createdBy: c.var.user.id,
      });
      return c.json({ ...endpointJson(endpoint), secret }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      ...route('/'),
      summary: 'Webhook endpoints, newest first, in keyset pages (never their secrets)',
      request: { query: ListQuery },
      responses: {
        200: {
          ...jsonContent(z.array(EndpointSchema), 'One page; a `Link: <...>; rel="next"` header when more remain'),
          headers: { Link: { schema: { type: 'string' }, description: 'RFC 8288 link to the next page' } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const page = await paginate(c, c.req.valid('query'), (window) => listWebhookEndpoints(deps.sql, window));
      return c.json(page.map(endpointJson), 200);
    },
  );

  // Before /{id}, which would otherwise take "event_types" for an id.
  app.openapi(
    createRoute({
      method: 'get',
      ...route('/event_types'),
      summary: 'The event types an endpoint can subscribe to',
      responses: { 200: jsonContent(z.array(EventTypeInfoSchema), 'In catalogue order'), ...commonErrors },
    }),
    (c) =>
      c.json(
        WEBHOOK_EVENT_TYPES.map((type) => ({ type, description: WEBHOOK_EVENT_DESCRIPTIONS[type] })),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      ...route('/{id}'),
      summary: 'One webhook endpoint (without its secret)',
      request: { params: IdParam },
      responses: { 200: jsonContent(EndpointSchema, 'The endpoint'), ...commonErrors },
    }),
    async (c) => c.json(endpointJson(await getWebhookEndpoint(deps.sql, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      ...route('/{id}'),
      summary: "Change a webhook endpoint's URL, description or event types, or turn it off and on",
      request: { params: IdParam, ...jsonBody(UpdateBody) },
      responses: { 200: jsonContent(EndpointSchema, 'The endpoint as it now stands'), ...commonErrors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const endpoint = await updateWebhookEndpoint(deps, c.req.valid('param').id, {
        url: body.url,
        description: body.description,
        eventTypes: body.event_types,
        active: body.active,
      });
      return c.json(endpointJson(endpoint), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      ...route('/{id}'),
      summary: 'Delete a webhook endpoint and its delivery log',
      request: { params: IdParam },
      responses: { 200: jsonContent(MessageSchema, 'Deleted'), ...commonErrors },
    }),
    async (c) => {
      await deleteWebhookEndpoint(deps.sql, c.req.valid('param').id);
      return c.json({ message: 'Webhook endpoint deleted' }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      ...route('/{id}/rotate_secret'),
      summary: 'Replace the signing secret; the new one is shown only this once and the old one stops signing at once',
      request: { params: IdParam },
      responses: { 200: jsonContent(EndpointWithSecretSchema, 'The endpoint with its new secret'), ...commonErrors },
    }),
    async (c) => {
      const { endpoint, secret } = await rotateWebhookSecret(deps, c.req.valid('param').id);
      return c.json({ ...endpointJson(endpoint), secret }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      ...route('/{id}/test'),
      summary: 'Send a webhook.test event to the endpoint now, and answer what the receiver said',
      description:
        'One attempt, recorded in the delivery log; sent whether or not the endpoint is active or subscribed to anything.',
      request: { params: IdParam },
      responses: {
        200: jsonContent(TestResultSchema, "The attempt's outcome (200 even when the receiver refused it)"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { attempt, delivery } = await sendWebhookTestEvent(deps, c.req.valid('param').id);
      return c.json(
        {
          delivered: attempt.outcome === 'delivered',
          status_code: attempt.statusCode,
          error: attempt.error,
          delivery: delivery ? deliveryJson(delivery) : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      ...route('/{id}/deliveries'),
      summary: "An endpoint's delivery log, newest first, in keyset pages",
      request: { params: IdParam, query: ListQuery },
      responses: {
        200: {
          ...jsonContent(z.array(DeliverySchema), 'One page; a `Link: <...>; rel="next"` header when more remain'),
          headers: { Link: { schema: { type: 'string' }, description: 'RFC 8288 link to the next page' } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      // 404 for an endpoint that does not exist, rather than an empty log.
      await getWebhookEndpoint(deps.sql, id);
      const page = await paginate(c, c.req.valid('query'), (window) => listWebhookDeliveries(deps.sql, id, window));
      return c.json(page.map(deliveryJson), 200);
    },
  );
  return app;
}
