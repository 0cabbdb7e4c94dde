import { useEffect, useRef } from 'preact/hooks';
import type { AppNotification } from '../api/types';
import { onLiveChange, onScheduleChange } from '../live/live-state';

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

/**
 * Calls `refetch` when the schedule of a venue `watches` says it shows changes (anyone's booking
 * made, moved, cancelled or decided there), as the stream tells every open page.
 */
export function useScheduleRefetch(watches: (venueId: number) => boolean, refetch: () => void): void {
  const latest = useRef({ watches, refetch });
  latest.current = { watches, refetch };
  useEffect(
    () =>
      onScheduleChange((venueIds) => {
        if (venueIds.some((id) => latest.current.watches(id))) latest.current.refetch();
      }),
    [],
  );
}
