/** A slot as the API takes it: a venue-local date and times. */
export interface LocalSlot {
  date: string;
  start_time: string;
  end_time: string;
}

/** The same, with the instants it stands for. */
export interface TimedSlot extends LocalSlot {
  startsAt: Date;
  endsAt: Date;
}

/**
 * A booking request body for a slot starting `aheadMs` from now (rounded up to the next minute), in
 * the venue's zone. Bookings are within one local day, so a slot that would run past midnight is
 * cut short to end by 23:59. A start in the day's last minute (23:59) would leave no room at all,
 * so that start moves on to the next day's first minute; the returned `startsAt` is always the real
 * start, and the lifecycle tests measure from it.
 */
export function slotAhead(aheadMs: number, durationMs: number, timeZone: string, from = Date.now()): TimedSlot {
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
export function slotOnDay(daysAhead: number, startHour: number, hours: number, timeZone: string): LocalSlot {
  const date = localParts(new Date(Date.now() + daysAhead * 86_400_000), timeZone).date;
  const hh = (h: number) => String(h).padStart(2, '0');
  return { date, start_time: `${hh(startHour)}:00`, end_time: `${hh(startHour + hours)}:00` };
}

export function localParts(at: Date, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/**
 * A zone whose wall clock shows `from` and `to` on one day, so a slot (and any part of it a waiter
 * wants) never straddles a local midnight, whatever the time of day the test runs at.
 */
export function zoneWithRoom(from: number, to: number): string {
  const zones = ['Asia/Kolkata', 'UTC', 'America/New_York', 'Asia/Tokyo', 'Pacific/Honolulu'];
  const found = zones.find((zone) => localParts(new Date(from), zone).date === localParts(new Date(to), zone).date);
  if (!found) throw new Error('zoneWithRoom: no zone has the span on one day');
  return found;
}
