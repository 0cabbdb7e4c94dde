import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { addAmenity, listAmenities } from '../../venues/store';
import { signedIn, superAdminOnly } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { bearerSecurity, commonErrors, jsonBody, jsonContent, singleLine } from '../schemas';

const AmenitySchema = z.object({ id: z.number().int(), name: z.string() }).openapi('Amenity');

/** The amenities list venues pick from (projector, step-free access…), kept by the super admins. */
export function amenityRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['venues'],
      summary: 'The amenities venues may have (any signed-in user)',
      security: bearerSecurity,
      middleware: signedIn(deps),
      responses: { 200: jsonContent(z.array(AmenitySchema), 'By name'), ...commonErrors },
    }),
    async (c) => c.json(await listAmenities(deps.sql), 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['venues'],
      summary: 'Add an amenity to the list (super admin); the existing one when the name is there already',
      security: bearerSecurity,
      middleware: superAdminOnly(deps),
      request: jsonBody(
        z.object({ name: singleLine(z.string().trim().min(1, 'must not be empty').max(60)) }).openapi('NewAmenity'),
      ),
      responses: {
        201: jsonContent(AmenitySchema, 'Added'),
        200: jsonContent(AmenitySchema, 'Already on the list'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { created, ...amenity } = await addAmenity(deps.sql, c.req.valid('json').name);
      return c.json(amenity, created ? 201 : 200);
    },
  );
  return app;
}
