import type { LinkAction } from '../auth/action-tokens';
import type { Invitation } from '../calendar/booking-calendar';
import type { Config } from '../config/config';
import type { NotificationType } from '../notifications/store';
import type { Sql } from '../db/sql';
import type { EmailContent, EmailKind } from '../mail/render';
import type { PreferenceType } from '../preferences/catalogue';
import type { WebhookEvent } from '../webhooks';
import type { Notice } from '../contracts/notice';

/** Whom a message is for, as the room loaded them with the notice's rows. */
export interface Recipient {
  id: number;
  email: string;
  fullName: string;
  isActive: boolean;
}

/** What a message says in the inbox. */
export interface InAppText {
  type: NotificationType;
  title: string;
  message: string;
  /** A page of the web app. */
  link: string;
}

/**
 * What composing an email may make, only inside the delivery step and never kept: signed action
 * links and a welcome's password. A secret never reaches workflow history or a log.
 */
export interface EmailSecrets {
  /** A signed link to /actions/… for the recipient; `scheduleVersion` binds it to the time it describes. */
  actionUrl(
    action: LinkAction,
    targetId: number,
    userId: number,
    expiresAt: Date,
    scheduleVersion?: number,
  ): Promise<string>;
  /** The password a welcome carries: one per email key, the same on every attempt; null once the user chose their own. */
  welcomePassword(userId: number, emailKey: string): Promise<string | null>;
}

/** An email's words (one template's fields) and the booking's calendar part, if it has one. */
export interface EmailDraft<K extends EmailKind> {
  content: Omit<Extract<EmailContent, { kind: K }>, 'kind'>;
  /** An invitation, an update, or the cancellation that takes the event out of the booker's calendar. */
  invitation?: Invitation;
}

/**
 * A message's email: its template (named in the email log before anything is composed) and how it
 * is composed when it is sent, from the rows loaded with the notice; null: it no longer applies.
 */
export type EmailPart = {
  [K in EmailKind]: { template: K; compose(secrets: EmailSecrets, key: string): Promise<EmailDraft<K> | null> };
}[EmailKind];

/** One person's share of a notice, under one idempotency key for its in-app row and its email. */
export interface NoticeMessage {
  key: string;
  recipient: Recipient;
  /** The preference it answers to (null: always goes out); `venueId` for a hall admin's venue mute. */
  preference: { type: PreferenceType; venueId?: number } | null;
  inApp: InAppText | null;
  email: EmailPart | null;
  /**
   * When the email bounced, or was held back because the address had bounced: what follows from
   * nobody having been told by email, and what the inbox says of it (written under `key:bounced`).
   */
  onBounce?: () => Promise<InAppText | null>;
}

/** What a notice comes to, from one load of its rows. */
export interface NoticePlan {
  messages: NoticeMessage[];
  /** The event for webhook subscribers; null when the kind has none or its subject is gone. */
  webhook: WebhookEvent | null;
}

export interface NoticeContext {
  sql: Sql;
  config: Config;
  /** The public base URL every link starts with. */
  baseUrl: string;
  /** When the plan is made: a webhook event's `occurredAt`. */
  now: Date;
}

/**
 * One notice kind, declared once: who hears of it, its preference, its in-app text and link, its
 * email and calendar part, and its webhook event. A new kind is one file in kinds/, its templates,
 * and a line in catalogue.ts.
 */
export interface NoticeKind<N extends Notice> {
  plan(context: NoticeContext, notice: N): Promise<NoticePlan>;
}

export const NOTHING: NoticePlan = { messages: [], webhook: null };
