/** "4 hours", "1 day 6 hours", "30 minutes": an ISO 8601 duration as the API writes a limit (PT4H, P1DT6H). */
export function isoDurationWords(iso: string): string {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!match) return iso;
  const units = ['day', 'hour', 'minute', 'second'];
  const parts = match
    .slice(1)
    .map((value, i) => (value && Number(value) > 0 ? `${value} ${units[i]}${Number(value) === 1 ? '' : 's'}` : null))
    .filter((part) => part !== null);
  return parts.length > 0 ? parts.join(' ') : '0 minutes';
}
