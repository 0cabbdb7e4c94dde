import type { AppNotification } from '../api/types';
import { createStore } from '../state/store';

/** The unread count exactly as the stream last said; null until it has. Never counted locally. */
export const unreadCountStore = createStore<number | null>(null);

/** A new notification, or null for "the stream reconnected: anything may have changed". */
export type LiveChange = AppNotification | null;

const listeners = new Set<(change: LiveChange) => void>();

export function onLiveChange(listener: (change: LiveChange) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceLiveChange(change: LiveChange): void {
  for (const listener of [...listeners]) listener(change);
}

const scheduleListeners = new Set<(venueIds: number[]) => void>();

/** What these venues' schedules show changed (anyone's booking), as the stream said. */
export function onScheduleChange(listener: (venueIds: number[]) => void): () => void {
  scheduleListeners.add(listener);
  return () => scheduleListeners.delete(listener);
}

export function announceScheduleChange(venueIds: number[]): void {
  for (const listener of [...scheduleListeners]) listener(venueIds);
}
