import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listUsers, type UserRow } from '../../users/store';
import { findEmailBounce, findEmailBounces, type EmailBounce } from '../../notices/email-log';
import { changeUser, createUser } from '../../users/commands';
import { emailBouncedView, EmailBouncedSchema } from '../email-bounced';
import { superAdminOnly } from '../auth-middleware';
import type { ApiDeps, AppEnv } from '../context';
import { ListQuery, paginate } from '../pagination';
import { bearerSecurity, commonErrors, conflictResponse, IdParam, jsonBody, jsonContent } from '../schemas';

const RoleSchema = z.enum(['super_admin', 'hall_admin', 'member'], {
  message: 'must be one of super_admin, hall_admin, member',
});

const AdminUserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    full_name: z.string(),
    role: RoleSchema,
    is_active: z.boolean(),
    must_change_password: z.boolean(),
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
    full_name: z.string().trim().min(1, 'must not be empty').max(200),
    role: RoleSchema.default('member'),
  })
  .openapi('CreateUserRequest');
const UpdateUserBody = z
  .object({
    role: RoleSchema.optional(),
    is_active: z.boolean().optional(),
    full_name: z.string().trim().min(1).max(200).optional(),
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
      summary: 'List users, newest first',
      security: bearerSecurity,
      middleware,
      request: { query: ListQuery },
      responses: { 200: jsonContent(z.array(AdminUserSchema), 'Users'), ...commonErrors },
    }),
    async (c) => {
      const page = await paginate(c, c.req.valid('query'), (window) => listUsers(deps.sql, window));
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
