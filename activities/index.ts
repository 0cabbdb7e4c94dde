import type { ActivityDeps } from './deps';
import { emailActivities } from './email';
import { notificationActivities } from './notifications';

export type { ActivityDeps };

/** Every activity, closed over its dependencies (tests pass real ones pointed at their own servers). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...notificationActivities(deps),
    ...emailActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
