import type { Queryable } from './sql';

export interface EmailLogRow {
  id: number;
  idempotency_key: string;
  template: string;
  recipient: string;
  subject: string;
  status: 'pending' | 'sent' | 'failed' | 'suppressed';
  attempts: number;
  last_error: string | null;
  /** Why the recipient's preferences held a suppressed email back. */
  suppressed_reason: string | null;
  message_id: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

/**
 * Records an attempt and says whether the email already went out. The row is created on the first
 * attempt; a sent row is never touched again.
 */
export async function beginEmailAttempt(sql: Queryable, entry: { key: string; template: string; recipient: string; subject: string }): Promise<{ alreadySent: boolean }> {
  const [row] = await sql<{ status: EmailLogRow['status'] }[]>`
    insert into email_log (idempotency_key, template, recipient, subject, attempts)
    values (${entry.key}, ${entry.template}, ${entry.recipient}, ${entry.subject}, 1)
    on conflict (idempotency_key) do update set
      attempts = email_log.attempts + case when email_log.status = 'sent' then 0 else 1 end,
      recipient = case when email_log.status = 'sent' then email_log.recipient else excluded.recipient end,
      subject = case when email_log.status = 'sent' then email_log.subject else excluded.subject end,
      updated_at = now()
    returning status`;
  return { alreadySent: row!.status === 'sent' };
}

export async function isEmailSent(sql: Queryable, key: string): Promise<boolean> {
  const rows = await sql`select 1 from email_log where idempotency_key = ${key} and status = 'sent'`;
  return rows.length === 1;
}

/** 'sent' or 'suppressed' once the email's fate is settled for good (neither is ever retried), else null. */
export async function settledEmailStatus(sql: Queryable, key: string): Promise<'sent' | 'suppressed' | null> {
  const [row] = await sql<{ status: 'sent' | 'suppressed' }[]>`
    select status from email_log where idempotency_key = ${key} and status in ('sent', 'suppressed')`;
  return row?.status ?? null;
}

/**
 * The recipient's preferences held the email back: logged once with the reason, and never sent
 * later under this key (a sent email is never marked suppressed).
 */
export async function markEmailSuppressed(sql: Queryable, entry: { key: string; template: string; recipient: string; reason: string }): Promise<void> {
  await sql`
    insert into email_log (idempotency_key, template, recipient, status, suppressed_reason)
    values (${entry.key}, ${entry.template}, ${entry.recipient}, 'suppressed', ${entry.reason})
    on conflict (idempotency_key) do update set status = 'suppressed', suppressed_reason = excluded.suppressed_reason, last_error = null, updated_at = now()
    where email_log.status not in ('sent', 'suppressed')`;
}

export async function markEmailSent(sql: Queryable, key: string, messageId: string): Promise<void> {
  await sql`update email_log set status = 'sent', sent_at = now(), message_id = ${messageId}, last_error = null, updated_at = now() where idempotency_key = ${key}`;
}

export async function recordEmailError(sql: Queryable, key: string, error: string, final: boolean): Promise<void> {
  await sql`
    update email_log set last_error = ${error.slice(0, 500)}, updated_at = now(),
      status = case when ${final} then 'failed' else status end
    where idempotency_key = ${key} and status not in ('sent', 'suppressed')`;
}

/** A failure after the last retry; creates the row if no attempt ever got far enough to write one. */
export async function markEmailFailed(sql: Queryable, entry: { key: string; template: string; error: string }): Promise<void> {
  await sql`
    insert into email_log (idempotency_key, template, recipient, status, last_error)
    values (${entry.key}, ${entry.template}, '', 'failed', ${entry.error.slice(0, 500)})
    on conflict (idempotency_key) do update set status = 'failed', last_error = excluded.last_error, updated_at = now()
    where email_log.status not in ('sent', 'suppressed')`;
}

export async function listEmailLog(sql: Queryable, { status, limit, before }: { status?: EmailLogRow['status']; limit: number; before?: number }): Promise<EmailLogRow[]> {
  return sql<EmailLogRow[]>`
    select * from email_log
    where ${status ? sql`status = ${status}` : sql`true`} and ${before ? sql`id < ${before}` : sql`true`}
    order by id desc limit ${limit}`;
}
