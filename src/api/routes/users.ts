import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listUsers, USER_STATUSES, userStatus, type UserRow } from '../../users/store';
import { findEmailBounce, findEmailBounces, type EmailBounce } from '../../notices/email-log';
import { changeUser, createUser, resendWelcome } from '../../users/commands';
import { emailBouncedView, EmailBouncedSchema } from '../email-bounced';
import { superAdminOnly } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { ListQuery, paginate } from '../pagination';
import {
  bearerSecurity,
  commonErrors,
  conflictResponse,
  IdParam,
  jsonBody,
  jsonContent,
  singleLine,
  Timestamp,
} from '../schemas';

const RoleSchema = z.enum(['super_admin', 'hall_admin', 'member'], {
  message: 'must be one of super_admin, hall_admin, member',
});

const STATUS_HELP = [
  'active: may sign in, and has signed in (or chose a password of their own)',
  'never_signed_in: active, but has not signed in yet: their password is still the one the welcome email carried',
  'deactivated: may not sign in',
].join('; ');

const UserListQuery = ListQuery.extend({
  q: z
    .string()
    .trim()
    .max(200, 'must be at most 200 characters')
    .optional()
    .openapi({
      param: { name: 'q', in: 'query' },
      description: 'Only users whose name or email address contains this text, any case (trimmed; empty: everyone)',
      example: 'lovelace',
    }),
  role: RoleSchema.optional().openapi({ param: { name: 'role', in: 'query' }, description: 'Only users of this role' }),
  status: z
    .enum(USER_STATUSES, { message: `must be one of ${USER_STATUSES.join(', ')}` })
    .optional()
    .openapi({ param: { name: 'status', in: 'query' }, description: `Only users in this status (${STATUS_HELP})` }),
});

const AdminUserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    full_name: z.string(),
    role: RoleSchema,
    is_active: z.boolean(),
    must_change_password: z.boolean(),
    status: z.enum(USER_STATUSES).openapi({ description: STATUS_HELP }),
    last_signed_in_at: Timestamp.nullable().openapi({
      description:
        'The last password sign-in; null when none is recorded (never, unless status is active: then before records began)',
    }),
    created_at: z.string(),
    email_bounced: EmailBouncedSchema,
  })
  .openapi('AdminUser');
const UpdatedUserSchema = AdminUserSchema.extend({
  deactivation: z
    .object({
      bookings_cancelled: z.array(z.number().int()).openapi({
        description:
          'Bookings not yet started, cancelled with the reason "account closed" (the booker gets the calendar cancellation, the hall admins are told, waiters are offered the slots)',
      }),
      waitlist_entries_closed: z
        .number()
        .int()
        .openapi({ description: 'Open waitlist entries closed; an offer held passes to the next waiter' }),
    })
    .optional()
    .openapi({ description: 'Present when this change deactivated the user' }),
}).openapi('UpdatedUser');
const CreatedUserSchema = z
  .object({ id: z.number().int(), email: z.string(), full_name: z.string(), role: RoleSchema })
  .openapi('CreatedUser');
const CreateUserBody = z
  .object({
    email: z.email({ message: 'must be a valid email address' }).max(320),
    full_name: singleLine(z.string().trim().min(1, 'must not be empty').max(200)),
    role: RoleSchema.default('member'),
  })
  .openapi('CreateUserRequest');
const UpdateUserBody = z
  .object({
    role: RoleSchema.optional(),
    is_active: z.boolean().optional(),
    full_name: singleLine(z.string().trim().min(1).max(200)).optional(),
    email: z.email({ message: 'must be a valid email address' }).max(320).optional().openapi({
      description:
        'A new address (409 when another account has it); setting one, even the same again, lifts its bounce',
    }),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of role, is_active, full_name, email')
  .openapi('UpdateUserRequest');

function adminView(user: UserRow, bounce: EmailBounce | undefined) {
  return {
    id: user.id,
    email: user.email,
    full_name: user.full_name,
    role: user.role,
    is_active: user.is_active,
    must_change_password: user.must_change_password,
    status: userStatus(user),
    last_signed_in_at: user.last_signed_in_at?.toISOString() ?? null,
    created_at: user.created_at.toISOString(),
    email_bounced: emailBouncedView(bounce),
  };
}

/** Super-admin user administration. A new user is welcomed by a workflow started through the outbox. */
export function userRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AppEnv>();
  const middleware = superAdminOnly(deps);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['users'],
      summary: 'Create a user; they are emailed a generated password',
      security: bearerSecurity,
      middleware,
      request: jsonBody(CreateUserBody),
      responses: {
        201: jsonContent(CreatedUserSchema, 'Created'),
        409: conflictResponse('The email is taken'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const user = await createUser(deps, { email: body.email, fullName: body.full_name, role: body.role });
      return c.json({ id: user.id, email: user.email, full_name: user.full_name, role: user.role }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['users'],
      summary: 'List users, newest first, in keyset pages; search by name or email, filter by role and status',
      description:
        'Every filter narrows the list; the `Link: <...>; rel="next"` header continues the same search after the page\'s last user.',
      security: bearerSecurity,
      middleware,
      request: { query: UserListQuery },
      responses: {
        200: {
          ...jsonContent(
            z.array(AdminUserSchema),
            'One page of users; a `Link: <...>; rel="next"` header when more match',
          ),
          headers: { Link: { schema: { type: 'string' }, description: 'RFC 8288 link to the next page' } },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { q, role, status, ...window } = c.req.valid('query');
      const page = await paginate(c, window, (w) => listUsers(deps.sql, { ...w, text: q || undefined, role, status }));
      const bounces = await findEmailBounces(
        deps.sql,
        page.map((user) => user.email),
      );
      return c.json(
        page.map((user) => adminView(user, bounces.get(user.email.toLowerCase()))),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/resend_welcome',
      tags: ['users'],
      summary: 'Send the welcome email again, with a new password, to a user who never signed in',
      description:
        'For an active user who has not signed in yet. The new welcome carries a new generated password, made when it is sent; from then on the password of any earlier welcome no longer signs in. A second request within a minute (a double click) is refused, so one new password goes out in one email.',
      security: bearerSecurity,
      middleware,
      request: { params: IdParam },
      responses: {
        202: jsonContent(AdminUserSchema, 'The new welcome email is on its way'),
        409: conflictResponse(
          'The user is deactivated, has already signed in, was sent a welcome less than a minute ago, or their address bounces; the error says which',
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      const user = await resendWelcome(deps, c.req.valid('param').id);
      return c.json(adminView(user, await findEmailBounce(deps.sql, user.email)), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags: ['users'],
      summary: "Change a user's role, active flag, name or email address (a deactivated user cannot sign in)",
      security: bearerSecurity,
      middleware,
      request: { params: IdParam, ...jsonBody(UpdateUserBody) },
      responses: {
        200: jsonContent(UpdatedUserSchema, 'Updated; a deactivation says what it closed'),
        409: conflictResponse('The email is taken'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const user = await changeUser(deps, c.var.user, c.req.valid('param').id, {
        role: body.role,
        isActive: body.is_active,
        fullName: body.full_name,
        email: body.email,
      });
      const { deactivation } = user;
      return c.json(
        {
          ...adminView(user, await findEmailBounce(deps.sql, user.email)),
          ...(deactivation
            ? {
                deactivation: {
                  bookings_cancelled: deactivation.bookingsCancelled,
                  waitlist_entries_closed: deactivation.waitlistEntriesClosed,
                },
              }
            : {}),
        },
        200,
      );
    },
  );
  return app;
}
