import { insertNotification } from '../src/db/notifications';
import type { NotificationRequest } from '../workflows/email-types';
import type { ActivityDeps } from './deps';
import { composeNotification } from './notification-composer';

export function notificationActivities(deps: ActivityDeps) {
  return {
    /** Writes one in-app notification; its key makes a retried or replayed call write nothing. */
    async recordNotification(request: NotificationRequest): Promise<number | null> {
      const notification = await composeNotification(deps, request);
      return notification ? insertNotification(deps.sql, notification) : null;
    },
  };
}
