import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps, AppEnv } from '../context';
import { jsonContent } from '../schemas';

const ReadySchema = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    postgres: z.boolean(),
    temporal: z.boolean(),
    error: z.string().optional(),
  })
  .openapi('Readiness');

export function healthRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['operations'],
      summary: 'The process is up',
      responses: { 200: jsonContent(z.object({ status: z.literal('ok') }), 'Up') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['operations'],
      summary: 'PostgreSQL and Temporal both answer',
      responses: {
        200: jsonContent(ReadySchema, 'Ready'),
        503: jsonContent(ReadySchema, 'A dependency does not answer; error names it'),
      },
    }),
    async (c) => {
      const [postgres, temporal] = await Promise.all([databaseAnswers(deps), deps.temporal.isReachable(2000)]);
      if (postgres && temporal) return c.json({ status: 'ready' as const, postgres, temporal }, 200);
      const down = [!postgres && 'PostgreSQL', !temporal && 'Temporal'].filter(Boolean).join(' and ');
      return c.json({ status: 'unavailable' as const, postgres, temporal, error: `${down} did not answer` }, 503);
    },
  );
  return app;
}

async function databaseAnswers({ sql }: ApiDeps): Promise<boolean> {
  try {
    await Promise.race([
      sql`select 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000)),
    ]);
    return true;
  } catch {
    return false;
  }
}
