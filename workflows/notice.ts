import { setWorkflowOptions } from '@temporalio/workflow';
import type { NoticeWorkflowInput } from '../src/contracts/workflow-types';
import { noticeSender } from './notices';
import { versioningOf } from './versioning';

setWorkflowOptions(versioningOf('noticeWorkflow'), noticeWorkflow);

/**
 * A notice the API hands over (a series booked or cancelled: many bookings, one message): its
 * in-app rows, then its emails and webhook event, delivered durably before the workflow ends.
 */
export async function noticeWorkflow({ notice, emailRetryInitialMs }: NoticeWorkflowInput): Promise<void> {
  const notices = noticeSender(emailRetryInitialMs);
  await notices.send(notice);
  await notices.allDelivered();
}
