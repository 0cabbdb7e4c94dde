import { adminDayAgenda } from '../src/bookings/day-agenda';
import { claimDueDigests, forgetDigestClaimsBefore } from '../src/digest/claims';
import type { DigestClaimRequest, DueDigest } from '../workflows/daily-digest-types';
import type { ActivityDeps } from './deps';

/** Whether a hall admin wants their daily digest by email: their notification preference. */
export type WantsDailyDigest = (adminId: number) => Promise<boolean>;

/** Until per-user preferences decide it, every hall admin gets the digest. */
export const everyAdminWantsTheDigest: WantsDailyDigest = async () => true;

const CLAIMS_KEPT_MS = 31 * 86_400_000;

export function dailyDigestActivities({ sql, logger }: ActivityDeps, wantsDailyDigest: WantsDailyDigest = everyAdminWantsTheDigest) {
  return {
    /**
     * Decides the digests due at the run's instant (see claimDueDigests) and returns the ones to
     * send: those with bookings that day, to admins who want them. The rest are decided too, and
     * send nothing that day, even if a booking or an opt-in comes later.
     */
    async decideDailyDigests({ atMs, digestHour, claimant }: DigestClaimRequest): Promise<DueDigest[]> {
      const at = new Date(atMs);
      const claimed = await claimDueDigests(sql, { at, digestHour, claimant });
      const toSend: DueDigest[] = [];
      for (const digest of claimed) {
        if ((await adminDayAgenda(sql, digest)).length === 0) continue;
        if (!(await wantsDailyDigest(digest.adminId))) continue;
        toSend.push(digest);
      }
      await forgetDigestClaimsBefore(sql, new Date(atMs - CLAIMS_KEPT_MS).toISOString().slice(0, 10));
      if (claimed.length > 0) logger.info({ at: at.toISOString(), decided: claimed.length, toSend: toSend.length }, 'daily digests decided');
      return toSend;
    },
  };
}
