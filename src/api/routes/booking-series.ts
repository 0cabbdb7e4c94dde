import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  cancelSeries,
  confirmSeries,
  createSeries,
  decideSeries,
  moveSeries,
  seriesFor,
  SeriesConflictError,
} from '../../series/commands';
import { isMoved } from '../../series/calendar';
import { seriesOccurrences } from '../../series/store';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import {
  bearerSecurity,
  commonErrors,
  conflictResponse,
  IdParam,
  jsonBody,
  jsonContent,
  LocalDate,
  LocalTime,
  multiLine,
  ruleResponse,
  singleLine,
  Timestamp,
} from '../schemas';

const ConflictSchema = z
  .object({
    date: z.string(),
    reason: z.string(),
    held_by: z
      .array(z.object({ start_time: z.string(), end_time: z.string() }))
      .openapi({ description: 'The bookings in the way, as venue-local times' }),
    waitlist_entry_id: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'With on_conflict "waitlist": the wait joined for that date' }),
  })
  .openapi('SeriesConflict');

const CreateSeriesBody = z
  .object({
    venue: z.number({ message: 'must be a venue id' }).int().positive(),
    date: LocalDate.openapi({ description: 'The first date, local to the venue' }),
    start_time: LocalTime,
    end_time: LocalTime,
    event_name: singleLine(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')),
    event_details: multiLine(z.string().max(5000)).optional(),
    rrule: z.string().min(1).max(300).openapi({
      description: 'RFC 5545 RRULE: DAILY, WEEKLY (BYDAY) or MONTHLY, ending by COUNT or UNTIL',
      example: 'FREQ=WEEKLY;BYDAY=TU;COUNT=15',
    }),
    exdates: z.array(LocalDate).max(400).optional().openapi({ description: 'Dates to leave out' }),
    on_conflict: z
      .enum(['skip', 'waitlist', 'fail'], { message: 'must be one of skip, waitlist, fail' })
      .optional()
      .openapi({ description: 'A date someone else holds: skip it (default), join its waitlist, or book nothing' }),
  })
  .openapi('CreateBookingSeriesRequest');

const CreatedSchema = z
  .object({
    id: z.number().int(),
    occurrences: z.array(z.object({ date: z.string(), booking_id: z.number().int() })),
    conflicts: z.array(ConflictSchema),
  })
  .openapi('BookingSeriesCreated');

const SeriesSchema = z
  .object({
    id: z.number().int(),
    venue: z.number().int(),
    venue_name: z.string(),
    time_zone: z.string(),
    user: z.number().int(),
    user_name: z.string(),
    event_name: z.string(),
    event_details: z.string(),
    rrule: z.string(),
    first_date: z.string(),
    start_time: z.string(),
    end_time: z.string(),
    excluded_dates: z.array(z.string()),
    ends_before: z.string().nullable(),
    cancelled_at: Timestamp.nullable(),
    occurrences: z.array(
      z
        .object({
          booking_id: z.number().int(),
          date: z.string(),
          status: z.enum(['active', 'cancelled', 'completed']),
          confirmed: z.boolean(),
          starts_at: Timestamp,
          ends_at: Timestamp,
          moved: z.boolean().openapi({ description: "This date alone was moved off the series' times" }),
        })
        .openapi('SeriesOccurrence'),
    ),
  })
  .openapi('BookingSeries');

const CancelSeriesBody = z
  .object({
    from: LocalDate.optional().openapi({
      description:
        'Cancel this date and every later one ("this and following"); without it, all of the series. One date alone: cancel that booking',
    }),
    reason: multiLine(z.string().max(500)).optional(),
  })
  .openapi('CancelBookingSeriesRequest');

const ChangeSeriesBody = z
  .object({
    from: LocalDate.optional().openapi({
      description:
        'Move this date and every later one ("this and following"); without it, every date still to come ("all"). One date alone: change that booking',
    }),
    start_time: LocalTime.optional(),
    end_time: LocalTime.optional(),
    event_name: singleLine(
      z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    ).optional(),
    event_details: multiLine(z.string().max(5000)).optional(),
    on_conflict: z
      .enum(['skip', 'waitlist', 'fail'], { message: 'must be one of skip, waitlist, fail' })
      .optional()
      .openapi({
        description:
          'A date whose new time someone else holds: keep it at its old time (default), also join the waitlist for the new time, or change nothing',
      }),
  })
  .openapi('ChangeBookingSeriesRequest');

const MovedSchema = z
  .object({
    moved: z.array(z.object({ date: z.string(), booking_id: z.number().int() })),
    conflicts: z.array(ConflictSchema).openapi({ description: 'Dates kept at their old time, with why' }),
  })
  .openapi('BookingSeriesChanged');

/** Repeating bookings: made at once, cancelled from a date on or entirely, confirmed all at once. */
export function bookingSeriesRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const middleware = signedIn(deps);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['bookings'],
      summary: "Book a repeating slot: every date of a recurrence rule, in the venue's zone",
      security: bearerSecurity,
      middleware,
      request: jsonBody(CreateSeriesBody),
      responses: {
        201: jsonContent(
          CreatedSchema,
          'Booked: each date a booking with its own lifecycle; the dates someone else holds, with what holds them',
        ),
        409: jsonContent(
          z.object({ error: z.string(), conflicts: z.array(ConflictSchema) }),
          'on_conflict "fail" met a conflict, or every date is taken: nothing booked',
        ),
        ...ruleResponse,
        ...commonErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      try {
        const created = await createSeries(deps, c.var.user, {
          venueId: body.venue,
          date: body.date,
          startTime: body.start_time,
          endTime: body.end_time,
          eventName: body.event_name,
          eventDetails: body.event_details ?? '',
          rrule: body.rrule,
          exdates: body.exdates ?? [],
          onConflict: body.on_conflict ?? 'skip',
        });
        return c.json(created, 201);
      } catch (error) {
        if (error instanceof SeriesConflictError)
          return c.json({ error: error.message, conflicts: error.conflicts }, 409);
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags: ['bookings'],
      summary: 'A series and its occurrences (404 when you may not see it)',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: { 200: jsonContent(SeriesSchema, 'The series'), ...commonErrors },
    }),
    async (c) => {
      const series = await seriesFor(deps, c.var.user, c.req.valid('param').id, 'view');
      const occurrences = await seriesOccurrences(deps.sql, series.id);
      return c.json(
        {
          id: series.id,
          venue: series.venue_id,
          venue_name: series.venue_name,
          time_zone: series.time_zone,
          user: series.user_id,
          user_name: series.user_name,
          event_name: series.event_name,
          event_details: series.event_details,
          rrule: series.rrule,
          first_date: series.first_date,
          start_time: series.start_time,
          end_time: series.end_time,
          excluded_dates: series.excluded_dates,
          ends_before: series.ends_before,
          cancelled_at: series.cancelled_at?.toISOString() ?? null,
          occurrences: occurrences.map((o) => ({
            booking_id: o.booking_id,
            date: o.date,
            status: o.status,
            confirmed: o.confirmed,
            starts_at: o.starts_at.toISOString(),
            ends_at: o.ends_at.toISOString(),
            moved: isMoved(o),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags: ['bookings'],
      summary: 'Move a series to new times from a date on ("this and following") or all of it, or rename it',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam, ...jsonBody(ChangeSeriesBody) },
      responses: {
        200: jsonContent(
          MovedSchema,
          'Changed: each date moved re-arms its reminder and frees its old time; the dates that could not move, with why',
        ),
        409: jsonContent(
          z.object({ error: z.string(), conflicts: z.array(ConflictSchema) }),
          'on_conflict "fail" met a conflict, no date could move, or none is still to come: nothing changed',
        ),
        ...ruleResponse,
        ...commonErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      try {
        const moved = await moveSeries(deps, c.var.user, c.req.valid('param').id, {
          from: body.from ?? null,
          startTime: body.start_time,
          endTime: body.end_time,
          eventName: body.event_name,
          eventDetails: body.event_details,
          onConflict: body.on_conflict ?? 'skip',
        });
        return c.json(moved, 200);
      } catch (error) {
        if (error instanceof SeriesConflictError)
          return c.json({ error: error.message, conflicts: error.conflicts }, 409);
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/cancel',
      tags: ['bookings'],
      summary: 'Cancel a series from a date on ("this and following"), or all of it',
      security: bearerSecurity,
      middleware,
      request: {
        params: IdParam,
        body: { content: { 'application/json': { schema: CancelSeriesBody } }, required: false },
      },
      responses: {
        200: jsonContent(
          z.object({ cancelled: z.array(z.number().int()) }),
          'The bookings cancelled; their slots go to waiters',
        ),
        409: conflictResponse('Already cancelled from there'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json') ?? {};
      return c.json(
        await cancelSeries(deps, c.var.user, c.req.valid('param').id, {
          from: body.from ?? null,
          reason: body.reason ?? null,
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/confirm',
      tags: ['bookings'],
      summary: 'Confirm you still need every remaining date (the owner)',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: {
        200: jsonContent(z.object({ confirmed: z.array(z.number().int()) }), 'The bookings confirmed now'),
        ...commonErrors,
      },
    }),
    async (c) => c.json(await confirmSeries(deps, c.var.user, c.req.valid('param').id), 200),
  );
  const DecidedSchema = z.object({ decided: z.array(z.number().int()) });
  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/approve',
      tags: ['bookings'],
      summary:
        "Approve a repeating request as a whole: every date still waiting (the venue's hall admins, or a super admin)",
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: {
        200: jsonContent(DecidedSchema, 'Approved: the bookings decided; the booker is told once'),
        409: conflictResponse('No date waits for a decision'),
        ...commonErrors,
      },
    }),
    async (c) => c.json(await decideSeries(deps, c.var.user, c.req.valid('param').id, { approve: true }), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/deny',
      tags: ['bookings'],
      summary:
        "Deny a repeating request as a whole, saying why (the venue's hall admins, or a super admin); one date alone: deny that booking",
      security: bearerSecurity,
      middleware,
      request: {
        params: IdParam,
        body: {
          content: { 'application/json': { schema: z.object({ reason: multiLine(z.string().max(500)).optional() }) } },
          required: false,
        },
      },
      responses: {
        200: jsonContent(DecidedSchema, 'Denied: the booker is told why once; the slots go to waiters'),
        409: conflictResponse('No date waits for a decision'),
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json(
        await decideSeries(deps, c.var.user, c.req.valid('param').id, {
          approve: false,
          reason: c.req.valid('json')?.reason?.trim() || null,
        }),
        200,
      ),
  );
  return app;
}
