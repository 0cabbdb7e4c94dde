import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { findActiveUser } from '../../users/store';
import { NotificationFeed } from '../../realtime/notification-feed';
import { notificationHubFor, type NotificationHub } from '../../realtime/notification-hub';
import { issueStreamTicket, redeemStreamTicket } from '../../realtime/stream-tickets';
import { unauthenticated } from '../../domain/errors';
import { actingUser, admitUser, requireUser, signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { bearerSecurity, commonErrors, jsonContent, tooManyStreamsResponse } from '../schemas';

const TicketSchema = z
  .object({
    ticket: z.string(),
    expires_in: z.number().int().openapi({ description: 'Seconds until the ticket lapses' }),
  })
  .openapi('StreamTicket');

/** A notification id: digits, no larger than ids can be (JavaScript's safe integers; ids are bigint). */
const cursor = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a notification id (a whole number)')
  .refine(
    (text) => Number.isSafeInteger(Number(text)),
    `must be a notification id no larger than ${Number.MAX_SAFE_INTEGER}`,
  );

const StreamQuery = z.object({
  ticket: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .openapi({ description: 'A single-use ticket from POST /api/notifications/stream_ticket' }),
  last_event_id: cursor.optional().openapi({
    description: 'Resume after this notification id (for a new EventSource, which cannot set Last-Event-ID)',
  }),
});

const StreamHeaders = z.object({
  'last-event-id': cursor
    .optional()
    .openapi({ description: 'Set by EventSource when it reconnects: resume after this notification id' }),
});

const STREAM_DESCRIPTION = [
  'Server-Sent Events. `unread_count` (`{"unread_count": N}`) on connect and whenever it changes;',
  '`notification` (a Notification, with the SSE `id:` set to its id) for each new one;',
  'a `: heartbeat` comment every 15 s. With `Last-Event-ID` or `last_event_id`, missed notifications',
  "are sent first, oldest first. When the user's sessions end (sign-out, password change, role change,",
  'deactivation), a `session_ended` event is sent and the stream closes. `schedule` (`{"venue_ids": [..]}`,',
  "no id) tells every open stream that what those venues' schedules show changed (anyone's booking made,",
  'moved, cancelled or decided), gathered over a quarter second. One account may hold at most',
  'MAX_STREAMS_PER_USER (10) streams per API process: another is refused with 429 and Retry-After, and the',
  'open ones go on.',
].join(' ');

/**
 * The real-time half of the inbox. Browsers' EventSource cannot send an Authorization header, so
 * it trades a bearer token for a single-use ticket first; other clients may send the header.
 */
export function notificationStreamRoutes(deps: ApiDeps, hub: NotificationHub = notificationHubFor(deps)) {
  const app = new OpenAPIHono<AppEnv>();
  app.openAPIRegistry.registerComponent('securitySchemes', 'streamTicket', {
    type: 'apiKey',
    in: 'query',
    name: 'ticket',
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/stream_ticket',
      tags: ['notifications'],
      security: bearerSecurity,
      middleware: signedIn(deps),
      summary: 'A single-use ticket to open the notification stream (valid 60 s)',
      responses: {
        201: jsonContent(TicketSchema, 'Pass it as ?ticket= to GET /api/notifications/stream'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { ticket, expiresIn } = await issueStreamTicket(deps.sql, c.var.user.id, c.var.tokenVersion);
      return c.json({ ticket, expires_in: expiresIn }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/stream',
      tags: ['notifications'],
      security: [{ streamTicket: [] }, ...bearerSecurity],
      middleware: [streamAuth(deps)] as const,
      summary: 'Live unread count and new notifications (Server-Sent Events)',
      description: STREAM_DESCRIPTION,
      request: { query: StreamQuery, headers: StreamHeaders },
      responses: {
        200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'An event stream' },
        ...commonErrors,
        429: tooManyStreamsResponse,
      },
    }),
    async (c) => {
      const resumeAfter = c.req.valid('header')['last-event-id'] ?? c.req.valid('query').last_event_id;
      const userId = c.var.user.id;
      const feed = await NotificationFeed.open(
        hub,
        deps.sql,
        userId,
        resumeAfter === undefined ? undefined : Number(resumeAfter),
        c.var.tokenVersion,
        deps.config.http.maxStreamsPerUser,
      );
      // Proxies such as nginx would otherwise hold events back in their buffers.
      c.header('X-Accel-Buffering', 'no');
      // Failures are logged here rather than passed to streamSSE, which would write their message to the client.
      return streamSSE(c, (stream) =>
        feed
          .run(stream)
          .catch((error: unknown) =>
            deps.logger.error({ err: error, userId }, 'notification stream failed; closing it'),
          ),
      );
    },
  );

  return app;
}

/** A `?ticket=` is redeemed (once); without one, the usual bearer header is required. */
function streamAuth(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  const bearer = requireUser(deps);
  return async (c, next) => {
    const ticket = c.req.query('ticket');
    if (ticket === undefined) return bearer(c, next);
    const redeemed = await redeemStreamTicket(deps.sql, ticket);
    if (redeemed === null) throw unauthenticated('The stream ticket is invalid, expired or already used');
    const user = await findActiveUser(deps.sql, redeemed.userId);
    if (!user) throw unauthenticated('The account for this ticket is inactive or no longer exists');
    admitUser(user, redeemed.tokenVersion);
    c.set('user', actingUser(user));
    c.set('tokenVersion', user.token_version);
    await next();
  };
}
