import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import { deliverEmailDurably, emailDeliveryWorkflow } from './email-delivery';
import type { EmailDeliveryRequest, EmailSpec } from '../../src/contracts/retired-notice-requests';

export const EMAILS_AS_ACTIVITIES = 'emails-as-activities';

/** How a workflow sends the emails it decides on. */
export interface EmailSender {
  /** Hands the email over for durable delivery; resolves without waiting for it to be sent. */
  send(key: string, email: EmailSpec): Promise<void>;
  /** Resolves once every email handed over is sent, refused or given up on: await it before the workflow ends. */
  allDelivered(): Promise<void>;
}

/**
 * Emails run as activities of the workflow that decides them, awaited before it closes, so no
 * workflow leaves anything running behind it. Call it once, first thing in the workflow: workflows
 * started before this rule gave each email an abandoned child workflow, and replay that way.
 */
export function emailSender(retryInitialMs: number): EmailSender {
  return patched(EMAILS_AS_ACTIVITIES) ? activityEmailSender(retryInitialMs) : childWorkflowEmailSender(retryInitialMs);
}

function activityEmailSender(retryInitialMs: number): EmailSender {
  const pending = new Set<Promise<unknown>>();
  return {
    async send(key, email) {
      const delivery = deliverEmailDurably({ key, email, retryInitialMs }).finally(() => pending.delete(delivery));
      pending.add(delivery);
    },
    async allDelivered() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}

function emailWorkflowId(key: string): string {
  return `email-${key}`;
}

/** The earlier rule: an abandoned child per email, its id from the email's key. */
function childWorkflowEmailSender(retryInitialMs: number): EmailSender {
  return {
    async send(key, email) {
      const request: EmailDeliveryRequest = { key, email, retryInitialMs };
      try {
        await startChild(emailDeliveryWorkflow, {
          workflowId: emailWorkflowId(key),
          args: [request],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          staticSummary: `Email ${email.kind} · ${key}`,
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    },
    async allDelivered() {},
  };
}
