import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listEmailLog, type EmailLogRow } from '../../db/email-log';
import { superAdminOnly } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { ListQuery, paginate } from '../pagination';
import { bearerSecurity, commonErrors, jsonContent, Timestamp } from '../schemas';

const STATUSES = ['pending', 'sent', 'failed', 'suppressed'] as const;

const EmailLogEntrySchema = z
  .object({
    id: z.number().int(),
    idempotency_key: z.string(),
    template: z.string(),
    recipient: z.string(),
    subject: z.string(),
    status: z.enum(STATUSES),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    suppressed_reason: z.string().nullable().openapi({ description: 'Why the recipient\'s preferences held a suppressed email back' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    sent_at: Timestamp.nullable(),
  })
  .openapi('EmailLogEntry');

const EmailLogQuery = ListQuery.extend({
  status: z.enum(STATUSES, { message: 'must be one of pending, sent, failed, suppressed' }).optional().openapi({ param: { name: 'status', in: 'query' } }),
});

function entryJson(row: EmailLogRow): z.infer<typeof EmailLogEntrySchema> {
  return {
    id: row.id,
    idempotency_key: row.idempotency_key,
    template: row.template,
    recipient: row.recipient,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    suppressed_reason: row.suppressed_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    sent_at: row.sent_at?.toISOString() ?? null,
  };
}

/** The email log for operators: what was sent, what is still retrying, and what failed and why. */
export function adminEmailRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get', path: '/', tags: ['admin'], summary: 'The email log, newest first, in keyset pages (super admin)', security: bearerSecurity, middleware: superAdminOnly(deps),
      request: { query: EmailLogQuery },
      responses: {
        200: {
          ...jsonContent(z.array(EmailLogEntrySchema), 'One page; a `Link: <...>; rel="next"` header when more remain'),
          headers: { Link: { schema: { type: 'string' }, description: 'RFC 8288 link to the next page' } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { status, ...window } = c.req.valid('query');
      const page = await paginate(c, window, (w) => listEmailLog(deps.sql, { ...w, status }));
      return c.json(page.map(entryJson), 200);
    },
  );
  return app;
}
