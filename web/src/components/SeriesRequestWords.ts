import type { ApprovalRequest } from '../api/types';
import { decideByWords } from '../format/approval-words';
import { dayOf } from '../format/zoned-time';

/** "1 date", "3 dates". */
export const datesWord = (count: number) => (count === 1 ? '1 date' : `${count} dates`);

/** "all 3 dates"; "the 1 date" when one is left. */
export const allDates = (count: number) => (count === 1 ? 'the 1 date' : `all ${count} dates`);

/** "Tue 12 May": a date of a repeating request, in its venue's zone. */
export const dayOfRequest = (request: ApprovalRequest) => dayOf(new Date(request.starts_at), request.time_zone);

/**
 * The one deadline of a repeating request and what its default does then, to every date at once:
 * "Decide by Thu 3 Dec, 14:00 GMT+5:30 (then denied automatically), for all 3 dates at once."
 */
export function seriesDecideByWords(first: ApprovalRequest, count: number, now = Date.now()): string {
  const words = decideByWords(first, now);
  return count === 1 ? words : `${words}, for ${allDates(count)} at once.`;
}
