// The daily digest's neutral types, shared by the workflow, its activity and the digest module.

/** One hall admin's digest: the bookings of their venues in one zone on one venue-local day. */
export interface DueDigest {
  adminId: number;
  /** The IANA zone of the venues it covers. */
  timeZone: string;
  /** The venue-local day, YYYY-MM-DD. */
  localDate: string;
}

export interface DigestClaimRequest {
  /** The run's "now" (workflow time), so a retried step decides on the same instant. */
  atMs: number;
  /** The venue-local hour from which a day's digest is due. */
  digestHour: number;
  /** The run that claims: its own retried step gets its claims back, any other run gets none. */
  claimant: string;
}

/** Sent once per admin, zone and day, ever: the email log's idempotency key. */
export function dailyDigestEmailKey({ adminId, timeZone, localDate }: DueDigest): string {
  return `digest:${adminId}:${timeZone}:${localDate}`;
}
