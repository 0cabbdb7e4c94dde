import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { BOOKING_ROLES, isoDuration } from '../../contracts/venue-rules';
import {
  addClosure,
  changeRules,
  ClosureConflictError,
  removeClosure,
  rulesView,
  type RulesView,
} from '../../rules/commands';
import { administersVenue } from '../../venues/store';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import {
  bearerSecurity,
  commonErrors,
  IdParam,
  jsonBody,
  jsonContent,
  LocalDate,
  MessageSchema,
  singleLine,
} from '../schemas';

const minutes = (description: string) =>
  z
    .number()
    .int('must be a whole number of minutes')
    .min(0, 'must be 0 (no limit) or more minutes')
    .max(366 * 24 * 60, 'must be at most a year')
    .nullable()
    .optional()
    .openapi({ description: `${description}, in minutes; 0: no limit; null: the deployment's default` });

const WallTime = z
  .string()
  .regex(
    /^(([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|24:00(:00)?)$/,
    'must be a time as HH:MM (24:00 for midnight at the end)',
  );

const HoursSchema = z
  .array(
    z.object({
      weekday: z.number().int().min(0, 'must be 0 (Sunday) to 6').max(6, 'must be 0 (Sunday) to 6'),
      opens: WallTime,
      closes: WallTime,
    }),
  )
  .max(7)
  .openapi({
    description:
      "Opening hours on the venue's clock, one entry per open weekday (0 = Sunday); a weekday left out is closed; [] is open round the clock",
  });

const ChangeRulesBody = z
  .object({
    min_notice_minutes: minutes('Book at least this long ahead'),
    max_advance_minutes: minutes('Book at most this long ahead (within the booking horizon)'),
    min_duration_minutes: minutes('The shortest booking'),
    max_duration_minutes: minutes('The longest booking'),
    setup_buffer_minutes: minutes('Kept free before each booking'),
    teardown_buffer_minutes: minutes('Kept free after each booking'),
    max_upcoming: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .nullable()
      .optional()
      .openapi({ description: 'Upcoming bookings one member may hold here; 0: no limit; null: the default' }),
    max_hours_per_week: z.number().min(0).max(168).nullable().optional().openapi({
      description: 'Hours one member may book here in one week (Monday to Sunday, venue-local); 0: no limit',
    }),
    booking_roles: z
      .array(z.enum(BOOKING_ROLES, { message: `must be among ${BOOKING_ROLES.join(', ')}` }))
      .min(1)
      .nullable()
      .optional()
      .openapi({ description: 'Who may book (its own staff always may); null: everyone' }),
    restricted: z.boolean().optional().openapi({ description: 'Only the members listed in `bookers` (and its staff)' }),
    bookers: z.array(z.number().int().positive()).max(5000).optional().openapi({ description: 'The members listed' }),
    hall_admins_edit: z
      .boolean()
      .optional()
      .openapi({ description: 'Whether its hall admins may change these (a super admin sets this)' }),
    hours: HoursSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one rule to change')
  .openapi('ChangeVenueRulesRequest');

const limitView = (ms: number) => (ms > 0 ? isoDuration(ms) : null);
const ownMinutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 60_000));

const RulesSchema = z
  .object({
    venue_id: z.number().int(),
    in_force: z
      .object({
        min_notice: z.string().nullable(),
        max_advance: z.string().nullable(),
        min_duration: z.string().nullable(),
        max_duration: z.string().nullable(),
        setup_buffer: z.string().nullable(),
        teardown_buffer: z.string().nullable(),
        max_upcoming: z.number().int().nullable(),
        max_upcoming_in_all: z.number().int().nullable(),
        max_hours_per_week: z.number().nullable(),
        booking_roles: z.array(z.string()).nullable(),
        restricted: z.boolean(),
      })
      .openapi({ description: 'The rules that apply now: ISO 8601 durations, null for no limit' }),
    own: z
      .object({
        min_notice_minutes: z.number().int().nullable(),
        max_advance_minutes: z.number().int().nullable(),
        min_duration_minutes: z.number().int().nullable(),
        max_duration_minutes: z.number().int().nullable(),
        setup_buffer_minutes: z.number().int().nullable(),
        teardown_buffer_minutes: z.number().int().nullable(),
        max_upcoming: z.number().int().nullable(),
        max_hours_per_week: z.number().nullable(),
        hall_admins_edit: z.boolean(),
      })
      .openapi({ description: "The venue's own settings; null keeps the deployment's default" }),
    hours: z.array(z.object({ weekday: z.number().int(), opens: z.string(), closes: z.string() })),
    closures: z.array(z.object({ id: z.number().int(), first: z.string(), last: z.string(), reason: z.string() })),
    bookers: z.array(z.number().int()),
  })
  .openapi('VenueRules');

function rulesJson(venueId: number, view: RulesView) {
  const { inForce, settings } = view;
  return {
    venue_id: venueId,
    in_force: {
      min_notice: limitView(inForce.minNoticeMs),
      max_advance: limitView(inForce.maxAdvanceMs),
      min_duration: limitView(inForce.minDurationMs),
      max_duration: limitView(inForce.maxDurationMs),
      setup_buffer: limitView(inForce.setupBufferMs),
      teardown_buffer: limitView(inForce.teardownBufferMs),
      max_upcoming: inForce.maxUpcomingPerVenue || null,
      max_upcoming_in_all: inForce.maxUpcoming || null,
      max_hours_per_week: inForce.maxHoursPerWeek || null,
      booking_roles: inForce.bookingRoles,
      restricted: inForce.restricted,
    },
    own: {
      min_notice_minutes: ownMinutes(settings.min_notice_ms),
      max_advance_minutes: ownMinutes(settings.max_advance_ms),
      min_duration_minutes: ownMinutes(settings.min_duration_ms),
      max_duration_minutes: ownMinutes(settings.max_duration_ms),
      setup_buffer_minutes: ownMinutes(settings.setup_buffer_ms),
      teardown_buffer_minutes: ownMinutes(settings.teardown_buffer_ms),
      max_upcoming: settings.max_upcoming,
      max_hours_per_week: settings.max_hours_per_week,
      hall_admins_edit: settings.hall_admins_edit,
    },
    hours: view.hours,
    closures: view.closures.map((c) => ({ id: c.id, first: c.first, last: c.last, reason: c.reason })),
    bookers: view.bookers,
  };
}

const AddClosureBody = z
  .object({
    first: LocalDate.openapi({ description: 'The first closed date, venue-local' }),
    last: LocalDate.openapi({ description: 'The last closed date (inclusive)' }),
    reason: singleLine(z.string().trim().min(1, 'must not be empty').max(500)),
    cancel_bookings: z.boolean().optional().openapi({
      description:
        'Cancel the bookings there not yet started (their bookers told, with the reason); without it, a 409 lists them',
    }),
  })
  .openapi('AddClosureRequest');

const ClosedOutSchema = z.object({
  id: z.number().int(),
  date: z.string(),
  start_time: z.string(),
  end_time: z.string(),
  event_name: z.string(),
  user_name: z.string(),
});

const ClosureParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' } }),
  closure_id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'closure_id', in: 'path' } }),
});

const ms = (value: number | null | undefined) =>
  value === undefined ? undefined : value === null ? null : value * 60_000;

/** A venue's rules, opening hours, closures and listed bookers. */
export function venueRuleRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const middleware = signedIn(deps);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/rules',
      tags: ['venues'],
      summary: "A venue's rules in force and its own settings, opening hours and closures (any signed-in user)",
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: { 200: jsonContent(RulesSchema, 'The rules'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const view = await rulesView(deps, id);
      // Who is listed is the venue's staff's business.
      const staff = await administersVenue(deps.sql, c.var.user, id);
      return c.json(rulesJson(id, staff ? view : { ...view, bookers: [] }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}/rules',
      tags: ['venues'],
      summary:
        "Change a venue's rules, opening hours and listed bookers (a super admin, or its hall admins while it lets them)",
      description: 'Bookings already made keep what they had; the rules apply to what is booked or moved next.',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam, ...jsonBody(ChangeRulesBody) },
      responses: { 200: jsonContent(RulesSchema, 'The rules as they now stand'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const view = await changeRules(deps, c.var.user, id, {
        rules: {
          minNoticeMs: ms(body.min_notice_minutes),
          maxAdvanceMs: ms(body.max_advance_minutes),
          minDurationMs: ms(body.min_duration_minutes),
          maxDurationMs: ms(body.max_duration_minutes),
          setupBufferMs: ms(body.setup_buffer_minutes),
          teardownBufferMs: ms(body.teardown_buffer_minutes),
          maxUpcoming: body.max_upcoming,
          maxHoursPerWeek: body.max_hours_per_week,
          bookingRoles: body.booking_roles,
          restricted: body.restricted,
          hallAdminsEdit: body.hall_admins_edit,
        },
        hours: body.hours?.map((day) => ({
          weekday: day.weekday,
          opens: day.opens.length === 5 ? `${day.opens}:00` : day.opens,
          closes: day.closes.length === 5 ? `${day.closes}:00` : day.closes,
        })),
        bookers: body.bookers,
      });
      return c.json(rulesJson(id, view), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/closures',
      tags: ['venues'],
      summary: 'Close a venue over dates, with why (a super admin, or its hall admins while it lets them)',
      description:
        'Bookings there not yet started are listed (409) unless `cancel_bookings` is true: then each is cancelled with the reason, its booker told with the calendar cancellation, and each wait there is closed with a notice that nothing is coming.',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam, ...jsonBody(AddClosureBody) },
      responses: {
        201: jsonContent(
          z.object({
            id: z.number().int(),
            first: z.string(),
            last: z.string(),
            reason: z.string(),
            cancelled: z.array(z.number().int()),
            waits_closed: z.array(z.number().int()),
          }),
          'Closed; the bookings cancelled and the waits closed',
        ),
        409: jsonContent(
          z.object({ error: z.string(), bookings: z.array(ClosedOutSchema) }),
          'It would cancel these bookings: send cancel_bookings to go ahead',
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      try {
        const { closure, cancelled, waitsClosed } = await addClosure(deps, c.var.user, c.req.valid('param').id, {
          first: body.first,
          last: body.last,
          reason: body.reason,
          cancelBookings: body.cancel_bookings ?? false,
        });
        return c.json(
          {
            id: closure.id,
            first: closure.first,
            last: closure.last,
            reason: closure.reason,
            cancelled,
            waits_closed: waitsClosed,
          },
          201,
        );
      } catch (error) {
        if (error instanceof ClosureConflictError)
          return c.json({ error: error.message, bookings: error.bookings }, 409);
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}/closures/{closure_id}',
      tags: ['venues'],
      summary: 'Reopen: remove a closure (bookings it cancelled stay cancelled)',
      security: bearerSecurity,
      middleware,
      request: { params: ClosureParams },
      responses: { 200: jsonContent(MessageSchema, 'Removed'), ...commonErrors },
    }),
    async (c) => {
      const { id, closure_id } = c.req.valid('param');
      await removeClosure(deps, c.var.user, id, closure_id);
      return c.json({ message: 'Closure removed' }, 200);
    },
  );
  return app;
}
