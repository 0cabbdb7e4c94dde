import {
  countUnread,
  latestNotificationId,
  listNotificationsAfter,
  type NotificationRow,
} from '../notifications/store';
import type { Sql } from '../db/sql';
import { findActiveUser } from '../users/store';
import type { HubEvent, NotificationHub } from './notification-hub';

/** The part of a Server-Sent Events stream a feed writes to; the API passes Hono's stream. */
export interface EventStream {
  readonly aborted: boolean;
  writeSSE(message: { event?: string; id?: string; data: string }): Promise<void>;
  /** Raw text, for comments such as the heartbeat. */
  write(text: string): Promise<unknown>;
  onAbort(listener: () => void): void;
  abort(): void;
}

const REPLAY_BATCH = 100;
const REMEMBERED_IDS = 1_000;

/**
 * One open stream of one user. Subscribes before it reads anything, and holds live events back
 * while it replays what the client missed, so nothing committed in between is lost or sent twice.
 */
export class NotificationFeed {
  readonly #sql: Sql;
  readonly #userId: number;
  readonly #resumeAfter: number | undefined;
  /** The token version the stream was opened under; once the user's moves, the stream ends. */
  readonly #tokenVersion: number;
  #stream: EventStream | null = null;
  #endSession: () => void = () => {};
  #held: HubEvent[] | null = [];
  #unsubscribe: () => void = () => {};
  /** The newest notification id this client has (or had before connecting); resyncs start there. */
  #lastId = 0;
  /** Ids a catch-up already sent whose live signal may still come; that signal is then skipped. */
  readonly #caughtUp = new Set<number>();
  #writing: Promise<void> = Promise.resolve();
  #failure: unknown = null;

  private constructor(sql: Sql, userId: number, resumeAfter: number | undefined, tokenVersion: number) {
    this.#sql = sql;
    this.#userId = userId;
    this.#resumeAfter = resumeAfter;
    this.#tokenVersion = tokenVersion;
  }

  /**
   * Subscribes now, so a failure (database down, or the user already holding `maxPerUser` streams
   * here) can still be answered as an ordinary error.
   */
  static async open(
    hub: NotificationHub,
    sql: Sql,
    userId: number,
    resumeAfter: number | undefined,
    tokenVersion: number,
    maxPerUser?: number,
  ): Promise<NotificationFeed> {
    const feed = new NotificationFeed(sql, userId, resumeAfter, tokenVersion);
    feed.#unsubscribe = await hub.subscribe(userId, (event) => feed.#onEvent(event), maxPerUser);
    return feed;
  }

  /** Replays, then relays live events until the client goes away or the user's sessions end. */
  async run(stream: EventStream): Promise<void> {
    const disconnected = new Promise<void>((resolve) => {
      stream.onAbort(resolve);
      this.#endSession = resolve;
    });
    this.#stream = stream;
    try {
      // Sessions that ended between the request's sign-in and the subscription sent no signal we heard.
      if (await this.#endIfSessionEnded()) return;
      await this.#catchUp(this.#resumeAfter);
      await this.#send({ type: 'unread_count', unreadCount: await countUnread(this.#sql, this.#userId) });
      const held = this.#held ?? [];
      this.#held = null;
      for (const event of held) this.#enqueue(event);
      await disconnected;
      if (this.#failure) throw this.#failure;
    } finally {
      this.close();
    }
  }

  close(): void {
    this.#unsubscribe();
  }

  #onEvent(event: HubEvent): void {
    if (this.#held) this.#held.push(event);
    else this.#enqueue(event);
  }

  #enqueue(event: HubEvent): void {
    this.#writing = this.#writing
      .then(() => this.#handle(event))
      .catch((error: unknown) => {
        // Closing is the honest answer: the client reconnects with Last-Event-ID and misses nothing.
        this.#failure = error;
        this.#stream?.abort();
      });
  }

  async #handle(event: HubEvent): Promise<void> {
    if (event.type === 'sessions_ended') {
      await this.#endIfSessionEnded();
      return;
    }
    if (event.type !== 'resync') return this.#send(event);
    // A sessions_ended signal may have been lost with the connection too.
    if (await this.#endIfSessionEnded()) return;
    await this.#catchUp(this.#lastId);
    await this.#send({ type: 'unread_count', unreadCount: await countUnread(this.#sql, this.#userId) });
  }

  /**
   * Ends the stream, telling the client why (`session_ended`), when the user is gone or inactive or
   * their token version moved since the stream opened. True when it ended.
   */
  async #endIfSessionEnded(): Promise<boolean> {
    const user = await findActiveUser(this.#sql, this.#userId);
    if (user && user.token_version === this.#tokenVersion) return false;
    const stream = this.#stream;
    if (stream && !stream.aborted)
      await stream.writeSSE({
        event: 'session_ended',
        data: JSON.stringify({ error: 'The session has ended; sign in again' }),
      });
    this.#endSession();
    return true;
  }

  /** Sends every row after `afterId`, oldest first; without a cursor, only notes where "now" is. */
  async #catchUp(afterId: number | undefined): Promise<void> {
    if (afterId === undefined) {
      this.#lastId = await latestNotificationId(this.#sql, this.#userId);
      return;
    }
    this.#lastId = Math.max(this.#lastId, afterId);
    let cursor = afterId;
    for (;;) {
      const rows = await listNotificationsAfter(this.#sql, this.#userId, cursor, REPLAY_BATCH);
      for (const row of rows) {
        await this.#sendNotification(row);
        this.#rememberCaughtUp(row.id);
      }
      if (rows.length < REPLAY_BATCH) return;
      cursor = rows[rows.length - 1]!.id;
    }
  }

  #rememberCaughtUp(id: number): void {
    this.#caughtUp.add(id);
    // Most replayed rows were written before we listened, so their signal never comes: forget the oldest.
    if (this.#caughtUp.size > REMEMBERED_IDS) this.#caughtUp.delete(this.#caughtUp.values().next().value!);
  }

  async #send(event: HubEvent): Promise<void> {
    const stream = this.#stream;
    if (!stream || stream.aborted) return;
    switch (event.type) {
      case 'notification': {
        // A late signal for a row the client already has (at or below its Last-Event-ID, or sent in
        // the replay) is not news, and neither is its count: it was counted when the row was written,
        // before the count sent after the replay, so sending it would show the bell an older number.
        const had = this.#resumeAfter !== undefined && event.notification.id <= this.#resumeAfter;
        if (this.#caughtUp.delete(event.notification.id) || had) return;
        await this.#sendNotification(event.notification);
        await stream.writeSSE({ event: 'unread_count', data: JSON.stringify({ unread_count: event.unreadCount }) });
        return;
      }
      case 'unread_count':
        await stream.writeSSE({ event: 'unread_count', data: JSON.stringify({ unread_count: event.unreadCount }) });
        return;
      case 'schedule':
        // No id: it is not a notification, and a reconnecting client reloads what it shows anyway.
        await stream.writeSSE({ event: 'schedule', data: JSON.stringify({ venue_ids: event.venueIds }) });
        return;
      case 'heartbeat':
        // A comment: proxies see traffic, EventSource ignores it.
        await stream.write(': heartbeat\n\n');
        return;
      case 'resync':
      case 'sessions_ended':
        return;
    }
  }

  async #sendNotification(row: NotificationRow): Promise<void> {
    const stream = this.#stream;
    if (!stream || stream.aborted) return;
    this.#lastId = Math.max(this.#lastId, row.id);
    // The row holds exactly the API's Notification fields, and its Dates serialize as ISO strings.
    await stream.writeSSE({ event: 'notification', id: String(row.id), data: JSON.stringify(row) });
  }
}
