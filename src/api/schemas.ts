import { z } from '@hono/zod-openapi';
import { isCalendarDate } from '../bookings/local-slot';

export const ErrorSchema = z.object({ error: z.string() }).openapi('Error');
export const MessageSchema = z.object({ message: z.string() }).openapi('Message');

/** 422: a venue's rule refuses the request; the rule and its limit beside the sentence. */
export const RuleBrokenSchema = z
  .object({
    error: z.string(),
    rule: z.enum([
      'min_notice',
      'max_advance',
      'min_duration',
      'max_duration',
      'opening_hours',
      'closed',
      'max_upcoming',
      'max_upcoming_in_all',
      'max_hours_per_week',
      'who_may_book',
      'archived',
    ]),
    limit: z.string().openapi({
      description: 'The limit: an ISO 8601 duration (PT4H), a count, hours, opening hours or closed dates',
      example: 'PT4H',
    }),
  })
  .openapi('RuleBroken');

/** The 422 a request meets when one of the venue's rules refuses it. */
export const ruleResponse = {
  422: {
    content: { 'application/json': { schema: RuleBrokenSchema } },
    description: "One of the venue's rules refuses it: the rule and its limit",
  },
} as const;

// C0 controls (NUL, tab, LF, CR, ESC…), DEL, C1 controls, and the Unicode line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// The same, less tab, LF and CR.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL_CHARACTERS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * The one rule for a name a person gives something (their full name; a venue's name, location,
 * building and floor; an amenity; an event; a closure's or override's reason; a title): one line,
 * without control characters. A CR or LF in a name would start a new line wherever it is written
 * whole (a calendar's X-WR-CALNAME, a header, a log line), so it is refused here, as a 400.
 */
export function singleLine<T extends z.ZodString>(schema: T): T {
  return schema.refine((text) => !CONTROL_CHARACTERS.test(text), 'must be one line, without control characters');
}

/** Text of several lines (details, descriptions, reasons, messages): line breaks and tabs, no other control character. */
export function multiLine<T extends z.ZodString>(schema: T): T {
  return schema.refine(
    (text) => !CONTROL_CHARACTERS_BUT_LINE_BREAKS.test(text),
    'must be without control characters other than line breaks and tabs',
  );
}

export const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' }, example: 42 }),
});

/** A calendar date local to a venue, as the client writes it. */
export const LocalDate = z.string().refine(isCalendarDate, 'must be a date as YYYY-MM-DD');
/** A wall-clock time local to a venue. */
export const LocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be a time as HH:MM or HH:MM:SS');
/** An instant in a response, as ISO 8601 UTC. */
export const Timestamp = z.string().openapi({ format: 'date-time', example: '2031-01-10T04:30:00.000Z' });

const errorResponse = (description: string) => ({
  content: { 'application/json': { schema: ErrorSchema } },
  description,
});

/** The error answers every route may give, so /openapi.json documents them. */
export const commonErrors = {
  400: errorResponse('The request is malformed; the error names the field'),
  401: errorResponse('No valid access token'),
  403: errorResponse('Signed in, but not allowed'),
  404: errorResponse("Not found (also for another user's resources)"),
  413: errorResponse(
    'The request body is larger than the server accepts (64 KiB unless configured otherwise), refused before it is read',
  ),
  503: errorResponse('A dependency is unavailable'),
} as const;

export const publicErrors = { 400: commonErrors[400], 413: commonErrors[413], 503: commonErrors[503] } as const;

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } };
}

export const bearerSecurity = [{ bearerAuth: [] }];

export const conflictResponse = (description: string) => errorResponse(description);

/** 429 from the sign-in throttle, with the seconds to wait in `Retry-After`. */
const retryAfterHeader = (description: string) => ({
  'Retry-After': { description, schema: { type: 'integer' as const } },
});

/** 503 when the line for password hashes is full (PASSWORD_HASH_QUEUE): nothing was counted, come back shortly. */
export const hashingBusyResponse = {
  ...errorResponse(
    'Too many sign-ins at once for the password checks this server runs; nothing was counted, try again after Retry-After (also when a dependency is unavailable)',
  ),
  headers: retryAfterHeader('Seconds to wait before trying again'),
};

/** 429 when the account already holds MAX_STREAMS_PER_USER notification streams in this API process. */
export const tooManyStreamsResponse = {
  ...errorResponse('The account already holds the most notification streams it may here; close one (a tab) first'),
  headers: retryAfterHeader('Seconds to wait before trying again'),
};

export const throttledResponse = {
  ...errorResponse(
    'Too many failed password attempts for this account or from this address; wait as long as Retry-After says',
  ),
  headers: {
    'Retry-After': {
      description: 'Seconds until another attempt is let through',
      schema: { type: 'integer' as const },
    },
  },
};
