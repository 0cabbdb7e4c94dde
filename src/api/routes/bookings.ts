import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bookingFor, cancelBooking, confirmBooking, createBooking, rescheduleBooking } from '../../bookings/commands';
import { approveBooking, denyBooking } from '../../bookings/approvals';
import { checkInBooking } from '../../bookings/check-in';
import { BOOKING_STATES, listBookingViews, type BookingView } from '../../bookings/queries';
import { invalid } from '../../domain/errors';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { ListQuery, paginate } from '../pagination';
import { confirmationDeadline } from '../../contracts/booking-policy';
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

const isoOrNull = Timestamp.nullable();

export const BookingSchema = z
  .object({
    id: z.number().int(),
    venue: z.number().int(),
    venue_name: z.string(),
    user: z.number().int(),
    user_name: z.string(),
    date: z.string(),
    start_time: z.string(),
    end_time: z.string(),
    event_name: z.string(),
    event_details: z.string(),
    time_zone: z
      .string()
      .openapi({ description: "The venue's IANA time zone: date, start_time and end_time are local to it" }),
    starts_at: Timestamp,
    ends_at: Timestamp,
    check_in_opens_at: isoOrNull.openapi({
      description: 'When the venue asks for check-in: the window opens (null when it asks none)',
    }),
    check_in_closes_at: isoOrNull.openapi({
      description: 'Not checked in by then, the booking is released as a no-show',
    }),
    checked_in_at: isoOrNull,
    no_show: z.boolean(),
    no_show_at: isoOrNull,
    confirm_by: isoOrNull.openapi({
      description:
        'When an active, unconfirmed booking is cancelled automatically unless confirmed; null otherwise (confirmed, not active, or reminded too late to be cancelled for silence)',
    }),
    status: z.enum(['active', 'cancelled', 'completed']),
    state: z.enum(BOOKING_STATES).openapi({
      description:
        'Where it stands, one of: pending_approval, awaiting_confirmation, confirmed, checked_in, no_show (released: nobody checked in), cancelled (a denied request too), completed',
    }),
    reminder_sent: z.boolean(),
    reminder_sent_at: isoOrNull,
    approval_status: z.enum(['pending', 'approved', 'denied']).nullable().openapi({
      description:
        'At a venue whose staff approve bookings: pending (holding its slot), approved or denied; null elsewhere',
    }),
    approval_deadline: isoOrNull.openapi({
      description: "A pending request is decided by then at the latest (the venue's default applies)",
    }),
    approval_decided_at: isoOrNull.openapi({ description: 'When it was approved or denied' }),
    approval_decided_by: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Who decided; null when the deadline's default did" }),
    approval_reason: z.string().nullable().openapi({ description: 'Why it was denied' }),
    series_id: z.number().int().nullable().openapi({
      description: 'The repeating booking this is a date of (GET /api/booking_series/{id}); null for a single booking',
    }),
    rule_override_reason: z.string().nullable().openapi({
      description: "Booked past the venue's rules by its staff: why; null otherwise",
    }),
    reminder_email_bounced_at: isoOrNull.openapi({
      description:
        "When the reminder's email bounced: the booking is then not cancelled automatically (confirm_by is null)",
    }),
    confirmed: z.boolean(),
    confirmed_at: isoOrNull,
    auto_cancelled: z.boolean(),
    auto_cancelled_at: isoOrNull,
    auto_cancel_reason: z.string().nullable(),
    cancelled_at: isoOrNull,
    cancelled_by: z.number().int().nullable(),
    cancel_reason: z.string().nullable(),
    created_at: Timestamp,
  })
  .openapi('Booking');

const CreateBookingBody = z
  .object({
    venue: z.number({ message: 'must be a venue id' }).int().positive(),
    date: LocalDate,
    start_time: LocalTime,
    end_time: LocalTime,
    event_name: singleLine(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')),
    event_details: multiLine(z.string().max(5000)).optional(),
    override_reason: singleLine(z.string().trim().min(1, 'must not be empty').max(500)).optional().openapi({
      description: "A venue's staff booking past its rules, and why (recorded on the booking)",
    }),
  })
  .openapi('CreateBookingRequest');
const UpdateBookingBody = z
  .object({
    date: LocalDate.optional(),
    start_time: LocalTime.optional(),
    end_time: LocalTime.optional(),
    event_name: singleLine(z.string().trim().min(1).max(200, 'must be at most 200 characters')).optional(),
    event_details: multiLine(z.string().max(5000)).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change')
  .openapi('UpdateBookingRequest');
const CancelBody = z.object({ reason: multiLine(z.string().max(500)).optional() }).openapi('CancelBookingRequest');
const ListBookingsQuery = ListQuery.extend({
  status: z.enum(['active', 'cancelled', 'completed']).optional(),
  venue: z.coerce.number().int().positive().optional(),
  date: LocalDate.optional(),
  from: LocalDate.optional().openapi({
    description:
      "Bookings starting on or after this date on their venue's clock; with from or to, soonest start first (continued with `after`)",
  }),
  to: LocalDate.optional().openapi({ description: "Bookings starting on or before this date on their venue's clock" }),
  state: z
    .enum([...BOOKING_STATES, 'needs_action'])
    .optional()
    .openapi({
      description:
        "Only bookings in this state (see the Booking's `state`); needs_action: a request to decide, a reminded booking not yet confirmed, or one whose check-in window is open now",
    }),
  when: z.enum(['upcoming', 'past']).optional().openapi({
    description: 'upcoming: not yet ended, soonest start first; past: ended (newest first, as without it)',
  }),
  after: z
    .string()
    .regex(/^\d{1,15}_\d{1,15}$/, 'must be the cursor a Link header gave (start_id)')
    .optional()
    .openapi({
      param: { name: 'after', in: 'query' },
      description: 'With when=upcoming, from or to: continue after this start and id (the Link header gives it)',
    }),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: "true: only your own bookings (for admins, who otherwise see their venues' too)" }),
});

const iso = (value: Date | null) => (value ? value.toISOString() : null);
const isoOrNullOf = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const timingOf = (b: BookingView) => ({
  startsAt: b.starts_at.getTime(),
  reminderSent: b.reminder_sent,
  confirmDeadline: b.confirm_deadline?.getTime() ?? null,
});
export function bookingJson(b: BookingView, confirmDeadlineMs: number) {
  // A request still waiting for approval is not yet asked to confirm anything.
  const awaitingConfirmation = b.status === 'active' && !b.confirmed && b.approval_status !== 'pending';
  // The stored deadline is shown as confirm_by, which says what it means for this booking.
  const { confirm_deadline: _stored, ...view } = b;
  return {
    ...view,
    starts_at: b.starts_at.toISOString(),
    ends_at: b.ends_at.toISOString(),
    confirm_by: awaitingConfirmation ? isoOrNullOf(confirmationDeadline(timingOf(b), confirmDeadlineMs)) : null,
    reminder_sent_at: iso(b.reminder_sent_at),
    reminder_email_bounced_at: iso(b.reminder_email_bounced_at),
    approval_deadline: iso(b.approval_deadline),
    approval_decided_at: iso(b.approval_decided_at),
    confirmed_at: iso(b.confirmed_at),
    auto_cancelled_at: iso(b.auto_cancelled_at),
    cancelled_at: iso(b.cancelled_at),
    created_at: b.created_at.toISOString(),
    check_in_opens_at: iso(b.check_in_opens_at),
    check_in_closes_at: iso(b.check_in_closes_at),
    checked_in_at: iso(b.checked_in_at),
    no_show_at: iso(b.no_show_at),
  };
}

export function bookingRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const middleware = signedIn(deps);
  const toJson = (booking: BookingView) => bookingJson(booking, deps.config.lifecycle.confirmDeadlineMs);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['bookings'],
      summary: 'Book a venue; date and times are local to the venue',
      security: bearerSecurity,
      middleware,
      request: jsonBody(CreateBookingBody),
      responses: {
        201: jsonContent(BookingSchema, 'Booked; its lifecycle workflow starts'),
        409: conflictResponse('The slot overlaps an active booking'),
        ...ruleResponse,
        ...commonErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const booking = await createBooking(deps, c.var.user, {
        venueId: body.venue,
        date: body.date,
        startTime: body.start_time,
        endTime: body.end_time,
        eventName: body.event_name,
        eventDetails: body.event_details ?? '',
        overrideReason: body.override_reason,
      });
      return c.json(toJson(booking), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['bookings'],
      summary: "Bookings you may see: yours; a hall admin also their venues'; a super admin all",
      security: bearerSecurity,
      middleware,
      request: { query: ListBookingsQuery },
      responses: {
        200: jsonContent(
          z.array(BookingSchema),
          'Newest first (upcoming, from or to: soonest start first); `Link: rel="next"` when more remain',
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { status, venue, date, from, to, state, when, mine, after, ...window } = c.req.valid('query');
      if (from && to && to < from) throw invalid('query parameter "to" must not be before "from"');
      const { user } = c.var;
      const visibility =
        mine === 'true'
          ? { kind: 'own' as const, userId: user.id }
          : user.role === 'super_admin'
            ? { kind: 'all' as const }
            : user.role === 'hall_admin'
              ? { kind: 'own_and_venues' as const, userId: user.id }
              : { kind: 'own' as const, userId: user.id };
      const filter = { visibility, status, venueId: venue, date, from, to, state, when };
      if (when === 'upcoming' || from || to) {
        // An agenda (or a venue's days): soonest first, continued after the last row's start and id.
        const [startMs, id] = (after ?? '').split('_').map(Number);
        const rows = await listBookingViews(deps.sql, {
          ...filter,
          limit: window.limit + 1,
          after: after ? { startsAt: new Date(startMs!), id: id! } : undefined,
        });
        const page = rows.slice(0, window.limit);
        const last = page.at(-1);
        if (rows.length > window.limit && last) {
          const url = new URL(c.req.url);
          url.searchParams.delete('before');
          url.searchParams.set('after', `${last.starts_at.getTime()}_${last.id}`);
          c.header('Link', `<${url.pathname}${url.search}>; rel="next"`);
        }
        return c.json(page.map(toJson), 200);
      }
      const page = await paginate(c, window, (w) => listBookingViews(deps.sql, { ...w, ...filter }));
      return c.json(page.map(toJson), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags: ['bookings'],
      summary: 'One booking (404 when you may not see it)',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: { 200: jsonContent(BookingSchema, 'The booking'), ...commonErrors },
    }),
    async (c) => c.json(toJson(await bookingFor(deps.sql, c.var.user, c.req.valid('param').id, 'view')), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags: ['bookings'],
      summary: 'Change an active booking before it starts; a new time re-arms its reminder and deadline',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam, ...jsonBody(UpdateBookingBody) },
      responses: {
        200: jsonContent(BookingSchema, 'Changed'),
        409: conflictResponse('Overlaps, or no longer changeable'),
        ...ruleResponse,
        ...commonErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const booking = await rescheduleBooking(deps, c.var.user, c.req.valid('param').id, {
        date: body.date,
        startTime: body.start_time,
        endTime: body.end_time,
        eventName: body.event_name,
        eventDetails: body.event_details,
      });
      return c.json(toJson(booking), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/cancel',
      tags: ['bookings'],
      summary: 'Cancel (the booker, a hall admin of the venue, or a super admin)',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam, body: { content: { 'application/json': { schema: CancelBody } }, required: false } },
      responses: {
        200: jsonContent(z.object({ message: z.string(), booking: BookingSchema }), 'Cancelled'),
        409: conflictResponse('No longer active'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { reason } = c.req.valid('json') ?? {};
      const booking = await cancelBooking(deps, c.var.user, c.req.valid('param').id, reason);
      return c.json({ message: 'Booking cancelled successfully', booking: toJson(booking) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/confirm',
      tags: ['bookings'],
      summary: 'Confirm your booking so it is not auto-cancelled',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: {
        200: jsonContent(
          z.object({ message: z.string(), confirmed_at: z.string().nullable() }),
          'Confirmed (repeating it returns the first confirmed_at)',
        ),
        409: conflictResponse('Cancelled'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { booking } = await confirmBooking(deps, c.var.user, c.req.valid('param').id, 'owner');
      return c.json({ message: 'Booking confirmed successfully!', confirmed_at: iso(booking.confirmed_at) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/check_in',
      tags: ['bookings'],
      summary:
        "Check in to your booking (or, for the venue's staff, the booker at its desk), inside the venue's check-in window",
      description:
        'Only at a venue that asks for check-in, from `check_in_opens_at` until `check_in_closes_at`. Repeating it answers the first check-in.',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: {
        200: jsonContent(BookingSchema, 'Checked in'),
        409: conflictResponse('Outside the window, not asked for, or no longer active'),
        ...commonErrors,
      },
    }),
    async (c) => c.json(toJson((await checkInBooking(deps, c.var.user, c.req.valid('param').id)).booking), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/override_autocancel',
      tags: ['bookings'],
      summary: "Confirm on the booker's behalf (a hall admin of the venue or a super admin)",
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: {
        200: jsonContent(z.object({ message: z.string() }), 'Confirmed'),
        409: conflictResponse('Cancelled'),
        ...commonErrors,
      },
    }),
    async (c) => {
      await confirmBooking(deps, c.var.user, c.req.valid('param').id, 'override');
      return c.json({ message: 'Auto-cancel overridden. Booking confirmed.' }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/approve',
      tags: ['bookings'],
      summary: "Approve a pending request (the venue's hall admins, or a super admin)",
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: {
        200: jsonContent(BookingSchema, 'Approved: its reminder and confirmation follow as usual'),
        409: conflictResponse('Already decided'),
        ...commonErrors,
      },
    }),
    async (c) => c.json(toJson(await approveBooking(deps.sql, c.var.user, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/deny',
      tags: ['bookings'],
      summary: "Deny a pending request, saying why (the venue's hall admins, or a super admin)",
      security: bearerSecurity,
      middleware,
      request: { params: IdParam, body: { content: { 'application/json': { schema: CancelBody } }, required: false } },
      responses: {
        200: jsonContent(BookingSchema, 'Denied: the requester is told why and the slot is offered to waiters'),
        409: conflictResponse('Already decided'),
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json(
        toJson(await denyBooking(deps.sql, c.var.user, c.req.valid('param').id, c.req.valid('json')?.reason ?? null)),
        200,
      ),
  );

  return app;
}
