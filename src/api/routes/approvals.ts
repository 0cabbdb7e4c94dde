import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { pendingRequestsFor } from '../../bookings/approvals';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { bearerSecurity, commonErrors, jsonContent, Timestamp } from '../schemas';

const RequestSchema = z
  .object({
    id: z
      .number()
      .int()
      .openapi({ description: 'The booking (approve or deny it at /api/bookings/{id}/approve, /deny)' }),
    venue_id: z.number().int(),
    venue_name: z.string(),
    time_zone: z.string(),
    user_id: z.number().int(),
    user_name: z.string(),
    event_name: z.string(),
    event_details: z.string(),
    date: z.string(),
    start_time: z.string(),
    end_time: z.string(),
    starts_at: Timestamp,
    ends_at: Timestamp,
    requested_at: Timestamp,
    decide_by: Timestamp.openapi({ description: "Undecided by then, the venue's default (on_timeout) applies" }),
    on_timeout: z.enum(['deny', 'approve']),
    series_id: z.number().int().nullable().openapi({
      description:
        'A date of a repeating request: approve or deny the whole series at /api/booking_series/{id}/approve, /deny; deny this date alone at /api/bookings/{id}/deny',
    }),
  })
  .openapi('ApprovalRequest');

/** The Requests inbox of the staff of venues that approve their bookings. */
export function approvalRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['bookings'],
      summary: 'Pending requests at the venues you administer (every venue for a super admin), soonest deadline first',
      security: bearerSecurity,
      middleware: signedIn(deps),
      responses: { 200: jsonContent(z.array(RequestSchema), 'Pending requests; none for a member'), ...commonErrors },
    }),
    async (c) => {
      const requests = c.var.user.role === 'member' ? [] : await pendingRequestsFor(deps.sql, c.var.user);
      return c.json(
        requests.map((r) => ({
          ...r,
          starts_at: r.starts_at.toISOString(),
          ends_at: r.ends_at.toISOString(),
          requested_at: r.requested_at.toISOString(),
          decide_by: r.decide_by.toISOString(),
        })),
        200,
      );
    },
  );
  return app;
}
