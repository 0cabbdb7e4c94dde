import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bookingGrid } from '../../availability/grid';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { bearerSecurity, commonErrors, jsonContent, LocalDate, Timestamp } from '../schemas';
import { amenityNames, availabilityDefaults, VenueFilterParams } from '../venue-filters';

const GridQuerySchema = z.object({
  date: LocalDate.openapi({
    param: { name: 'date', in: 'query' },
    description: "The first day, on each venue's clock",
  }),
  days: z.coerce
    .number({ message: 'must be a whole number from 1 to 7' })
    .int('must be a whole number from 1 to 7')
    .min(1, 'must be a whole number from 1 to 7')
    .max(7, 'must be a whole number from 1 to 7')
    .optional()
    .openapi({
      param: { name: 'days', in: 'query' },
      description: 'How many days from `date` (1 unless said; at most 7)',
    }),
  ...VenueFilterParams,
});

const Interval = { starts_at: Timestamp, ends_at: Timestamp };

const GridVenueSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    capacity: z.number().int().nullable(),
    building: z.string(),
    floor: z.string(),
    time_zone: z.string(),
    amenities: z.array(z.string()),
    approval_required: z.boolean(),
    days: z.array(
      z
        .object({
          date: z.string(),
          closed: z.string().nullable().openapi({ description: 'Why the venue is closed that day, or null' }),
          hours: z
            .object({ opens: z.string(), closes: z.string() })
            .nullable()
            .openapi({ description: "Open from–to on the venue's clock; null when it keeps no hours that day" }),
          shut: z.boolean().openapi({ description: 'It keeps opening hours, and none on this weekday' }),
          bookings: z.array(
            z
              .object({
                id: z.number().int().nullable().openapi({ description: 'Yours, or any when you administer the venue' }),
                event_name: z.string().nullable().openapi({ description: 'As id' }),
                mine: z.boolean(),
                pending: z.boolean().openapi({ description: "Waiting for the venue's staff to approve it" }),
                series: z.boolean().openapi({ description: 'One occurrence of a repeating booking' }),
                ...Interval,
              })
              .openapi('GridBlock'),
          ),
          free: z
            .array(z.object(Interval))
            .openapi({ description: 'Free time you may book (the room finder’s answer)' }),
        })
        .openapi('GridDay'),
    ),
  })
  .openapi('GridVenue');

/** The booking grid: venues × hours for a day, or a week of one venue. */
export function scheduleRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['venues'],
      summary:
        "The booking grid: each venue's opening hours, closures, what is booked (yours named, pending requests marked) and the free time you may book, for one to seven days",
      security: bearerSecurity,
      middleware: signedIn(deps),
      request: { query: GridQuerySchema },
      responses: {
        200: jsonContent(z.array(GridVenueSchema), 'Venues (not archived) matching the filters, by name'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const venues = await bookingGrid(
        deps.sql,
        c.var.user,
        {
          date: q.date,
          days: q.days ?? 1,
          venueId: q.venue,
          capacity: q.capacity,
          amenities: amenityNames(q.amenities),
        },
        availabilityDefaults(deps),
      );
      return c.json(venues, 200);
    },
  );
  return app;
}
