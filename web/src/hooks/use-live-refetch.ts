import { useEffect, useRef } from 'preact/hooks';
import type { AppNotification } from '../api/types';
import { onLiveChange } from '../live/live-state';

/**
 * Calls `refetch` when a notification arrives that `concerns` this page, and after the stream
 * reconnected without replay (anything may have changed). Pages hold server state; this keeps it live.
 */
export function useLiveRefetch(concerns: (notification: AppNotification) => boolean, refetch: () => void): void {
  const latest = useRef({ concerns, refetch });
  latest.current = { concerns, refetch };
  useEffect(
    () =>
      onLiveChange((change) => {
        if (change === null || latest.current.concerns(change)) latest.current.refetch();
      }),
    [],
  );
}

export const isBookingNews = (n: AppNotification) =>
  n.notification_type.startsWith('booking_') || n.notification_type === 'new_booking';
export const isWaitlistNews = (n: AppNotification) => n.notification_type.startsWith('waitlist_');
