import { noticesPipeline, type EmailOutcome, type NoticeDeps } from '../../src/notices';

/** The email of a welcome or a venue assignment, under a key of the test's choosing (one per attempt series). */
export interface TestEmailRequest {
  key: string;
  email: { kind: 'welcome'; userId: number } | { kind: 'venue_assigned'; userId: number; venueId: number };
}

/**
 * The notices room's own email step for one message, as a delivery attempt of the worker runs it:
 * the notice is planned from current rows and its email sent under the request's key, so a test
 * can drive attempts one by one against SMTP servers that misbehave.
 */
export function noticeEmailSender(
  deps: NoticeDeps,
): (request: TestEmailRequest, attempt: number) => Promise<EmailOutcome> {
  const pipeline = noticesPipeline(deps);
  return async ({ key, email }, attempt) => {
    const notice =
      email.kind === 'welcome'
        ? { kind: 'welcome' as const, userId: email.userId }
        : { kind: 'venue_assigned' as const, userId: email.userId, venueId: email.venueId, assignmentId: key };
    const [message] = (await pipeline.plan(notice)).messages;
    if (!message) throw new Error(`nothing to send for ${key}`);
    return pipeline.deliverMessage({ ...message, key }, attempt);
  };
}

/** After the last retry, as the worker records it: the email under `key` is logged failed. */
export function recordEmailFailure(deps: NoticeDeps, key: string, template: string, reason: string): Promise<void> {
  return noticesPipeline(deps).recordEmailFailure(key, template, reason);
}
