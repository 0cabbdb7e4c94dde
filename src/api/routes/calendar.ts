import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { calendarIdentity } from '../../calendar/booking-calendar';
import { feedCalendar } from '../../calendar/feed-calendar';
import {
  createFeed,
  listFeeds,
  resolveFeed,
  revokeFeed,
  type CalendarFeedRow,
  type ResolvedFeed,
} from '../../calendar/feeds';
import { isDatabaseUnavailable } from '../../db/error-codes';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { markDatabaseDown } from '../database-gate';
import {
  bearerSecurity,
  commonErrors,
  ErrorSchema,
  IdParam,
  jsonContent,
  MessageSchema,
  publicErrors,
  Timestamp,
} from '../schemas';

const FeedSchema = z
  .object({
    id: z.number().int(),
    kind: z
      .enum(['personal', 'venue'])
      .openapi({ description: 'personal: your own bookings; venue: every booking of a venue you administer' }),
    venue_id: z.number().int().nullable(),
    created_at: Timestamp,
  })
  .openapi('CalendarFeed');

const NewFeedSchema = FeedSchema.extend({
  url: z.string().openapi({
    description:
      'The private feed URL to subscribe to in a calendar app. Shown only now: the server keeps only a hash of its token; make a new one to rotate it',
    example: 'https://bookit.example/calendar/3q2-7wEVAH...Xg.ics',
  }),
}).openapi('NewCalendarFeed');

const CreateFeedBody = z
  .object({
    venue_id: z
      .number()
      .int()
      .positive()
      .optional()
      .openapi({ description: 'For a venue feed (a hall admin of the venue); leave out for your own bookings' }),
  })
  .strict()
  .openapi('CreateCalendarFeedRequest');

const FileParam = z.object({
  file: z.string().openapi({
    param: { name: 'file', in: 'path' },
    description: '`<token>.ics`, as the feed URL gives it',
    example: '3q2-7wEVAH...Xg.ics',
  }),
});

function feedJson(feed: CalendarFeedRow): z.infer<typeof FeedSchema> {
  return {
    id: feed.id,
    kind: feed.venue_id === null ? 'personal' : 'venue',
    venue_id: feed.venue_id,
    created_at: feed.created_at.toISOString(),
  };
}

/** `/api/calendar`: the signed-in user's private feed URLs. */
export function calendarFeedRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const middleware = signedIn(deps);
  const route = <const P extends string>(path: P) => ({
    path,
    tags: ['calendar'],
    security: bearerSecurity,
    middleware,
  });

  app.openapi(
    createRoute({
      method: 'post',
      ...route('/feeds'),
      summary:
        "Make (or rotate) your private calendar feed URL; a hall admin may pass venue_id for a venue's. The feed it replaces stops at once",
      request: { body: { content: { 'application/json': { schema: CreateFeedBody } }, required: false } },
      responses: {
        201: jsonContent(NewFeedSchema, 'The new feed, with its URL (shown only this once)'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { venue_id: venueId = null } = c.req.valid('json');
      const { feed, token } = await createFeed(deps.sql, c.var.user.id, venueId);
      return c.json({ ...feedJson(feed), url: `${deps.config.http.publicBaseUrl}/calendar/${token}.ics` }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      ...route('/feeds'),
      summary: 'Your live calendar feeds (their URLs are shown only when made)',
      responses: { 200: jsonContent(z.array(FeedSchema), 'Newest first'), ...commonErrors },
    }),
    async (c) => c.json((await listFeeds(deps.sql, c.var.user.id)).map(feedJson), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      ...route('/feeds/{id}'),
      summary: 'Revoke a calendar feed of yours: its URL answers 404 from now on',
      request: { params: IdParam },
      responses: { 200: jsonContent(MessageSchema, 'Revoked'), ...commonErrors },
    }),
    async (c) => {
      await revokeFeed(deps.sql, c.var.user.id, c.req.valid('param').id);
      return c.json({ message: 'Calendar feed revoked' }, 200);
    },
  );
  return app;
}

/** Feed answers hold whoever has the URL: never cached on the way, indexed, or sent on in a Referer. */
const FEED_HEADERS: Record<string, string> = {
  'Content-Type': 'text/calendar; charset=utf-8',
  'Content-Disposition': 'inline; filename="bookit.ics"',
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex',
};

/**
 * `/calendar/<token>.ics`: the feed itself, for calendar apps, which send no Authorization header;
 * the token in the URL is the credential. It is never logged: failures are logged with the feed's
 * id, and nothing else in the API logs request paths.
 */
export function calendarFileRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const identity = calendarIdentity(deps.config);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{file}',
      tags: ['calendar'],
      summary:
        "A private calendar feed (METHOD:PUBLISH): the owner's bookings, or the venue's, upcoming and of the last 30 days; no Authorization header",
      request: { params: FileParam },
      responses: {
        200: { content: { 'text/calendar': { schema: z.string() } }, description: 'The iCalendar feed' },
        404: {
          content: { 'application/json': { schema: ErrorSchema } },
          description: 'No live feed has this URL (never made, rotated, or revoked)',
        },
        ...publicErrors,
      },
    }),
    async (c) => {
      const { file } = c.req.valid('param');
      let feed: ResolvedFeed | undefined;
      try {
        feed = file.endsWith('.ics') ? await resolveFeed(deps.sql, file.slice(0, -'.ics'.length)) : undefined;
        if (!feed) return c.json({ error: 'No calendar feed has this URL; it may have been replaced or revoked' }, 404);
        return c.body(await feedCalendar(deps.sql, feed, identity), 200, FEED_HEADERS);
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          markDatabaseDown(deps.sql);
          deps.logger.warn({ err: error, feedId: feed?.id }, 'database unavailable for a calendar feed');
          return c.json({ error: 'The database is unavailable; try again shortly' }, 503);
        }
        deps.logger.error({ err: error, feedId: feed?.id }, 'calendar feed failed');
        return c.json({ error: 'Internal server error' }, 500);
      }
    },
  );
  return app;
}
