/**
 * A booking request body for a slot starting `aheadMs` from now (rounded up to the next minute), in
 * the venue's zone. Bookings are within one local day, so a slot that would run past midnight is
 * cut short to end by 23:59. A start in the day's last minute (23:59) would leave no room at all,
 * so that start moves on to the next day's first minute; the returned `startsAt` is always the real
 * start, and the lifecycle tests measure from it.
 */
export function slotAhead(aheadMs: number, durationMs: number, timeZone: string, from = Date.now()): { date: string; start_time: string; end_time: string; startsAt: Date; endsAt: Date } {
  if (durationMs < 60_000) throw new Error(`slotAhead: a slot lasts at least a minute (got ${durationMs} ms)`);
  const minute = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);
  // Later on the same local day by the wall clock (an hour repeated by a DST change is not).
  const laterSameDay = (end: Date, start: Date) => {
    const [a, b] = [localParts(start, timeZone), localParts(end, timeZone)];
    return b.date === a.date && b.time > a.time;
  };
  let startsAt = new Date(Math.ceil((from + aheadMs) / 60_000) * 60_000);
  while (!laterSameDay(minute(startsAt, 1), startsAt)) startsAt = minute(startsAt, 1);
  let endsAt = minute(startsAt, durationMs / 60_000);
  while (!laterSameDay(endsAt, startsAt)) endsAt = minute(endsAt, -1);
  const local = localParts(startsAt, timeZone);
  return { date: local.date, start_time: local.time, end_time: localParts(endsAt, timeZone).time, startsAt, endsAt };
}

/** A slot on the venue-local day `daysAhead` from today, from `startHour`:00 for `hours` hours. */
export function slotOnDay(daysAhead: number, startHour: number, hours: number, timeZone: string): { date: string; start_time: string; end_time: string } {
  const date = localParts(new Date(Date.now() + daysAhead * 86_400_000), timeZone).date;
  const hh = (h: number) => String(h).padStart(2, '0');
  return { date, start_time: `${hh(startHour)}:00`, end_time: `${hh(startHour + hours)}:00` };
}

export function localParts(at: Date, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** Polls until `probe` answers; the timeout only bounds a failure, so it is generous for a loaded machine. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
