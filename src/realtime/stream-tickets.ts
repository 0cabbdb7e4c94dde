import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/sql';

/** Long enough to open a stream right after asking for it, too short to be worth stealing from a log. */
export const STREAM_TICKET_TTL_SECONDS = 60;

export interface StreamTicket {
  ticket: string;
  expiresIn: number;
}

// Only the hash is stored, so a read of the table cannot open anyone's stream.
const hashTicket = (ticket: string) => createHash('sha256').update(ticket).digest('hex');

/**
 * A random single-use ticket for the user's stream, remembering the token version of the session
 * that asked for it (a ticket outlives no sign-out); also sweeps tickets that expired a while ago.
 */
export async function issueStreamTicket(sql: Sql, userId: number, tokenVersion: number): Promise<StreamTicket> {
  const ticket = randomBytes(32).toString('base64url');
  await sql`
    with swept as (delete from stream_tickets where expires_at < now() - interval '1 hour')
    insert into stream_tickets (ticket_hash, user_id, token_version, expires_at)
    values (${hashTicket(ticket)}, ${userId}, ${tokenVersion}, now() + make_interval(secs => ${STREAM_TICKET_TTL_SECONDS}))`;
  return { ticket, expiresIn: STREAM_TICKET_TTL_SECONDS };
}

/** The ticket's user and session version, or null when it is unknown, expired or already used; one conditional update, so it works once. */
export async function redeemStreamTicket(
  sql: Sql,
  ticket: string,
): Promise<{ userId: number; tokenVersion: number } | null> {
  const [row] = await sql<{ user_id: number; token_version: number }[]>`
    update stream_tickets set used_at = now()
    where ticket_hash = ${hashTicket(ticket)} and used_at is null and expires_at > now()
    returning user_id, token_version`;
  return row ? { userId: row.user_id, tokenVersion: row.token_version } : null;
}
