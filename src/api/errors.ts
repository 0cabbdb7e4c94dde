import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { Logger } from '../log/logger';

/** A problem the client caused, answered as `{"error": message}` with its status. */
export function clientError(status: ContentfulStatusCode, message: string): HTTPException {
  return new HTTPException(status, { message });
}

export const badRequest = (message: string) => clientError(400, message);
export const unauthorized = (message = 'Authentication credentials were not provided or are invalid') => clientError(401, message);
export const forbidden = (message = 'You do not have permission to perform this action') => clientError(403, message);
export const notFound = (what = 'Resource') => clientError(404, `${what} not found`);
export const conflict = (message: string) => clientError(409, message);

const TARGET_NAMES: Record<string, string> = { json: 'body', query: 'query parameter', param: 'path parameter', header: 'header' };

/** One sentence naming the first field that failed validation: `body field "email": Invalid email address`. */
export function describeValidationError(target: string, error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `Invalid ${TARGET_NAMES[target] ?? target}`;
  const field = issue.path.join('.');
  const where = TARGET_NAMES[target] ?? target;
  if (!field) return `Invalid request ${where}: ${issue.message}`;
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  return missing ? `${where} field "${field}" is required` : `${where} field "${field}": ${issue.message}`;
}

// character_not_in_repertoire, untranslatable_character: a value the client sent (a NUL, say) that
// refuseNulCharacters did not see, such as one inside a path parameter.
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', '57P01', '57P03']);

/** The PostgreSQL SQLSTATE or Node/postgres.js code an error carries, if any. */
const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code) : undefined;

export function isDatabaseUnavailable(error: unknown): boolean {
  return UNAVAILABLE_CODES.has(codeOf(error) ?? '');
}

/** The one place errors become responses: client errors keep their sentence, ours never leak internals. */
export function renderError(error: Error, c: Context, logger: Logger): Response {
  if (error instanceof HTTPException) {
    return c.json({ error: error.message || 'Bad request' }, error.status);
  }
  if (UNSTORABLE_TEXT_CODES.has(codeOf(error) ?? '')) {
    return c.json({ error: 'A text value contains a character that cannot be stored' }, 400);
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, path: c.req.path }, 'database unavailable');
    return c.json({ error: 'The database is unavailable; try again shortly' }, 503);
  }
  logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
  return c.json({ error: 'Internal server error' }, 500);
}
