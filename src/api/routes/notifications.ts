import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import {
  findActiveUserWithUnreadCount,
  findNotification,
  listNotifications,
  NOTIFICATION_TYPES,
  type NotificationRow,
} from '../../notifications/store';
import { notFound } from '../../domain/errors';
import { dismiss, dismissAll, markAllRead, markRead } from '../../notifications/commands';
import { authenticateBearer, signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { ListQuery, paginate } from '../pagination';
import { bearerSecurity, commonErrors, IdParam, jsonContent, MessageSchema, Timestamp } from '../schemas';
import { notificationStreamRoutes } from './notification-stream';

export const NotificationSchema = z
  .object({
    id: z.number().int(),
    notification_type: z.enum(NOTIFICATION_TYPES),
    title: z.string(),
    message: z.string(),
    link: z.string(),
    is_read: z.boolean(),
    created_at: Timestamp,
    read_at: Timestamp.nullable(),
  })
  .openapi('Notification');

export type NotificationJson = z.infer<typeof NotificationSchema>;

export function notificationJson(row: NotificationRow): NotificationJson {
  return { ...row, created_at: row.created_at.toISOString(), read_at: row.read_at?.toISOString() ?? null };
}

const RECENT_COUNT = 10;

const InboxQuery = ListQuery.extend({
  is_read: z
    .enum(['true', 'false'])
    .optional()
    .openapi({
      param: { name: 'is_read', in: 'query' },
      description: 'Only read (true) or unread (false) notifications',
    }),
});

const CountedMessageSchema = MessageSchema.extend({ count: z.number().int() }).openapi('CountedMessage');

/**
 * The signed-in user's inbox. Every query is scoped by the user's id, so another user's
 * notification is indistinguishable from one that does not exist. Hono tries routes in the order
 * they are declared, so the fixed paths (the stream's too) come before the `/{id}` ones, which
 * match only digits.
 */
export function notificationRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.route('/', notificationStreamRoutes(deps));
  const middleware = signedIn(deps);
  const route = <const P extends string>(path: P) => ({
    path,
    tags: ['notifications'],
    security: bearerSecurity,
    middleware,
  });
  // Documented as `{id}`, routed as `:id{[0-9]+}`: a sibling router's fixed path under
  // /api/notifications (e.g. GET /broadcasts) can then never be taken for an id.
  const numericId = <R extends RouteConfig>(config: R): R => {
    const { middleware: _auth, hide: _hide, ...documented } = config;
    app.openAPIRegistry.registerPath(documented);
    return { ...config, path: config.path.replace('/{id}', '/{id{[0-9]+}}'), hide: true };
  };

  app.openapi(
    createRoute({
      method: 'get',
      ...route('/'),
      summary: 'The inbox, newest first, in keyset pages',
      request: { query: InboxQuery },
      responses: {
        200: {
          ...jsonContent(z.array(NotificationSchema), 'One page; a `Link: <...>; rel="next"` header when more remain'),
          headers: { Link: { schema: { type: 'string' }, description: 'RFC 8288 link to the next page' } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { is_read, ...window } = c.req.valid('query');
      const isRead = is_read === undefined ? undefined : is_read === 'true';
      const page = await paginate(c, window, (w) => listNotifications(deps.sql, c.var.user.id, { ...w, isRead }));
      return c.json(page.map(notificationJson), 200);
    },
  );

  // Polled often, so it costs one round trip: the caller is admitted from the same query that
  // counts (the row is still read on every request, so a deactivation or sign-out holds at once).
  const { middleware: _readsTheUserItself, ...unreadCountRoute } = route('/unread_count');
  app.openapi(
    createRoute({
      method: 'get',
      ...unreadCountRoute,
      summary: 'How many notifications are unread',
      responses: {
        200: jsonContent(z.object({ unread_count: z.number().int() }).openapi('UnreadCount'), 'The count'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const user = await authenticateBearer(deps, c.req.header('authorization'), (userId) =>
        findActiveUserWithUnreadCount(deps.sql, userId),
      );
      return c.json({ unread_count: user.unread_count }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      ...route('/recent'),
      summary: `The ${RECENT_COUNT} newest notifications`,
      responses: { 200: jsonContent(z.array(NotificationSchema), 'Newest first'), ...commonErrors },
    }),
    async (c) => {
      const rows = await listNotifications(deps.sql, c.var.user.id, { limit: RECENT_COUNT });
      return c.json(rows.map(notificationJson), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      ...route('/mark_all_read'),
      summary: 'Mark every unread notification read',
      responses: { 200: jsonContent(CountedMessageSchema, 'count is how many changed'), ...commonErrors },
    }),
    async (c) => {
      const count = await markAllRead(deps.sql, c.var.user);
      return c.json({ message: 'All notifications marked as read', count }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      ...route('/clear_all'),
      summary: 'Delete every notification',
      responses: { 200: jsonContent(CountedMessageSchema, 'count is how many were deleted'), ...commonErrors },
    }),
    async (c) => {
      const count = await dismissAll(deps.sql, c.var.user);
      return c.json({ message: 'All notifications cleared', count }, 200);
    },
  );

  app.openapi(
    numericId(
      createRoute({
        method: 'get',
        ...route('/{id}'),
        summary: 'One notification',
        request: { params: IdParam },
        responses: { 200: jsonContent(NotificationSchema, 'The notification'), ...commonErrors },
      }),
    ),
    async (c) => {
      const row = await findNotification(deps.sql, c.var.user.id, c.req.valid('param').id);
      if (!row) throw notFound('Notification');
      return c.json(notificationJson(row), 200);
    },
  );

  app.openapi(
    numericId(
      createRoute({
        method: 'post',
        ...route('/{id}/mark_read'),
        summary: 'Mark one notification read (read_at is kept from the first time)',
        request: { params: IdParam },
        responses: { 200: jsonContent(MessageSchema, 'Read'), ...commonErrors },
      }),
    ),
    async (c) => {
      await markRead(deps.sql, c.var.user, c.req.valid('param').id);
      return c.json({ message: 'Notification marked as read' }, 200);
    },
  );

  app.openapi(
    numericId(
      createRoute({
        method: 'delete',
        ...route('/{id}'),
        summary: 'Delete one notification',
        request: { params: IdParam },
        responses: { 200: jsonContent(MessageSchema, 'Deleted'), ...commonErrors },
      }),
    ),
    async (c) => {
      await dismiss(deps.sql, c.var.user, c.req.valid('param').id);
      return c.json({ message: 'Notification deleted' }, 200);
    },
  );

  return app;
}
