import type { ActivityDeps } from './deps';
import { broadcastActivities } from './broadcast';
import { bookingActivities } from './bookings';
import { bookingNoticeActivities } from './booking-notices';
import { dailyDigestActivities } from './daily-digest';
import { emailActivities } from './email';
import { notificationActivities } from './notifications';
import { retentionActivities } from './retention';
import { waitlistActivities } from './waitlist';

export type { ActivityDeps };

/** Every activity, closed over its dependencies (tests pass real ones pointed at their own servers). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...notificationActivities(deps),
    ...emailActivities(deps),
    ...bookingActivities(deps),
    ...bookingNoticeActivities(deps),
    ...broadcastActivities(deps),
    ...retentionActivities(deps),
    ...dailyDigestActivities(deps),
    ...waitlistActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
