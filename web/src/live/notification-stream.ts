import { requestStreamTicket } from '../api/notifications';
import { ApiError } from '../api/api-error';
import type { AppNotification } from '../api/types';
import { refreshAccessToken } from '../session/refresh-access';
import { sessionEnded, sessionStore } from '../session/session-state';
import { announceLiveChange, announceScheduleChange, unreadCountStore } from './live-state';

const MAX_BACKOFF_MS = 30_000;

/**
 * The one notification stream of this tab. A ticket is single-use, so EventSource's own retry (which
 * would resend the spent ticket) is never used: on an error the source is closed and a new one is
 * opened with a fresh ticket and the last notification id seen, after 1 s, 2 s, 4 s … at most 30 s.
 */
class NotificationStream {
  #running = false;
  /** Bumped by stop(): answers and timers from an older run are then ignored. */
  #run = 0;
  #source: EventSource | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #lastId: string | null = null;
  #hasConnected = false;

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#connect(this.#run);
  }

  stop(): void {
    this.#running = false;
    this.#run += 1;
    clearTimeout(this.#timer);
    this.#source?.close();
    this.#source = null;
  }

  async #connect(run: number): Promise<void> {
    let ticket: string;
    try {
      ticket = (await requestStreamTicket()).ticket;
    } catch (error) {
      if (run !== this.#run) return;
      // 401: the session is over and sign-in is shown; 403: not allowed to stream (password to change).
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return;
      this.#retryLater(run);
      return;
    }
    if (run !== this.#run) return;
    const resume = this.#lastId ? `&last_event_id=${encodeURIComponent(this.#lastId)}` : '';
    const source = new EventSource(`/api/notifications/stream?ticket=${encodeURIComponent(ticket)}${resume}`);
    this.#source = source;
    let greeted = false;
    source.addEventListener('unread_count', (event) => {
      const count = (JSON.parse((event as MessageEvent<string>).data) as { unread_count: number }).unread_count;
      unreadCountStore.set(count);
      if (greeted) return;
      // The first count follows the replay of missed notifications: the connection is healthy.
      greeted = true;
      this.#failures = 0;
      // Without a last id nothing missed was replayed, so pages refetch instead.
      if (this.#hasConnected && !resume) announceLiveChange(null);
      this.#hasConnected = true;
    });
    source.addEventListener('notification', (event) => {
      const message = event as MessageEvent<string>;
      const notification = JSON.parse(message.data) as AppNotification;
      this.#lastId = message.lastEventId || String(notification.id);
      announceLiveChange(notification);
    });
    source.addEventListener('schedule', (event) => {
      const { venue_ids: venueIds } = JSON.parse((event as MessageEvent<string>).data) as { venue_ids: number[] };
      announceScheduleChange(venueIds);
    });
    source.addEventListener('session_ended', () => {
      source.close();
      this.stop();
      void this.#afterSessionEnded();
    });
    source.onerror = () => {
      if (run !== this.#run || this.#source !== source) return;
      source.close();
      this.#source = null;
      this.#retryLater(run);
    };
  }

  #retryLater(run: number): void {
    const delay = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** this.#failures);
    this.#failures += 1;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (run === this.#run) void this.#connect(run);
    }, delay);
  }

  /**
   * Every session of the user ended. A password change in another tab of this browser left a new
   * cookie behind, and then the session goes on; otherwise this tab signs out with the reason.
   */
  async #afterSessionEnded(): Promise<void> {
    const outcome = await refreshAccessToken();
    if (outcome.ok) {
      const state = sessionStore.get();
      // A new object makes the session's subscribers (this stream among them) start again.
      if (state.phase === 'signed_in') sessionStore.set({ ...state });
      return;
    }
    sessionEnded(outcome.message ?? 'Your session ended.');
  }
}

const stream = new NotificationStream();

export const stopLiveStream = (): void => stream.stop();

/** Streams while someone is signed in with a password of their own; stops otherwise. */
export function followSessionWithLiveStream(): () => void {
  const onSession = () => {
    const state = sessionStore.get();
    if (state.phase === 'signed_in' && !state.me.must_change_password) stream.start();
    else {
      stream.stop();
      unreadCountStore.set(null);
    }
  };
  onSession();
  return sessionStore.subscribe(onSession);
}
