import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { PageOutcome } from '../../action-links/action-handler';
import { answerLink } from '../../action-links/answer-link';
import type { ApiDeps, AppEnv } from '../context';
import { STATUS_OF_KIND } from '../errors';

const TokenParam = z.object({
  token: z
    .string()
    .min(1)
    .openapi({
      param: { name: 'token', in: 'path' },
      description: 'The signed link token from an email button',
      example: 'eyJhbGciOiJIUzI1NiJ9...',
    }),
});

const htmlPage = (description: string) => ({ content: { 'text/html': { schema: z.string() } }, description });
const linkErrors = {
  400: htmlPage('The link is damaged, or for an action this server does not perform'),
  403: htmlPage("The link's user may not do this to the booking"),
  404: htmlPage('What the link acts on no longer exists'),
  410: htmlPage('The link has expired, or its user is no longer active'),
  503: htmlPage('A dependency is unavailable; try again shortly'),
} as const;

/**
 * Pages for links in emails; they hold whoever has the link, so they must not be cached, indexed,
 * framed, leak the URL in a Referer, or run any script.
 */
const PAGE_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const pageHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(PAGE_HEADERS)) c.res.headers.set(name, value);
};

/** A page's status: the API's status for a refusal of that kind, and ours for the rest. */
const STATUS_OF_OUTCOME: Record<PageOutcome, ContentfulStatusCode> = {
  ok: 200,
  ...STATUS_OF_KIND,
  unavailable: 503,
  failed: 500,
};

/**
 * `/actions/{token}`: GET shows what the link will do and a button; only the POST that button
 * sends does it. Every answer is an HTML page with its status, errors included; the pages come
 * from src/action-links, which knows nothing of HTTP.
 */
export function actionRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{token}',
      tags: ['email links'],
      summary: 'The page an email button opens: what the link will do, and a button to do it (changes nothing)',
      middleware: [pageHeaders],
      request: { params: TokenParam },
      responses: {
        200: htmlPage('What the link will do, or that it is already done'),
        409: htmlPage('It can no longer be done (a confirm link for a cancelled booking)'),
        ...linkErrors,
      },
    }),
    async (c) => {
      const page = await answerLink(deps, c.req.valid('param').token, 'describe');
      return c.html(page.html, STATUS_OF_OUTCOME[page.outcome]);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{token}',
      tags: ['email links'],
      summary: "Do what the link says, as the user it was sent to (the page's button posts here)",
      middleware: [pageHeaders],
      request: { params: TokenParam },
      responses: {
        200: htmlPage('Done, or already done before'),
        409: htmlPage('It can no longer be done (a confirm link for a cancelled booking)'),
        ...linkErrors,
      },
    }),
    async (c) => {
      const page = await answerLink(deps, c.req.valid('param').token, 'perform');
      return c.html(page.html, STATUS_OF_OUTCOME[page.outcome]);
    },
  );
  return app;
}
