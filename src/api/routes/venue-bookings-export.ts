import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bookingsCsv, EXPORT_COLUMNS, venueBookingsBetween } from '../../bookings/csv-export';
import { invalid } from '../../domain/errors';
import { administeredVenue } from '../../venues/commands';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { bearerSecurity, commonErrors, IdParam, LocalDate } from '../schemas';

/** A year and a day: a leap year's bookings fit in one export. */
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const ExportQuery = z.object({
  from: LocalDate.openapi({
    param: { name: 'from', in: 'query' },
    description: "The first date, on the venue's clock (YYYY-MM-DD)",
  }),
  to: LocalDate.openapi({
    param: { name: 'to', in: 'query' },
    description: `The last date, inclusive; at most ${MAX_DAYS} days after from, counting both`,
  }),
});

const daysIn = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;

/** `GET /api/venues/{id}/bookings.csv`: a venue's bookings over a date range, for a spreadsheet. */
export function venueBookingsExportRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/bookings.csv',
      tags: ['venues'],
      summary:
        "A venue's bookings starting on the local dates from..to, whatever became of them, as CSV (the venue's hall admins, or a super admin)",
      description: `Columns: ${EXPORT_COLUMNS.join(', ')}. Dates and times on the venue's clock, confirmed_at and checked_in_at in UTC (ISO 8601). A cell starting with = + - or @ is written with an apostrophe first, so a spreadsheet shows it as text.`,
      security: bearerSecurity,
      middleware: signedIn(deps),
      request: { params: IdParam, query: ExportQuery },
      responses: {
        200: {
          content: { 'text/csv': { schema: z.string() } },
          description: 'CSV (RFC 4180, UTF-8, CRLF lines) with a header row, in start order, as an attachment',
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { from, to } = c.req.valid('query');
      if (to < from) throw invalid('query parameter "to" must not be before "from"');
      if (daysIn(from, to) > MAX_DAYS)
        throw invalid(`The range must be at most ${MAX_DAYS} days (from ${from} to ${to} is ${daysIn(from, to)})`);
      await administeredVenue(deps.sql, c.var.user, id);
      const csv = bookingsCsv(await venueBookingsBetween(deps.sql, id, from, to));
      return c.body(csv, 200, {
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="venue-${id}-bookings-${from}-to-${to}.csv"`,
        'Cache-Control': 'private, no-store',
      });
    },
  );
  return app;
}
