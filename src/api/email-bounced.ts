import { z } from '@hono/zod-openapi';
import type { EmailBounce } from '../notices/email-log';
import { Timestamp } from './schemas';

/** How the user's own view and the users list say that email to an address bounces. */
export const EmailBouncedSchema = z
  .object({
    at: Timestamp.openapi({ description: 'When a server first refused email to the address for good' }),
    reason: z.string().openapi({ description: 'The server\'s answer, e.g. "550 No such mailbox here"' }),
  })
  .nullable()
  .openapi('EmailBounced', {
    description:
      'Set while email to the address bounces: nothing is sent to it until a super admin sets the address anew (PATCH /api/users/{id} with email)',
  });

export function emailBouncedView(bounce: EmailBounce | undefined): z.infer<typeof EmailBouncedSchema> {
  return bounce ? { at: bounce.at.toISOString(), reason: bounce.reason } : null;
}
