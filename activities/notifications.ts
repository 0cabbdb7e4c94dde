import { insertNotification } from '../src/db/notifications';
import type { NotificationRequest } from '../workflows/email-types';
import type { ActivityDeps } from './deps';
import { notificationToWrite } from './delivery-preferences';

export function notificationActivities(deps: ActivityDeps) {
  return {
    /**
     * Writes one in-app notification unless its recipient turned its type off in-app; its key makes
     * a retried or replayed call write nothing.
     */
    async recordNotification(request: NotificationRequest): Promise<number | null> {
      const notification = await notificationToWrite(deps, request);
      return notification ? insertNotification(deps.sql, notification) : null;
    },
  };
}
