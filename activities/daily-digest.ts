import { adminDayAgenda } from '../src/bookings/day-agenda';
import { claimDueDigests, forgetDigestClaimsBefore } from '../src/digest/claims';
import type { DigestClaimRequest, DueDigest } from '../src/contracts/daily-digest-types';
import type { ActivityDeps } from './deps';

const CLAIMS_KEPT_MS = 31 * 86_400_000;

export function dailyDigestActivities({ sql, logger }: ActivityDeps) {
  return {
    /**
     * Decides the digests due at the run's instant (see claimDueDigests) and returns the ones with
     * bookings that day, to be sent. The others are decided too and send nothing that day, even if
     * a booking comes later. Whether the admin wants it is asked by the email activity right before
     * it sends (their preferences, src/preferences), like every other email: an opted-out admin's
     * digest is logged `suppressed` with the reason.
     */
    async decideDailyDigests({ atMs, digestHour, claimant }: DigestClaimRequest): Promise<DueDigest[]> {
      const at = new Date(atMs);
      const claimed = await claimDueDigests(sql, { at, digestHour, claimant });
      const withBookings: DueDigest[] = [];
      for (const digest of claimed) {
        if ((await adminDayAgenda(sql, digest)).length > 0) withBookings.push(digest);
      }
      await forgetDigestClaimsBefore(sql, new Date(atMs - CLAIMS_KEPT_MS).toISOString().slice(0, 10));
      if (claimed.length > 0)
        logger.info(
          { at: at.toISOString(), decided: claimed.length, withBookings: withBookings.length },
          'daily digests decided',
        );
      return withBookings;
    },
  };
}
