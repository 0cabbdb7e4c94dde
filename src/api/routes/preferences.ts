import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { CHANNELS, PREFERENCE_TYPE_NAMES, type PreferenceType } from '../../preferences/catalogue';
import {
  preferencesOf,
  updatePreferences,
  type PreferenceChanges,
  type PreferencesView,
} from '../../preferences/preferences';
import { muteVenueAlerts, unmuteVenueAlerts } from '../../preferences/venue-mutes';
import { signedIn } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { bearerSecurity, commonErrors, jsonBody, jsonContent } from '../schemas';

const PreferenceTypeName = z.enum(PREFERENCE_TYPE_NAMES as [PreferenceType, ...PreferenceType[]]);

const ChannelState = z
  .object({
    enabled: z.boolean(),
    default: z.boolean().openapi({ description: 'What it is for a user who never chose' }),
  })
  .nullable()
  .openapi('PreferenceChannel', { description: 'null when the type does not come on this channel' });

const PreferencesSchema = z
  .object({
    types: z.array(
      z
        .object({
          type: PreferenceTypeName,
          label: z.string(),
          description: z.string(),
          audience: z.enum(['everyone', 'hall_admins']).openapi({
            description: 'hall_admins: sent only to hall admins (a settings page may hide it from others)',
          }),
          critical: z.boolean().openapi({
            description: 'Needed to run bookings or the account: may be off on one channel, never on both',
          }),
          channels: z.object({ email: ChannelState, in_app: ChannelState }),
        })
        .openapi('PreferenceType'),
    ),
    muted_venue_ids: z
      .array(z.number().int())
      .openapi({ description: 'Venues whose new-booking alerts (email and in-app) you muted' }),
  })
  .openapi('Preferences');

const ChannelChange = z
  .object({ email: z.boolean().optional(), in_app: z.boolean().optional() })
  .strict()
  .openapi('PreferenceChange');

const UpdatePreferencesBody = z
  .object(
    Object.fromEntries(PREFERENCE_TYPE_NAMES.map((type) => [type, ChannelChange.optional()])) as Record<
      PreferenceType,
      z.ZodOptional<typeof ChannelChange>
    >,
  )
  .strict()
  .openapi('UpdatePreferencesRequest', {
    description: 'Only the types and channels named change, e.g. `{"booking_confirmed": {"email": false}}`',
    example: { booking_confirmed: { email: false }, new_booking: { in_app: false } },
  });

const VenueParam = z.object({
  venue_id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'venue_id', in: 'path' }, example: 3 }),
});

function preferencesJson(view: PreferencesView): z.infer<typeof PreferencesSchema> {
  return { types: view.types, muted_venue_ids: view.mutedVenueIds };
}

/**
 * The signed-in user's notification preferences: per type and channel, defaults filled in, and a
 * hall admin's muted venues. The activities that send read the same rows (src/preferences/decide.ts).
 */
export function preferenceRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const middleware = signedIn(deps);
  const route = <const P extends string>(path: P) => ({
    path,
    tags: ['preferences'],
    security: bearerSecurity,
    middleware,
  });

  app.openapi(
    createRoute({
      method: 'get',
      ...route('/'),
      summary:
        'Every notification type with its channels, your choices (or the defaults), which are critical, and your muted venues',
      responses: { 200: jsonContent(PreferencesSchema, 'Your preferences'), ...commonErrors },
    }),
    async (c) => c.json(preferencesJson(await preferencesOf(deps.sql, c.var.user.id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      ...route('/'),
      summary: 'Turn channels of notification types on or off (a partial update; a critical type stays on somewhere)',
      request: jsonBody(UpdatePreferencesBody),
      responses: { 200: jsonContent(PreferencesSchema, 'Your preferences after the change'), ...commonErrors },
    }),
    async (c) => {
      const changes: PreferenceChanges = {};
      for (const [type, change] of Object.entries(c.req.valid('json')) as Array<
        [PreferenceType, z.infer<typeof ChannelChange> | undefined]
      >) {
        if (change)
          changes[type] = Object.fromEntries(
            CHANNELS.filter((channel) => change[channel] !== undefined).map((channel) => [channel, change[channel]]),
          );
      }
      await updatePreferences(deps.sql, c.var.user.id, changes);
      return c.json(preferencesJson(await preferencesOf(deps.sql, c.var.user.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      ...route('/venue_mutes/{venue_id}'),
      summary: 'Mute the new-booking alerts of a venue you administer (hall admin of that venue)',
      request: { params: VenueParam },
      responses: { 200: jsonContent(PreferencesSchema, 'Your preferences, the venue muted'), ...commonErrors },
    }),
    async (c) => {
      await muteVenueAlerts(deps.sql, c.var.user.id, c.req.valid('param').venue_id);
      return c.json(preferencesJson(await preferencesOf(deps.sql, c.var.user.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      ...route('/venue_mutes/{venue_id}'),
      summary: 'Hear of new bookings at a venue you administer again (hall admin of that venue)',
      request: { params: VenueParam },
      responses: {
        200: jsonContent(PreferencesSchema, 'Your preferences, the venue no longer muted'),
        ...commonErrors,
      },
    }),
    async (c) => {
      await unmuteVenueAlerts(deps.sql, c.var.user.id, c.req.valid('param').venue_id);
      return c.json(preferencesJson(await preferencesOf(deps.sql, c.var.user.id)), 200);
    },
  );
  return app;
}
