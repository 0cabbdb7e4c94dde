import type { ActivityDeps } from './deps';
import { broadcastActivities } from './broadcast';
import { bookingActivities } from './bookings';
import { dailyDigestActivities } from './daily-digest';
import { noticeActivities } from './notices';
import { retentionActivities } from './retention';
import { retiredNoticeActivities } from './retired-notices';
import { waitlistActivities } from './waitlist';

export type { ActivityDeps };

/** Every activity, closed over its dependencies (tests pass real ones pointed at their own servers). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...noticeActivities(deps),
    ...retiredNoticeActivities(deps),
    ...bookingActivities(deps),
    ...broadcastActivities(deps),
    ...retentionActivities(deps),
    ...dailyDigestActivities(deps),
    ...waitlistActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
