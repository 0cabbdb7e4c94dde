import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { findVenue, isVenueAdmin } from '../../venues/store';
import { forbidden, invalid } from '../../domain/errors';
import { claimOffer, joinWaitlist, leaveWaitlist } from '../../waitlist/commands';
import { listUserEntries, listVenueQueue, listWaitingEntries } from '../../waitlist/queries';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { ListQuery, paginate } from '../pagination';
import {
  bearerSecurity,
  commonErrors,
  conflictResponse,
  IdParam,
  jsonBody,
  jsonContent,
  LocalDate,
  LocalTime,
  MessageSchema,
  multiLine,
  singleLine,
} from '../schemas';

const JoinBody = z
  .object({
    venue: z.number({ message: 'must be a venue id' }).int().positive(),
    date: LocalDate,
    start_time: LocalTime,
    end_time: LocalTime,
    event_name: singleLine(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'))
      .optional()
      .openapi({
        description: 'What you mean to book: the booking a claimed offer becomes is called this',
      }),
    event_details: multiLine(z.string().max(5000)).optional(),
  })
  .openapi('JoinWaitlistRequest');

const WaitlistEntrySchema = z
  .object({
    id: z.number().int(),
    venue: z.number().int(),
    venue_name: z.string(),
    date: z.string(),
    start_time: z.string(),
    end_time: z.string(),
    priority: z.number().int(),
    status: z.enum(['waiting', 'offered', 'claimed', 'expired', 'left', 'closed']),
    notified: z.boolean(),
    notified_at: z.string().nullable(),
    time_remaining: z
      .string()
      .nullable()
      .openapi({ description: '"HH:MM:SS" left in an open offer, else null', example: '00:14:32' }),
    is_expired: z.boolean(),
    claimed: z.boolean(),
    booking_id: z.number().int().nullable(),
    created_at: z.string(),
    time_zone: z.string().openapi({ description: "The venue's IANA zone: date and times are local to it" }),
    starts_at: z.string(),
    ends_at: z.string(),
    offer_expires_at: z
      .string()
      .nullable()
      .openapi({ description: 'When an offer lapses unless claimed (null when none was made)' }),
    offer_starts_at: z.string().nullable().openapi({
      description:
        'When the offer is for part of the slot (the rest of a slot that has begun, after a no-show): its start; else null',
    }),
    offer_ends_at: z
      .string()
      .nullable()
      .openapi({ description: "The offered part's end; null when the offer is for the whole slot" }),
    user: z.number().int().optional().openapi({ description: 'Who waits (venue queue only)' }),
    user_name: z.string().optional(),
    user_email: z.string().optional(),
  })
  .openapi('WaitlistEntry');

const WaitingEntrySchema = z
  .object({
    id: z.number().int(),
    venue: z.number().int(),
    venue_name: z.string(),
    time_zone: z.string(),
    starts_at: z.string(),
    ends_at: z.string(),
    date: z.string(),
    start_time: z.string(),
    end_time: z.string(),
    status: z.enum(['waiting', 'offered']),
    offer_expires_at: z
      .string()
      .nullable()
      .openapi({ description: 'While an offer is open: when it lapses unless claimed (count down from it)' }),
    offer_starts_at: z.string().nullable().openapi({
      description:
        'While an offer of part of the slot is open (the rest of a slot that has begun): its start; else null',
    }),
    offer_ends_at: z.string().nullable(),
    notified: z.boolean(),
    priority: z.number().int(),
    users_ahead: z.number().int(),
  })
  .openapi('WaitingEntry');

const EntriesQuery = ListQuery.extend({
  venue: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: "A venue's open queue (its hall admins and super admins only)" }),
});

const Joined = z
  .object({ id: z.number().int(), message: z.string(), priority: z.number().int() })
  .openapi('JoinedWaitlist');
const CheckAndJoinAnswer = z
  .object({
    slot_available: z.boolean(),
    message: z.string().optional(),
    joined_waitlist: z.boolean().optional(),
    waitlist_id: z.number().int().optional(),
    priority: z.number().int().optional(),
  })
  .openapi('CheckAndJoinAnswer');
const Claimed = z.object({ message: z.string(), booking_id: z.number().int() }).openapi('ClaimedOffer');

const joinRequestOf = (body: z.infer<typeof JoinBody>) => ({
  venueId: body.venue,
  date: body.date,
  startTime: body.start_time,
  endTime: body.end_time,
  eventName: body.event_name,
  eventDetails: body.event_details,
});

export function waitlistRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const middleware = signedIn(deps);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['waitlist'],
      summary: 'Wait for a booked slot; date and times are local to the venue',
      security: bearerSecurity,
      middleware,
      request: jsonBody(JoinBody),
      responses: { 201: jsonContent(Joined, 'In the queue, with its priority'), ...commonErrors },
    }),
    async (c) => {
      const outcome = await joinWaitlist(deps, c.var.user, joinRequestOf(c.req.valid('json')));
      if (!outcome.joined) throw invalid('The slot is free; book it directly instead of joining the waitlist');
      return c.json({ id: outcome.id, message: 'Successfully joined waitlist', priority: outcome.priority }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['waitlist'],
      summary: "Your waitlist entries; with ?venue= a venue's queue (its hall admins, super admins)",
      security: bearerSecurity,
      middleware,
      request: { query: EntriesQuery },
      responses: {
        200: jsonContent(
          z.array(WaitlistEntrySchema),
          'Yours newest first, or the venue\'s queue by slot and priority; `Link: rel="next"` when more remain',
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { venue: venueId, ...window } = c.req.valid('query');
      const { user } = c.var;
      if (venueId === undefined)
        return c.json(await paginate(c, window, (w) => listUserEntries(deps.sql, user.id, w)), 200);
      if (user.role === 'member') throw forbidden("Only a venue's hall admins and super admins can see its waitlist");
      if (!(await findVenue(deps.sql, venueId))) throw invalid('query parameter "venue" names no venue');
      if (user.role === 'hall_admin' && !(await isVenueAdmin(deps.sql, venueId, user.id)))
        throw forbidden('You are not a hall admin of this venue');
      return c.json(await paginate(c, window, (w) => listVenueQueue(deps.sql, venueId, w)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/my_waitlist',
      tags: ['waitlist'],
      summary: 'Your open entries, with how many are ahead of you',
      security: bearerSecurity,
      middleware,
      responses: { 200: jsonContent(z.array(WaitingEntrySchema), 'Open entries, soonest slot first'), ...commonErrors },
    }),
    async (c) => {
      const entries = await listWaitingEntries(deps.sql, c.var.user.id);
      return c.json(
        entries.map((e) => ({
          ...e,
          status: e.status as 'waiting' | 'offered',
          starts_at: e.starts_at.toISOString(),
          ends_at: e.ends_at.toISOString(),
          offer_expires_at: e.offer_expires_at?.toISOString() ?? null,
          offer_starts_at: e.offer_starts_at?.toISOString() ?? null,
          offer_ends_at: e.offer_ends_at?.toISOString() ?? null,
        })),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/check_and_join',
      tags: ['waitlist'],
      summary: 'Book-or-wait helper: says a free slot is free, or joins its waitlist',
      security: bearerSecurity,
      middleware,
      request: jsonBody(JoinBody),
      responses: {
        200: jsonContent(CheckAndJoinAnswer, 'The slot is free: book it directly'),
        201: jsonContent(CheckAndJoinAnswer, 'Joined the waitlist'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const outcome = await joinWaitlist(deps, c.var.user, joinRequestOf(c.req.valid('json')), 'answer');
      if (!outcome.joined)
        return c.json({ slot_available: true, message: 'Slot is available, you can book directly' }, 200);
      return c.json(
        { slot_available: false, joined_waitlist: true, waitlist_id: outcome.id, priority: outcome.priority },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/claim',
      tags: ['waitlist'],
      summary: 'Claim the slot you were offered; it becomes your booking (repeating answers the same booking)',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: {
        201: jsonContent(Claimed, 'Booked'),
        409: conflictResponse('Someone else booked the slot first'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { bookingId } = await claimOffer(deps, c.var.user, c.req.valid('param').id);
      return c.json({ message: 'Slot claimed successfully!', booking_id: bookingId }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}/leave',
      tags: ['waitlist'],
      summary: 'Leave the waitlist; an offer you hold passes to the next person at once',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: { 200: jsonContent(MessageSchema, 'Left'), ...commonErrors },
    }),
    async (c) => {
      await leaveWaitlist(deps, c.var.user, c.req.valid('param').id);
      return c.json({ message: 'Successfully left the waitlist' }, 200);
    },
  );
  return app;
}
