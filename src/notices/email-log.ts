import type { Queryable } from '../db/sql';

/**
 * Where an email stands. `queued`: logged, its first attempt under way; `deferred`: an attempt
 * failed transiently and Temporal retries it; `sent`; `bounced`: a server refused it for good (5xx);
 * `suppressed`: held back (the recipient's preferences, or an address that bounced); `failed`:
 * given up after 24 hours of retries. sent, bounced and suppressed are final: the key never sends.
 */
export const EMAIL_STATUSES = ['queued', 'sent', 'deferred', 'bounced', 'suppressed', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** The SMTP server that gave the final answer (src/mail/smtp-relays). */
export type EmailServer = 'primary' | 'fallback';

export interface EmailLogRow {
  id: number;
  idempotency_key: string;
  template: string;
  recipient: string;
  subject: string;
  status: EmailStatus;
  attempts: number;
  /** The last SMTP failure; for a bounced email, the server's refusal. */
  last_error: string | null;
  /** Why a suppressed email was held back: the recipient's preferences, or the address bounced. */
  suppressed_reason: string | null;
  message_id: string | null;
  /** The server it went through, or that bounced it; null until then. */
  sent_via: EmailServer | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

// Rows still in play: a later attempt may change them. Every write below leaves the others alone.
const OPEN = ['queued', 'deferred', 'failed'];

/**
 * Records an attempt (the row is created `queued` by the first) and says whether the email already
 * went out. A row in a final status is never touched again.
 */
export async function beginEmailAttempt(
  sql: Queryable,
  entry: { key: string; template: string; recipient: string; subject: string },
): Promise<{ alreadySent: boolean }> {
  const [row] = await sql<{ status: EmailStatus }[]>`
    insert into email_log (idempotency_key, template, recipient, subject, attempts)
    values (${entry.key}, ${entry.template}, ${entry.recipient}, ${entry.subject}, 1)
    on conflict (idempotency_key) do update set
      attempts = email_log.attempts + case when email_log.status = any(${OPEN}) then 1 else 0 end,
      recipient = case when email_log.status = any(${OPEN}) then excluded.recipient else email_log.recipient end,
      subject = case when email_log.status = any(${OPEN}) then excluded.subject else email_log.subject end,
      updated_at = now()
    returning status`;
  return { alreadySent: row!.status === 'sent' };
}

export async function isEmailSent(sql: Queryable, key: string): Promise<boolean> {
  const rows = await sql`select 1 from email_log where idempotency_key = ${key} and status = 'sent'`;
  return rows.length === 1;
}

export type SettledEmailStatus = 'sent' | 'suppressed' | 'bounced';

/** The email's final status once its fate is settled for good (none of them is ever retried), else null. */
export async function settledEmailStatus(sql: Queryable, key: string): Promise<SettledEmailStatus | null> {
  const [row] = await sql<{ status: SettledEmailStatus }[]>`
    select status from email_log where idempotency_key = ${key} and status in ('sent', 'suppressed', 'bounced')`;
  return row?.status ?? null;
}

/**
 * Held back (the recipient's preferences, or an address that bounced): logged once with the
 * reason, and never sent later under this key.
 */
export async function markEmailSuppressed(
  sql: Queryable,
  entry: { key: string; template: string; recipient: string; reason: string },
): Promise<void> {
  await sql`
    insert into email_log (idempotency_key, template, recipient, status, suppressed_reason)
    values (${entry.key}, ${entry.template}, ${entry.recipient}, 'suppressed', ${entry.reason})
    on conflict (idempotency_key) do update set status = 'suppressed', suppressed_reason = excluded.suppressed_reason, last_error = null, updated_at = now()
    where email_log.status = any(${OPEN})`;
}

export async function markEmailSent(sql: Queryable, key: string, messageId: string, via: EmailServer): Promise<void> {
  await sql`
    update email_log set status = 'sent', sent_at = now(), message_id = ${messageId}, sent_via = ${via}, last_error = null, updated_at = now()
    where idempotency_key = ${key} and status <> 'sent'`;
}

/** A transient failure: Temporal retries the attempt. */
export async function markEmailDeferred(sql: Queryable, key: string, error: string): Promise<void> {
  await sql`
    update email_log set status = 'deferred', last_error = ${error.slice(0, 500)}, updated_at = now()
    where idempotency_key = ${key} and status = any(${OPEN})`;
}

/**
 * A server refused the email for good: the row says bounced with the server's answer, and in the
 * same statement the recipient's address joins the suppression list (its first bounce is kept), so
 * no later email is sent to it until the address changes. Returns whether this call bounced it.
 */
export async function markEmailBounced(
  sql: Queryable,
  entry: { key: string; answer: string; via: EmailServer },
): Promise<boolean> {
  const answer = entry.answer.slice(0, 500);
  const rows = await sql`
    with bounced as (
      update email_log set status = 'bounced', last_error = ${answer}, sent_via = ${entry.via}, updated_at = now()
      where idempotency_key = ${entry.key} and status = any(${OPEN})
      returning idempotency_key, recipient
    ), suppressed as (
      insert into email_suppressions (address, reason, first_key)
      select lower(recipient), ${answer}, idempotency_key from bounced where recipient <> ''
      on conflict (address) do nothing
    )
    select 1 from bounced`;
  return rows.length === 1;
}

/** A failure after the last retry; creates the row if no attempt ever got far enough to write one. */
export async function markEmailFailed(
  sql: Queryable,
  entry: { key: string; template: string; error: string },
): Promise<void> {
  await sql`
    insert into email_log (idempotency_key, template, recipient, status, last_error)
    values (${entry.key}, ${entry.template}, '', 'failed', ${entry.error.slice(0, 500)})
    on conflict (idempotency_key) do update set status = 'failed', last_error = excluded.last_error, updated_at = now()
    where email_log.status = any(${OPEN})`;
}

export async function listEmailLog(
  sql: Queryable,
  { status, limit, before }: { status?: EmailStatus; limit: number; before?: number },
): Promise<EmailLogRow[]> {
  return sql<EmailLogRow[]>`
    select * from email_log
    where ${status ? sql`status = ${status}` : sql`true`} and ${before ? sql`id < ${before}` : sql`true`}
    order by id desc limit ${limit}`;
}

/** An address that bounced: when, and the server's answer. */
export interface EmailBounce {
  at: Date;
  reason: string;
}

/** Why email to `address` is not sent, or undefined when it may be. */
export async function findEmailBounce(sql: Queryable, address: string): Promise<EmailBounce | undefined> {
  const [row] = await sql<
    EmailBounce[]
  >`select bounced_at as at, reason from email_suppressions where address = lower(${address})`;
  return row;
}

/** The bounces among `addresses`, by lowercased address (for a page of users). */
export async function findEmailBounces(sql: Queryable, addresses: string[]): Promise<Map<string, EmailBounce>> {
  if (addresses.length === 0) return new Map();
  const rows = await sql<(EmailBounce & { address: string })[]>`
    select address, bounced_at as at, reason from email_suppressions where address = any(${addresses.map((address) => address.toLowerCase())})`;
  return new Map(rows.map(({ address, ...bounce }) => [address, bounce]));
}

/** An administrator vouched for the address (set it anew): email to it goes out again. */
export async function liftEmailBounce(sql: Queryable, address: string): Promise<void> {
  await sql`delete from email_suppressions where address = lower(${address})`;
}
