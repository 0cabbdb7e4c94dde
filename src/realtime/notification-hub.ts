import type { ListenMeta } from 'postgres';
import {
  countUnread,
  findNotification,
  NOTIFICATION_CHANNEL,
  type NotificationRow,
  type NotificationSignal,
} from '../notifications/store';
import type { Sql } from '../db/sql';
import type { Logger } from '../log/logger';
import { throttled } from '../domain/errors';

export type HubEvent =
  | { type: 'notification'; notification: NotificationRow; unreadCount: number }
  | { type: 'unread_count'; unreadCount: number }
  | { type: 'heartbeat' }
  /** The LISTEN connection dropped and is back: signals may have been missed, so look again. */
  | { type: 'resync' }
  /** The user's token version moved (sign-out, new password, role change, deactivation): streams opened before close. */
  | { type: 'sessions_ended' }
  /** What these venues' schedules show changed (anyone's booking): every open stream hears it. */
  | { type: 'schedule'; venueIds: number[] };

/** The channel the bookings table signals on when a venue's schedule changes (migration 021). */
export const SCHEDULE_CHANNEL = 'bookit_schedule';
/** Schedule signals are gathered this long, then sent as one event: a burst costs each stream one write. */
export const SCHEDULE_COALESCE_MS = 250;

export type HubListener = (event: HubEvent) => void;

export interface NotificationHubOptions {
  logger: Logger;
  heartbeatMs?: number;
}

export const DEFAULT_HEARTBEAT_MS = 15_000;
/** What a stream refused for the per-user cap is told to wait: the web app's longest back-off. */
export const STREAM_LIMIT_RETRY_SECONDS = 30;

/**
 * One LISTEN connection per process, shared by every open stream: a signal for a user with no
 * stream here costs nothing, and a signal for a user with several streams costs one query, whose
 * answer goes to all of them. Signals for one user are handled in order, so a later unread count
 * never overtakes an earlier one.
 */
export class NotificationHub {
  readonly #sql: Sql;
  readonly #logger: Logger;
  readonly #heartbeatMs: number;
  readonly #listeners = new Map<number, Set<HubListener>>();
  readonly #queues = new Map<number, Promise<void>>();
  #listening: Promise<ListenMeta> | null = null;
  #listeningSchedule: Promise<ListenMeta> | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  readonly #changedVenues = new Set<number>();
  #scheduleFlush: NodeJS.Timeout | null = null;

  constructor(sql: Sql, options: NotificationHubOptions) {
    this.#sql = sql;
    this.#logger = options.logger;
    this.#heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  }

  /**
   * Resolves once the process is listening, so every row committed after that reaches the
   * listener. Returns the function that removes it. With `maxPerUser`, a user who already has that
   * many listeners here is refused (429): counted and added in one synchronous step, so streams
   * opened at the same instant cannot slip past the cap together.
   */
  async subscribe(userId: number, listener: HubListener, maxPerUser = Infinity): Promise<() => void> {
    const listeners = this.#listeners.get(userId) ?? new Set<HubListener>();
    if (listeners.size >= maxPerUser)
      throw throttled(
        `You have ${maxPerUser} notification streams open, the most one account may; close one (a tab) and try again`,
        STREAM_LIMIT_RETRY_SECONDS,
      );
    listeners.add(listener);
    this.#listeners.set(userId, listeners);
    this.#startHeartbeat();
    const unsubscribe = () => this.#unsubscribe(userId, listener);
    try {
      await Promise.all([this.#listen(), this.#listenSchedule()]);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Open listeners for one user, or for everyone. */
  listenerCount(userId?: number): number {
    if (userId !== undefined) return this.#listeners.get(userId)?.size ?? 0;
    let total = 0;
    for (const listeners of this.#listeners.values()) total += listeners.size;
    return total;
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    this.#stopHeartbeat();
    if (this.#scheduleFlush) clearTimeout(this.#scheduleFlush);
    this.#scheduleFlush = null;
    const listening = [this.#listening, this.#listeningSchedule];
    this.#listening = null;
    this.#listeningSchedule = null;
    for (const one of listening) if (one) await one.then((request) => request.unlisten()).catch(() => {});
  }

  #listenSchedule(): Promise<ListenMeta> {
    if (this.#listeningSchedule) return this.#listeningSchedule;
    const listening = this.#sql.listen(SCHEDULE_CHANNEL, (payload) => this.#onScheduleSignal(payload));
    this.#listeningSchedule = listening;
    listening.catch(() => {
      if (this.#listeningSchedule === listening) this.#listeningSchedule = null;
    });
    return listening;
  }

  #onScheduleSignal(payload: string): void {
    const venueId = Number(payload);
    if (!Number.isSafeInteger(venueId) || this.#listeners.size === 0) return;
    this.#changedVenues.add(venueId);
    this.#scheduleFlush ??= setTimeout(() => {
      this.#scheduleFlush = null;
      const venueIds = [...this.#changedVenues].sort((a, b) => a - b);
      this.#changedVenues.clear();
      for (const userId of [...this.#listeners.keys()]) this.#emit(userId, { type: 'schedule', venueIds });
    }, SCHEDULE_COALESCE_MS);
  }

  #unsubscribe(userId: number, listener: HubListener): void {
    const listeners = this.#listeners.get(userId);
    if (!listeners) return;
    listeners.delete(listener);
    if (listeners.size === 0) this.#listeners.delete(userId);
    if (this.#listeners.size === 0) this.#stopHeartbeat();
  }

  #listen(): Promise<ListenMeta> {
    if (this.#listening) return this.#listening;
    let connectedBefore = false;
    const listening = this.#sql.listen(
      NOTIFICATION_CHANNEL,
      (payload) => this.#onSignal(payload),
      () => {
        // postgres.js calls this again after it re-listens on a new connection.
        if (connectedBefore) {
          this.#logger.warn(
            { channel: NOTIFICATION_CHANNEL },
            'notification listener reconnected; open streams resync',
          );
          for (const userId of this.#listeners.keys()) this.#emit(userId, { type: 'resync' });
        }
        connectedBefore = true;
      },
    );
    this.#listening = listening;
    listening.catch(() => {
      if (this.#listening === listening) this.#listening = null;
    });
    return listening;
  }

  #onSignal(payload: string): void {
    const signal = parseSignal(payload);
    if (!signal) {
      this.#logger.warn({ payload }, 'ignored a malformed notification signal');
      return;
    }
    const userId = signal.user_id;
    if (!this.#listeners.has(userId)) return;
    const previous = this.#queues.get(userId) ?? Promise.resolve();
    const next = previous
      .then(() => this.#deliver(signal))
      .catch((error: unknown) => this.#logger.error({ err: error, userId }, 'could not deliver a notification signal'))
      .finally(() => {
        if (this.#queues.get(userId) === next) this.#queues.delete(userId);
      });
    this.#queues.set(userId, next);
  }

  async #deliver(signal: NotificationSignal): Promise<void> {
    const userId = signal.user_id;
    if (!this.#listeners.has(userId)) return;
    if ('id' in signal) {
      const [notification, unreadCount] = await Promise.all([
        findNotification(this.#sql, userId, signal.id),
        countUnread(this.#sql, userId),
      ]);
      // Deleted before we looked: the count is all there is to tell.
      this.#emit(
        userId,
        notification ? { type: 'notification', notification, unreadCount } : { type: 'unread_count', unreadCount },
      );
      return;
    }
    if (signal.kind === 'sessions_ended') {
      this.#emit(userId, { type: 'sessions_ended' });
      return;
    }
    this.#emit(userId, { type: 'unread_count', unreadCount: await countUnread(this.#sql, userId) });
  }

  #emit(userId: number, event: HubEvent): void {
    for (const listener of [...(this.#listeners.get(userId) ?? [])]) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error({ err: error, userId }, 'a notification stream listener failed');
      }
    }
  }

  #startHeartbeat(): void {
    if (this.#heartbeat) return;
    this.#heartbeat = setInterval(() => {
      for (const userId of [...this.#listeners.keys()]) this.#emit(userId, { type: 'heartbeat' });
    }, this.#heartbeatMs);
    // Open streams keep the server alive, not this timer.
    this.#heartbeat.unref();
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }
}

function parseSignal(payload: string): NotificationSignal | null {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== 'object' || value === null) return null;
    const { user_id: userId, id, kind } = value as Record<string, unknown>;
    if (!Number.isSafeInteger(userId)) return null;
    if (Number.isSafeInteger(id)) return { user_id: userId as number, id: id as number };
    if (kind === 'unread_count' || kind === 'sessions_ended') return { user_id: userId as number, kind };
    return null;
  } catch {
    return null;
  }
}

const hubs = new WeakMap<Sql, NotificationHub>();

/**
 * The hub for this process's pool. Keyed by the pool rather than made per app, so building the
 * app more than once (tests do) still opens one LISTEN connection.
 */
export function notificationHubFor(deps: { sql: Sql; logger: Logger }): NotificationHub {
  let hub = hubs.get(deps.sql);
  if (!hub) {
    hub = new NotificationHub(deps.sql, { logger: deps.logger });
    hubs.set(deps.sql, hub);
  }
  return hub;
}
