/** A booking request body for a slot starting `aheadMs` from now (rounded up to the next minute), in the venue's zone. */
export function slotAhead(aheadMs: number, durationMs: number, timeZone: string, from = Date.now()): { date: string; start_time: string; end_time: string; startsAt: Date; endsAt: Date } {
  const startsAt = new Date(Math.ceil((from + aheadMs) / 60_000) * 60_000);
  const endsAt = new Date(startsAt.getTime() + durationMs);
  const local = localParts(startsAt, timeZone);
  const end = localParts(endsAt, timeZone);
  if (end.date !== local.date) throw new Error('slotAhead: the slot must end on the day it starts; pick another duration');
  return { date: local.date, start_time: local.time, end_time: end.time, startsAt, endsAt };
}

export function localParts(at: Date, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
