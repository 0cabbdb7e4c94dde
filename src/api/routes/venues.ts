import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { isIanaTimeZone } from '../../config/config';
import { listVenues, type VenueRow } from '../../venues/store';
import { venueDaySchedule } from '../../bookings/queries';
import { noShowCounts } from '../../bookings/check-in';
import { findVenue } from '../../venues/store';
import { notFound } from '../../domain/errors';
import {
  administeredVenue,
  appointVenueAdmin,
  createVenue,
  dismissVenueAdmin,
  setVenueRules,
} from '../../venues/commands';
import { signedIn, superAdminOnly } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import {
  bearerSecurity,
  commonErrors,
  IdParam,
  jsonBody,
  jsonContent,
  LocalDate,
  MessageSchema,
  multiLine,
  singleLine,
} from '../schemas';

const VenueSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    slug: z.string().openapi({
      description:
        'A stable short name made from the first name (kept when it is renamed); single sign-on groups name the venue by it, e.g. bookit-hall-admin:main-auditorium',
      example: 'main-auditorium',
    }),
    location: z.string(),
    capacity: z.number().int().nullable(),
    time_zone: z.string(),
    building: z.string(),
    floor: z.string(),
    description: z.string(),
    amenities: z.array(z.string()),
    archived: z.boolean().openapi({ description: 'Archived: no new bookings; its history stays' }),
    admin_ids: z.array(z.number().int()),
    check_in: z
      .object({
        required: z.boolean(),
        opens_before_minutes: z.number().int().openapi({ description: 'Check-in opens this long before the start' }),
        closes_after_minutes: z.number().int().openapi({
          description: 'Not checked in this long after the start (or by the end), the booking is released as a no-show',
        }),
      })
      .openapi('CheckInRule'),
    approval: z
      .object({
        required: z.boolean().openapi({
          description: 'Its hall admins approve each booking; one waits as pending until then, holding its slot',
        }),
        on_timeout: z
          .enum(['deny', 'approve'])
          .openapi({ description: 'What an undecided request comes to at its deadline' }),
      })
      .openapi('ApprovalRule'),
  })
  .openapi('Venue');
const CheckInBody = z
  .object({
    check_in: z
      .object({
        required: z.boolean(),
        opens_before_minutes: z
          .number()
          .int('must be a whole number')
          .min(0, 'must be from 0 to 1440')
          .max(1440, 'must be from 0 to 1440')
          .optional(),
        closes_after_minutes: z
          .number()
          .int('must be a whole number')
          .min(1, 'must be from 1 to 1440')
          .max(1440, 'must be from 1 to 1440')
          .optional(),
      })
      .optional(),
    approval: z
      .object({
        required: z.boolean(),
        on_timeout: z.enum(['deny', 'approve'], { message: 'must be deny or approve' }).optional(),
      })
      .optional(),
    name: singleLine(z.string().trim().min(1, 'must not be empty').max(200)).optional(),
    location: singleLine(z.string().trim().max(500)).optional(),
    capacity: z.number().int('must be a whole number').positive('must be at least 1').nullable().optional(),
    building: singleLine(z.string().trim().max(200)).optional(),
    floor: singleLine(z.string().trim().max(50)).optional(),
    description: multiLine(z.string().max(5000)).optional(),
    amenities: z
      .array(singleLine(z.string().trim().min(1).max(60)))
      .max(50)
      .optional()
      .openapi({ description: 'Its amenities, by name from GET /api/amenities (replaces the list)' }),
    archived: z.boolean().optional().openapi({ description: 'Archive (no new bookings) or bring back; a super admin' }),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change')
  .openapi('UpdateVenueRequest');
const NoShowsSchema = z
  .array(
    z
      .object({
        user_id: z.number().int(),
        full_name: z.string(),
        email: z.string(),
        no_shows: z.number().int(),
        last_no_show_at: z.string(),
      })
      .openapi('NoShowCount'),
  )
  .openapi('NoShowCounts');
const CreateVenueBody = z
  .object({
    name: singleLine(z.string().trim().min(1, 'must not be empty').max(200)),
    location: singleLine(z.string().trim().max(500)).optional(),
    capacity: z.number().int('must be a whole number').positive('must be at least 1').nullable().optional(),
    time_zone: z.string().refine(isIanaTimeZone, 'must be an IANA time zone such as Asia/Kolkata').optional(),
  })
  .openapi('CreateVenueRequest');
const ScheduleQuery = z.object({
  date: LocalDate.openapi({
    param: { name: 'date', in: 'query' },
    description: 'A date local to the venue, YYYY-MM-DD',
  }),
});
const ScheduleSchema = z
  .object({
    venue_id: z.number().int(),
    date: z.string(),
    time_zone: z.string(),
    bookings: z.array(
      z.object({
        date: z.string().openapi({
          description: 'The local date the booking starts (earlier than `date` for one running past midnight)',
        }),
        start_time: z.string(),
        end_time: z.string(),
        mine: z.boolean(),
        id: z
          .number()
          .int()
          .nullable()
          .openapi({ description: 'Only for your own bookings, or every booking when you administer the venue' }),
        event_name: z.string().nullable().openapi({ description: 'As id' }),
      }),
    ),
  })
  .openapi('VenueSchedule');
const AssignAdminBody = z.object({ user_id: z.number().int().positive() }).openapi('AssignAdminRequest');
const VenueAdminParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
  user_id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'user_id', in: 'path' } }),
});

function venueView(venue: VenueRow, adminIds: number[] = [], amenities: string[] = []) {
  return {
    id: venue.id,
    name: venue.name,
    slug: venue.slug,
    location: venue.location,
    capacity: venue.capacity,
    time_zone: venue.time_zone,
    building: venue.building,
    floor: venue.floor,
    description: venue.description,
    amenities,
    archived: venue.archived_at !== null,
    admin_ids: adminIds,
    check_in: {
      required: venue.check_in_required,
      opens_before_minutes: venue.check_in_opens_before_minutes,
      closes_after_minutes: venue.check_in_closes_after_minutes,
    },
    approval: { required: venue.approval_required, on_timeout: venue.approval_on_timeout },
  };
}

export function venueRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const anyUser = signedIn(deps);
  const superAdmin = superAdminOnly(deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['venues'],
      summary: 'All venues (any signed-in user)',
      security: bearerSecurity,
      middleware: anyUser,
      responses: { 200: jsonContent(z.array(VenueSchema), 'Venues'), ...commonErrors },
    }),
    async (c) =>
      c.json(
        (await listVenues(deps.sql)).map((venue) => venueView(venue, venue.admin_ids, venue.amenities)),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/schedule',
      tags: ['venues'],
      summary: 'What is booked at a venue on one local day, so free time shows (any signed-in user)',
      security: bearerSecurity,
      middleware: anyUser,
      request: { params: IdParam, query: ScheduleQuery },
      responses: {
        200: jsonContent(ScheduleSchema, 'Active and completed bookings overlapping the day, in start order'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { date } = c.req.valid('query');
      const venue = await findVenue(deps.sql, id);
      if (!venue) throw notFound('Venue');
      const bookings = await venueDaySchedule(deps.sql, id, date, c.var.user);
      return c.json({ venue_id: id, date, time_zone: venue.time_zone, bookings }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags: ['venues'],
      summary:
        "Change what a venue is (name, capacity, building, floor, description, amenities), whether bookers must check in and whether its admins approve each booking (a super admin or the venue's hall admin); archive it (a super admin)",
      description:
        "Applies to the venue's bookings from now on, including those already made that have not yet reached their window.",
      security: bearerSecurity,
      middleware: anyUser,
      request: { params: IdParam, ...jsonBody(CheckInBody) },
      responses: { 200: jsonContent(VenueSchema, 'The venue as it now stands'), ...commonErrors },
    }),
    async (c) => {
      const { check_in, approval, amenities, ...facts } = c.req.valid('json');
      const venue = await setVenueRules(deps.sql, c.var.user, c.req.valid('param').id, {
        facts: Object.keys(facts).length > 0 ? facts : undefined,
        amenities,
        checkIn: check_in && {
          required: check_in.required,
          opensBeforeMinutes: check_in.opens_before_minutes,
          closesAfterMinutes: check_in.closes_after_minutes,
        },
        approval: approval && { required: approval.required, onTimeout: approval.on_timeout },
      });
      return c.json(venueView(venue, venue.admin_ids, venue.amenities), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/no_shows',
      tags: ['venues'],
      summary:
        "How many of each member's bookings here were released as no-shows (a super admin or the venue's hall admin)",
      security: bearerSecurity,
      middleware: anyUser,
      request: { params: IdParam },
      responses: { 200: jsonContent(NoShowsSchema, 'Members with at least one no-show, most first'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await administeredVenue(deps.sql, c.var.user, id);
      const rows = await noShowCounts(deps.sql, id);
      return c.json(
        rows.map((row) => ({ ...row, last_no_show_at: row.last_no_show_at.toISOString() })),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['venues'],
      summary: 'Create a venue (super admin)',
      security: bearerSecurity,
      middleware: superAdmin,
      request: jsonBody(CreateVenueBody),
      responses: { 201: jsonContent(VenueSchema, 'Created'), ...commonErrors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const venue = await createVenue(deps, {
        name: body.name,
        location: body.location,
        capacity: body.capacity,
        timeZone: body.time_zone,
      });
      return c.json(venueView(venue), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/assign_admin',
      tags: ['venues'],
      summary: 'Make a hall admin an administrator of this venue (super admin)',
      security: bearerSecurity,
      middleware: superAdmin,
      request: { params: IdParam, ...jsonBody(AssignAdminBody) },
      responses: { 200: jsonContent(MessageSchema, 'Assigned'), ...commonErrors },
    }),
    async (c) => {
      const { venue, user } = await appointVenueAdmin(deps, c.req.valid('param').id, c.req.valid('json').user_id);
      return c.json({ message: `${user.full_name} is now an administrator of ${venue.name}` }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}/admins/{user_id}',
      tags: ['venues'],
      summary: 'Remove a venue administrator (super admin)',
      security: bearerSecurity,
      middleware: superAdmin,
      request: { params: VenueAdminParams },
      responses: { 200: jsonContent(MessageSchema, 'Removed'), ...commonErrors },
    }),
    async (c) => {
      const { id, user_id } = c.req.valid('param');
      await dismissVenueAdmin(deps.sql, id, user_id);
      return c.json({ message: 'Administrator removed from the venue' }, 200);
    },
  );
  return app;
}
