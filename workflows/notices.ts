import { ActivityFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Notice } from '../src/contracts/notice';

/**
 * ONE_NOTICES_PIPELINE: every workflow tells people through the notices room's two steps
 * (`recordNotice`, `deliverNotice`). Bookings started before it replay the retired per-notice path
 * (workflows/retired/booking-notices.ts), whose activities the same room serves; in every other
 * workflow the patch is deprecated (workflows/patch-ledger.ts).
 */
export const ONE_NOTICES_PIPELINE = 'one-notices-pipeline';

/** How a workflow tells people. */
export interface Notices {
  /** Writes the notice's in-app notifications (so a workflow's notices reach the inbox in order), then hands its emails and webhook over without waiting. */
  send(notice: Notice): Promise<void>;
  /** Resolves once everything handed over is delivered, refused or given up on: await it before the workflow ends. */
  allDelivered(): Promise<void>;
}

/**
 * Each notice's in-app rows are one local activity, awaited; its emails and webhook event are one
 * activity, retried at the initial delay, doubling up to hourly, for 24 hours; then whatever is
 * undelivered is logged failed. A notice for several people (a new booking's hall admins) is
 * still one activity.
 */
export function noticeSender(retryInitialMs: number): Notices {
  const { deliverNotice } = proxyActivities<Activities>({
    // The activity heartbeats every few seconds while it works, so an attempt lost with a killed
    // worker is retried within 30 s, while a reminder still applies, and a slow SMTP server is not.
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '30 seconds',
    scheduleToCloseTimeout: '24 hours',
    retry: { initialInterval: retryInitialMs, backoffCoefficient: 2, maximumInterval: '1 hour' },
  });
  const { recordNoticeFailure } = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumInterval: '1 minute' },
  });
  const { recordNotice } = proxyLocalActivities<Activities>({
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
    localRetryThreshold: '3 seconds',
  });
  const pending = new Set<Promise<void>>();

  async function deliver(notice: Notice): Promise<void> {
    try {
      await deliverNotice(notice);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      await recordNoticeFailure(notice, error.cause?.message ?? error.message);
    }
  }

  return {
    async send(notice) {
      await recordNotice(notice);
      const delivery: Promise<void> = deliver(notice).finally(() => pending.delete(delivery));
      pending.add(delivery);
    },
    async allDelivered() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
