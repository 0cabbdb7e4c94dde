import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { EMAIL_STATUSES, listEmailLog, type EmailLogRow } from '../../notices/email-log';
import { superAdminOnly } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { ListQuery, paginate } from '../pagination';
import { bearerSecurity, commonErrors, jsonContent, Timestamp } from '../schemas';

const STATUS_HELP = [
  'queued: its first attempt is under way',
  'sent',
  'deferred: an attempt failed transiently and is retried (last_error says why)',
  'bounced: a server refused it for good (SMTP 5xx, in last_error); the address gets no more email until it changes',
  "suppressed: held back, by the recipient's preferences or because the address bounced (suppressed_reason)",
  'failed: given up after 24 hours of retries',
].join('; ');

const EmailLogEntrySchema = z
  .object({
    id: z.number().int(),
    idempotency_key: z.string(),
    template: z.string(),
    recipient: z.string(),
    subject: z.string(),
    status: z.enum(EMAIL_STATUSES).openapi({ description: STATUS_HELP }),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    suppressed_reason: z.string().nullable().openapi({
      description:
        'Why a suppressed email was held back: the recipient\'s preferences, or "the address bounced: <the server\'s answer>"',
    }),
    sent_via: z.enum(['primary', 'fallback']).nullable().openapi({
      description: "The SMTP server it went through (SMTP_URL's or SMTP_FALLBACK_URL's), or that bounced it",
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
    sent_at: Timestamp.nullable(),
  })
  .openapi('EmailLogEntry');

const EmailLogQuery = ListQuery.extend({
  status: z
    .enum(EMAIL_STATUSES, { message: `must be one of ${EMAIL_STATUSES.join(', ')}` })
    .optional()
    .openapi({ param: { name: 'status', in: 'query' } }),
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
    sent_via: row.sent_via,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    sent_at: row.sent_at?.toISOString() ?? null,
  };
}

/** The email log for operators: what was sent and through which server, what is still retrying, and what bounced or failed and why. */
export function adminEmailRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['admin'],
      summary: 'The email log, newest first, in keyset pages (super admin)',
      security: bearerSecurity,
      middleware: superAdminOnly(deps),
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
