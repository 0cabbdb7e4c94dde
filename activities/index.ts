import type { ActivityDeps } from './deps';
import { notificationActivities } from './notifications';

export type { ActivityDeps };

export function createActivities(deps: ActivityDeps) {
  return {
    ...notificationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
