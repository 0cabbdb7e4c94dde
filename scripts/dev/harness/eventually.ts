// The one polling helper of the tests, the bench and the drills (test/support re-exports it).

type Answer<T> = T | undefined | null | false;

/**
 * Asks `probe` every `everyMs` until it answers with something truthy, and returns that; throws,
 * naming `what`, once `timeoutMs` has passed without one. The timeout only bounds a failure, so
 * it is generous for a loaded machine; `everyMs` is how soon a change is seen (the bench asks more
 * often where it times what it waits for, and a drill less often where each probe is heavy).
 */
export async function eventually<T>(
  probe: () => Answer<T> | Promise<Answer<T>>,
  what: string,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
