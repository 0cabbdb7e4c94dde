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
