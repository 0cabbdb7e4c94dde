/** Human-facing progress lines for the dev stack (stderr, so stdout stays clean for tables). */
export function say(message: string): void {
  process.stderr.write(`[bookit] ${message}\n`);
}
