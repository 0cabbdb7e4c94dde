import { ActivityFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { BookingNotice } from '../../src/contracts/notice';

/** How the booking workflow tells people. */
export interface BookingNotices {
  /** Writes the notice's in-app notifications (so a booking's notices reach the inbox in order), then hands its emails over without waiting. */
  send(notice: BookingNotice): Promise<void>;
  /** Resolves once every email handed over is sent, refused or given up on: await it before the workflow ends. */
  allDelivered(): Promise<void>;
}

/**
 * Each notice's in-app notifications are one local activity, awaited; its emails are one activity, retried
 * at the initial delay, doubling up to hourly, for 24 hours; then its unsent emails are logged
 * failed. A notice for several people (a new booking's hall admins) is still one activity.
 */
export function bookingNotices(retryInitialMs: number): BookingNotices {
  const { deliverBookingNotice } = proxyActivities<Activities>({
    // The activity heartbeats every few seconds while it works, so an attempt lost with a killed
    // worker is retried within 30 s, while a reminder still applies, and a slow SMTP server is not.
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '30 seconds',
    scheduleToCloseTimeout: '24 hours',
    retry: { initialInterval: retryInitialMs, backoffCoefficient: 2, maximumInterval: '1 hour' },
  });
  const { recordBookingNoticeFailure } = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumInterval: '1 minute' },
  });
  const { recordBookingNotice } = proxyLocalActivities<Activities>({
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
    localRetryThreshold: '3 seconds',
  });
  const pending = new Set<Promise<void>>();

  async function deliver(notice: BookingNotice): Promise<void> {
    try {
      await deliverBookingNotice(notice);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await recordBookingNoticeFailure(notice, error.cause?.message ?? error.message);
    }
  }

  return {
    async send(notice) {
      await recordBookingNotice(notice);
      const delivery: Promise<void> = deliver(notice).finally(() => pending.delete(delivery));
      pending.add(delivery);
    },
    async allDelivered() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
