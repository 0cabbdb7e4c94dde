import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { EmailDeliveryRequest, EmailOutcome } from '../../src/contracts/retired-notice-requests';

const { recordEmailFailure } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

/**
 * One email, delivered durably by the workflow that decided it: retries at the initial delay,
 * doubling (60 s, 120 s, 240 s ...) up to hourly, for 24 hours; then recorded as failed. A
 * permanent SMTP refusal is not retried. The activity's idempotency key makes it sent at most once.
 */
export async function deliverEmailDurably(request: EmailDeliveryRequest): Promise<EmailOutcome> {
  const { deliverEmail } = proxyActivities<Activities>({
    // Above the mail transport's own timeouts (10 s connect, 10 s greeting), and short: an attempt
    // lost with a killed worker is retried within seconds of this, while a reminder still applies.
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: '24 hours',
    retry: { initialInterval: request.retryInitialMs, backoffCoefficient: 2, maximumInterval: '1 hour' },
  });
  try {
    return await deliverEmail(request);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const refused = error.cause instanceof ApplicationFailure && error.cause.type === 'EmailRefused';
    await recordEmailFailure(request.key, request.email.kind, error.cause?.message ?? error.message);
    return refused ? 'refused' : 'failed';
  }
}

/**
 * The email as a workflow of its own, as bookings started before `emails-as-activities` ran them
 * (abandoned children). Kept registered so those children, still open, run to their end.
 */
export async function emailDeliveryWorkflow(request: EmailDeliveryRequest): Promise<EmailOutcome> {
  return deliverEmailDurably(request);
}
