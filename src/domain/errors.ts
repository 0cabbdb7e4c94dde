/**
 * What went wrong, in the domain's words. Commands and feature modules raise these with a sentence
 * the user can act on; each adapter turns the kind into its own answer (src/api/errors.ts into an
 * HTTP status, src/action-links/answer-link.ts into a page). Anything that is not a DomainError is
 * our fault.
 */
export type DomainErrorKind =
  /** The request is malformed or asks for something the rules refuse (a slot in the past). */
  | 'invalid'
  /** Nobody, or nobody we still recognise, is acting. */
  | 'unauthenticated'
  /** Someone is acting, but may not do this. */
  | 'forbidden'
  /** It does not exist, or the acting user may not know that it does. */
  | 'not_found'
  /** It exists, but its state no longer allows this (a cancelled booking, a taken slot). */
  | 'conflict'
  /** It did exist or work once and no longer does (an expired link or offer). */
  | 'gone'
  /** Too many attempts of this kind lately (failed sign-ins); try again after `retryAfterSeconds`. */
  | 'throttled'
  /** Well formed, but one of the venue's rules refuses it: `details` names the rule and its limit. */
  | 'rule'
  /** Too much of this at once on our side (sign-ins waiting for a password hash); try again after `retryAfterSeconds`. */
  | 'busy';

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** When it is worth trying again, for `throttled` and `busy`. */
    readonly retryAfterSeconds?: number,
    /** For `rule`: which rule and its limit, answered beside the sentence. */
    readonly details?: { rule: string; limit: string },
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new DomainError('invalid', message);
export const unauthenticated = (message = 'Authentication credentials were not provided or are invalid') =>
  new DomainError('unauthenticated', message);
export const forbidden = (message = 'You do not have permission to perform this action') =>
  new DomainError('forbidden', message);
export const notFound = (what = 'Resource') => new DomainError('not_found', `${what} not found`);
export const conflict = (message: string) => new DomainError('conflict', message);
export const gone = (message: string) => new DomainError('gone', message);
export const throttled = (message: string, retryAfterSeconds: number) =>
  new DomainError('throttled', message, retryAfterSeconds);

export const busy = (message: string, retryAfterSeconds: number) => new DomainError('busy', message, retryAfterSeconds);

export const ruleBroken = (message: string, details: { rule: string; limit: string }) =>
  new DomainError('rule', message, undefined, details);

export function isDomainError(error: unknown, ...kinds: DomainErrorKind[]): error is DomainError {
  return error instanceof DomainError && (kinds.length === 0 || kinds.includes(error.kind));
}
