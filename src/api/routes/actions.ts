import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { verifyActionToken } from '../../auth/action-tokens';
import { findActiveUser } from '../../db/users';
import type { ActionPage } from '../../web/action-handler';
import { actionHandlers } from '../../web/action-registry';
import { renderActionPrompt, renderOutcome } from '../../web/render-page';
import type { ApiDeps, AppEnv } from '../context';
import { isDatabaseUnavailable } from '../errors';

const TokenParam = z.object({
  token: z.string().min(1).openapi({ param: { name: 'token', in: 'path' }, description: 'The signed link token from an email button', example: 'eyJhbGciOiJIUzI1NiJ9...' }),
});

const htmlPage = (description: string) => ({ content: { 'text/html': { schema: z.string() } }, description });
const linkErrors = {
  400: htmlPage('The link is damaged, or for an action this server does not perform'),
  403: htmlPage('The link\'s user may not do this to the booking'),
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
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const pageHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(PAGE_HEADERS)) c.res.headers.set(name, value);
};

/**
 * `/actions/{token}`: GET shows what the link will do and a button; only the POST that button
 * sends does it. Every answer is an HTML page with its status, errors included.
 */
export function actionRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', pageHeaders);

  app.openapi(
    createRoute({
      method: 'get', path: '/{token}', tags: ['email links'], summary: 'The page an email button opens: what the link will do, and a button to do it (changes nothing)',
      request: { params: TokenParam },
      responses: { 200: htmlPage('What the link will do, or that it is already done'), 409: htmlPage('It can no longer be done (a confirm link for a cancelled booking)'), ...linkErrors },
    }),
    async (c) => {
      const page = await answerLink(deps, c.req.valid('param').token, 'describe');
      return c.html(page.html, page.status);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/{token}', tags: ['email links'], summary: 'Do what the link says, as the user it was sent to (the page\'s button posts here)',
      request: { params: TokenParam },
      responses: { 200: htmlPage('Done, or already done before'), 409: htmlPage('It can no longer be done (a confirm link for a cancelled booking)'), ...linkErrors },
    }),
    async (c) => {
      const page = await answerLink(deps, c.req.valid('param').token, 'perform');
      return c.html(page.html, page.status);
    },
  );
  return app;
}

type RenderedPage = { status: ActionPage['status']; html: string };

async function answerLink(deps: ApiDeps, token: string, step: 'describe' | 'perform'): Promise<RenderedPage> {
  let context: Record<string, unknown> = { step };
  try {
    const check = await verifyActionToken(deps.keys.action, token);
    if (!check.ok) return check.reason === 'expired' ? outcome(EXPIRED) : outcome(INVALID);
    const { action, targetId, userId } = check.claims;
    context = { step, action, targetId, userId };
    const handler = actionHandlers[action];
    if (!handler) return outcome(UNSUPPORTED);
    const user = await findActiveUser(deps.sql, userId);
    if (!user) return outcome(USER_INACTIVE);
    const request = { deps, user, targetId };
    if (step === 'describe') {
      const prompt = await handler.describe(request);
      return { status: prompt.status, html: renderActionPrompt({ ...prompt, recipient: user.full_name }) };
    }
    return outcome(await handler.perform(request), user.full_name);
  } catch (error) {
    if (error instanceof HTTPException) return outcome(refusal(error));
    // Logged with the claims, never the token or the URL that carries it.
    if (isDatabaseUnavailable(error)) {
      deps.logger.warn({ err: error, ...context }, 'database unavailable for an email link');
      return outcome(UNAVAILABLE);
    }
    deps.logger.error({ err: error, ...context }, 'email link failed');
    return outcome(FAILED);
  }
}

function outcome(page: ActionPage, recipient: string | null = null): RenderedPage {
  return { status: page.status, html: renderOutcome({ ...page, recipient }) };
}

const notice = (status: ActionPage['status'], title: string, message: string): ActionPage => ({ status, tone: status >= 500 ? 'error' : 'warning', title, message, details: [] });

const INVALID = notice(400, 'This link is not valid', 'It may have been cut short or changed when it was copied. Open it again from the email, or do this in BookIT instead.');
const UNSUPPORTED = notice(400, 'This link is not supported', 'BookIT cannot act on this kind of link. Do this in BookIT instead.');
const EXPIRED = notice(410, 'This link has expired', 'Links in emails work for a limited time. Do this in BookIT instead, or use the link in a newer email.');
const USER_INACTIVE = notice(410, 'This link can no longer be used', 'The account it was sent to is no longer active.');
const UNAVAILABLE = notice(503, 'BookIT is briefly unavailable', 'Nothing was changed. Please try again in a few minutes.');
const FAILED = notice(500, 'Something went wrong', 'We could not finish this, and we have logged the problem. Please try again later.');

const REFUSAL_TITLES: Partial<Record<number, string>> = {
  400: 'This link cannot be used',
  403: 'This is not yours to do',
  404: 'We could not find this',
  409: 'This can no longer be done',
  410: 'This link can no longer be used',
};

/** A problem the link's user ran into, in the sentence the command threw it with. */
function refusal(error: HTTPException): ActionPage {
  const status = error.status as ActionPage['status'];
  return notice(status, REFUSAL_TITLES[status] ?? 'This cannot be done', error.message || 'This link cannot be used.');
}
