import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { findAvailability } from '../../availability/search';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { bearerSecurity, commonErrors, jsonContent, LocalDate } from '../schemas';
import { amenityNames, availabilityDefaults, VenueFilterParams } from '../venue-filters';

const DayTime = z
  .string()
  .regex(
    /^(([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?|24:00(:00)?)$/,
    'must be a time as HH:MM (24:00 for the end of the day)',
  );

const AvailabilityQuery = z
  .object({
    date: LocalDate.openapi({ param: { name: 'date', in: 'query' }, description: "The day, on each venue's clock" }),
    from: DayTime.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'From (00:00 unless said)' }),
    to: DayTime.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'To (24:00 unless said)' }),
    ...VenueFilterParams,
    min_minutes: z.coerce
      .number({ message: 'must be a whole number of minutes' })
      .int()
      .min(1)
      .max(24 * 60)
      .optional()
      .openapi({ param: { name: 'min_minutes', in: 'query' }, description: 'Free for at least this long' }),
  })
  .refine((q) => (q.to ?? '24:00') > (q.from ?? '00:00'), { message: '"to" must be after "from"', path: ['to'] });

const FreeVenueSchema = z
  .object({
    venue_id: z.number().int(),
    name: z.string(),
    capacity: z.number().int().nullable(),
    building: z.string(),
    floor: z.string(),
    time_zone: z.string(),
    amenities: z.array(z.string()),
    free: z.array(
      z.object({ starts_at: z.string(), ends_at: z.string(), start_time: z.string(), end_time: z.string() }),
    ),
  })
  .openapi('FreeVenue');

/** The room finder: venues free on a day, for the person asking. */
export function availabilityRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['venues'],
      summary:
        'Which venues you may book are free on a day, and when: opening hours, closures, buffers, bookings (pending ones too) and your rules honoured',
      security: bearerSecurity,
      middleware: signedIn(deps),
      request: { query: AvailabilityQuery },
      responses: {
        200: jsonContent(z.array(FreeVenueSchema), 'Venues with free time, by name, each with its free intervals'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const venues = await findAvailability(
        deps.sql,
        c.var.user,
        {
          date: q.date,
          from: q.from ?? '00:00',
          to: q.to ?? '24:00',
          capacity: q.capacity,
          amenities: amenityNames(q.amenities),
          venueId: q.venue,
          minLengthMinutes: q.min_minutes,
        },
        availabilityDefaults(deps),
      );
      return c.json(venues, 200);
    },
  );
  return app;
}
