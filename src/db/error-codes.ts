// character_not_in_repertoire, untranslatable_character: a value the client sent (a NUL, say) that
// the API's refuseNulCharacters did not see, such as one inside a path parameter.
const UNSTORABLE_TEXT_CODES = new Set(['22021', '22P05']);
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01',
  '57P03',
]);

/** The PostgreSQL SQLSTATE or Node/postgres.js code an error carries, if any. */
export const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code) : undefined;

/** PostgreSQL is down, restarting or unreachable: worth trying again shortly, nobody's fault. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return UNAVAILABLE_CODES.has(codeOf(error) ?? '');
}

/** PostgreSQL refused a text value it cannot store (a NUL character). */
export function isUnstorableText(error: unknown): boolean {
  return UNSTORABLE_TEXT_CODES.has(codeOf(error) ?? '');
}
