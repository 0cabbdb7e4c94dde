import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sendBroadcast } from '../../broadcasts/commands';
import { superAdminOnly } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { bearerSecurity, commonErrors, jsonBody, jsonContent, multiLine, singleLine } from '../schemas';

/**
 * True for a link every client may follow as is: an absolute http(s) URL, a path on this site
 * (`/status`), or none (empty). Refused: `javascript:`, `data:` and other schemes, and `//host` or
 * `/\host`, which browsers read as another site.
 */
export function isFollowableLink(link: string): boolean {
  if (link === '') return true;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\s]/.test(link)) return false;
  if (link.startsWith('/')) return !link.startsWith('//') && !link.startsWith('/\\');
  if (!URL.canParse(link)) return false;
  const url = new URL(link);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
}

const BroadcastBody = z
  .object({
    title: singleLine(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')),
    message: multiLine(z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters')),
    link: z
      .string()
      .trim()
      .max(500, 'must be at most 500 characters')
      .refine(isFollowableLink, 'must be an http:// or https:// URL, or a path on this site starting with a single /')
      .optional()
      .openapi({ example: '/status' }),
  })
  .openapi('BroadcastRequest');
const BroadcastAccepted = z
  .object({ count: z.number().int().openapi({ description: 'Active users the announcement goes to' }) })
  .openapi('BroadcastAccepted');

/**
 * A super admin's announcement to every active user (see sendBroadcast). Mounted at
 * /api/notifications beside the inbox routes.
 */
export function broadcastRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/broadcast',
      tags: ['notifications'],
      security: bearerSecurity,
      summary: 'Send a system notification to every active user (super admin)',
      middleware: superAdminOnly(deps),
      request: jsonBody(BroadcastBody),
      responses: {
        201: jsonContent(BroadcastAccepted, 'Accepted; notifications are written in the background'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { broadcast, activeUsers } = await sendBroadcast(deps.sql, c.var.user, {
        title: body.title,
        message: body.message,
        link: body.link,
      });
      deps.logger.info({ broadcastId: broadcast.id, activeUsers, by: c.var.user.id }, 'broadcast accepted');
      return c.json({ count: activeUsers }, 201);
    },
  );
  return app;
}
