/** An answer other than 2xx: the server's `{"error": "..."}` sentence and the status. */
export class ApiError extends Error {
  readonly status: number;
  /** Seconds from Retry-After (429), when given. */
  readonly retryAfter: number | undefined;
  /** The parsed answer, for the few errors that say more than a sentence (a series' 409 lists its conflicts). */
  readonly body: unknown;

  constructor(status: number, message: string, retryAfter?: number, body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfter = retryAfter;
    this.body = body;
  }
}

/** The sentence to show for anything a call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
  return error instanceof Error ? error.message : 'Something went wrong.';
}
