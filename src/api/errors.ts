import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { isDatabaseUnavailable, isUnstorableText } from '../db/error-codes';
import { DomainError, type DomainErrorKind } from '../domain/errors';
import type { Logger } from '../log/logger';

/** The one mapping from what the domain refused to the status the API answers it with. */
export const STATUS_OF_KIND: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  throttled: 429,
  rule: 422,
  busy: 503,
};

const TARGET_NAMES: Record<string, string> = {
  json: 'body',
  query: 'query parameter',
  param: 'path parameter',
  header: 'header',
};

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

/**
 * The one place errors become responses: a DomainError keeps its sentence and gets its kind's
 * status, Hono's own HTTPExceptions (an unreadable JSON body) theirs; ours never leak internals.
 */
export function renderError(error: Error, c: Context, logger: Logger): Response {
  if (error instanceof DomainError) {
    if (error.retryAfterSeconds !== undefined)
      c.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    return c.json({ error: error.message, ...error.details }, STATUS_OF_KIND[error.kind]);
  }
  if (error instanceof HTTPException) {
    return c.json({ error: error.message || 'Bad request' }, error.status);
  }
  if (isUnstorableText(error)) {
    return c.json({ error: 'A text value contains a character that cannot be stored' }, 400);
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, path: c.req.path }, 'database unavailable');
    return c.json({ error: 'The database is unavailable; try again shortly' }, 503);
  }
  logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unhandled error');
  return c.json({ error: 'Internal server error' }, 500);
}
