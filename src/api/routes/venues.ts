import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { isIanaTimeZone } from '../../config/config';
import { enqueueOutbox } from '../../db/outbox';
import { findUser } from '../../db/users';
import { assignVenueAdmin, findVenue, insertVenue, listVenues, removeVenueAdmin, type VenueRow } from '../../db/venues';
import { venueAssignmentWorkflowId } from '../../temporal/workflow-ids';
import { requireRole, requireUser } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { badRequest, notFound } from '../errors';
import { bearerSecurity, commonErrors, IdParam, jsonBody, jsonContent, MessageSchema } from '../schemas';

const VenueSchema = z
  .object({ id: z.number().int(), name: z.string(), location: z.string(), capacity: z.number().int().nullable(), time_zone: z.string(), admin_ids: z.array(z.number().int()) })
  .openapi('Venue');
const CreateVenueBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    location: z.string().trim().max(500).optional(),
    capacity: z.number().int('must be a whole number').positive('must be at least 1').nullable().optional(),
    time_zone: z.string().refine(isIanaTimeZone, 'must be an IANA time zone such as Asia/Kolkata').optional(),
  })
  .openapi('CreateVenueRequest');
const AssignAdminBody = z.object({ user_id: z.number().int().positive() }).openapi('AssignAdminRequest');
const VenueAdminParams = z.object({
  id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }),
  user_id: z.coerce.number().int().positive().openapi({ param: { name: 'user_id', in: 'path' } }),
});

function venueView(venue: VenueRow, adminIds: number[] = []) {
  return { id: venue.id, name: venue.name, location: venue.location, capacity: venue.capacity, time_zone: venue.time_zone, admin_ids: adminIds };
}

export function venueRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', requireUser(deps));
  const superAdminOnly = requireRole('super_admin');

  app.openapi(
    createRoute({ method: 'get', path: '/', tags: ['venues'], summary: 'All venues (any signed-in user)', security: bearerSecurity, responses: { 200: jsonContent(z.array(VenueSchema), 'Venues'), ...commonErrors } }),
    async (c) => c.json((await listVenues(deps.sql)).map((venue) => venueView(venue, venue.admin_ids)), 200),
  );

  app.post('/', superAdminOnly);
  app.openapi(
    createRoute({
      method: 'post', path: '/', tags: ['venues'], summary: 'Create a venue (super admin)', security: bearerSecurity,
      request: jsonBody(CreateVenueBody),
      responses: { 201: jsonContent(VenueSchema, 'Created'), ...commonErrors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const venue = await insertVenue(deps.sql, { name: body.name, location: body.location ?? '', capacity: body.capacity ?? null, timeZone: body.time_zone ?? deps.config.defaultTimeZone });
      return c.json(venueView(venue), 201);
    },
  );

  app.post('/:id/assign_admin', superAdminOnly);
  app.openapi(
    createRoute({
      method: 'post', path: '/{id}/assign_admin', tags: ['venues'], summary: 'Make a hall admin an administrator of this venue (super admin)', security: bearerSecurity,
      request: { params: IdParam, ...jsonBody(AssignAdminBody) },
      responses: { 200: jsonContent(MessageSchema, 'Assigned'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { user_id } = c.req.valid('json');
      const [venue, user] = await Promise.all([findVenue(deps.sql, id), findUser(deps.sql, user_id)]);
      if (!venue) throw notFound('Venue');
      if (!user) throw badRequest('body field "user_id" names no user');
      if (user.role !== 'hall_admin') throw badRequest('body field "user_id" must name a hall admin');
      await deps.sql.begin(async (tx) => {
        if (!(await assignVenueAdmin(tx, venue.id, user.id))) return;
        const assignmentId = randomUUID();
        await enqueueOutbox(tx, {
          kind: 'start',
          workflowId: venueAssignmentWorkflowId(venue.id, user.id, assignmentId),
          workflowType: 'venueAssignmentWorkflow',
          args: [{ venueId: venue.id, userId: user.id, assignmentId, emailRetryInitialMs: deps.config.lifecycle.emailRetryInitialMs }],
          staticSummary: `${venue.name} · hall admin ${user.id} assigned`,
        });
      });
      return c.json({ message: `${user.full_name} is now an administrator of ${venue.name}` }, 200);
    },
  );

  app.delete('/:id/admins/:user_id', superAdminOnly);
  app.openapi(
    createRoute({
      method: 'delete', path: '/{id}/admins/{user_id}', tags: ['venues'], summary: 'Remove a venue administrator (super admin)', security: bearerSecurity,
      request: { params: VenueAdminParams },
      responses: { 200: jsonContent(MessageSchema, 'Removed'), ...commonErrors },
    }),
    async (c) => {
      const { id, user_id } = c.req.valid('param');
      if (!(await removeVenueAdmin(deps.sql, id, user_id))) throw notFound('Venue administrator');
      return c.json({ message: 'Administrator removed from the venue' }, 200);
    },
  );
  return app;
}
