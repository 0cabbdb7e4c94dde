import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { emailDeliveryWorkflow } from './email-delivery';
import type { EmailDeliveryRequest } from './email-types';

export function emailWorkflowId(key: string): string {
  return `email-${key}`;
}

/**
 * Hands an email to its own delivery workflow and moves on. The child outlives its parent
 * (ABANDON), and its id comes from the email's key, so a replayed or repeated step starts nothing new.
 */
export async function sendEmailInBackground(request: EmailDeliveryRequest): Promise<void> {
  try {
    await startChild(emailDeliveryWorkflow, {
      workflowId: emailWorkflowId(request.key),
      args: [request],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `Email ${request.email.kind} · ${request.key}`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
