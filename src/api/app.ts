import { OpenAPIHono } from '@hono/zod-openapi';
import { limitRequestBodies } from './body-limit';
import type { ApiDeps, AppEnv } from './context';
import { failFastWhileDatabaseDown, markDatabaseDown } from './database-gate';
import { isDatabaseUnavailable } from '../db/error-codes';
import { invalid } from '../domain/errors';
import { docsRoutes } from './docs';
import { describeValidationError, renderError } from './errors';
import { refuseNulCharacters } from './refuse-nul';
import { actionRoutes } from './routes/actions';
import { adminEmailRoutes } from './routes/admin-emails';
import { authRoutes } from './routes/auth';
import { bookingRoutes } from './routes/bookings';
import { bookingSeriesRoutes } from './routes/booking-series';
import { approvalRoutes } from './routes/approvals';
import { broadcastRoutes } from './routes/broadcasts';
import { calendarFeedRoutes, calendarFileRoutes } from './routes/calendar';
import { healthRoutes } from './routes/health';
import { notificationRoutes } from './routes/notifications';
import { preferenceRoutes } from './routes/preferences';
import { userRoutes } from './routes/users';
import { amenityRoutes } from './routes/amenities';
import { availabilityRoutes } from './routes/availability';
import { scheduleRoutes } from './routes/schedule';
import { venueRuleRoutes } from './routes/venue-rules';
import { venueBookingsExportRoutes } from './routes/venue-bookings-export';
import { venueRoutes } from './routes/venues';
import { waitlistRoutes } from './routes/waitlist';
import { webhookRoutes } from './routes/webhooks';
import { securityHeaders } from './security-headers';
import { webApp } from './web-app';

/**
 * The HTTP API. Routes answer with and without a trailing slash (`strict: false`), every route is
 * declared with its schema so /openapi.json is complete, and every error is `{"error": "..."}`.
 */
export function createApp(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) throw invalid(describeValidationError(result.target, result.error));
    },
  });

  app.onError((error, c) => {
    if (isDatabaseUnavailable(error)) markDatabaseDown(deps.sql);
    return renderError(error, c, deps.logger);
  });
  app.use('*', securityHeaders);
  // Before anything reads a body: the NUL check and the validators parse JSON ahead of auth.
  app.use('*', limitRequestBodies(deps.config.http.maxBodyBytes));
  app.use('/api/*', failFastWhileDatabaseDown(deps.sql));
  app.use('/api/*', refuseNulCharacters);
  const web = webApp();
  // A browser opening an app path (a bookmark, a link in an email, a reload) gets the app's page.
  app.notFound((c) => web.pageFor(c) ?? c.json({ error: `No route for ${c.req.method} ${c.req.path}` }, 404));

  app.route('/', healthRoutes(deps));
  app.route('/api/auth', authRoutes(deps));
  app.route('/api/notifications', notificationRoutes(deps));
  app.route('/api/notifications', broadcastRoutes(deps));
  app.route('/api/admin/emails', adminEmailRoutes(deps));
  app.route('/api/users', userRoutes(deps));
  app.route('/api/venues', venueRoutes(deps));
  app.route('/api/venues', venueRuleRoutes(deps));
  app.route('/api/venues', venueBookingsExportRoutes(deps));
  app.route('/api/amenities', amenityRoutes(deps));
  app.route('/api/availability', availabilityRoutes(deps));
  app.route('/api/schedule', scheduleRoutes(deps));
  app.route('/api/bookings', bookingRoutes(deps));
  app.route('/api/booking_series', bookingSeriesRoutes(deps));
  app.route('/api/approvals', approvalRoutes(deps));
  app.route('/api/waitlist', waitlistRoutes(deps));
  app.route('/api/preferences', preferenceRoutes(deps));
  app.route('/api/calendar', calendarFeedRoutes(deps));
  app.route('/api/webhooks', webhookRoutes(deps));
  app.route('/calendar', calendarFileRoutes(deps));
  app.route('/actions', actionRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'BookIT API', version: '1.0.0', description: 'Venue bookings, their lifecycle and notifications.' },
  });
  app.route('/', docsRoutes());
  app.route('/', web.routes);
  return app;
}
