import { insertNotification, type NewNotification } from '../src/db/notifications';
import type { ActivityDeps } from './deps';

export function notificationActivities({ sql }: ActivityDeps) {
  return {
    /** Writes one in-app notification; its event key makes a retried or replayed call write nothing. */
    async recordNotification(notification: NewNotification): Promise<number | null> {
      return insertNotification(sql, notification);
    },
  };
}
