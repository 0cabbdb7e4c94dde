import { findUser } from '../../users/store';
import type { NoticeKind } from '../kind';
import { NOTHING } from '../kind';
import type { NoticeOf } from '../../contracts/notice';

/**
 * A new account: the inbox says it is ready; the email carries the generated password for the
 * first sign-in, made (or re-opened, sealed) only when the email is sent, never over one the user chose.
 */
export const welcome: NoticeKind<NoticeOf<'welcome'>> = {
  async plan(context, notice) {
    const user = await findUser(context.sql, notice.userId);
    if (!user) return NOTHING;
    const key = notice.resend ? `user:${user.id}:welcome:${notice.resend}` : `user:${user.id}:welcome`;
    return {
      messages: [
        {
          key,
          recipient: { id: user.id, email: user.email, fullName: user.full_name, isActive: user.is_active },
          preference: { type: 'welcome' },
          inApp: {
            type: 'user_created',
            title: 'Welcome to BookIT',
            message: `Your account (${user.email}) is ready. Check your email for your first sign-in password.`,
            link: '/profile',
          },
          email: {
            template: 'welcome',
            compose: async (secrets, emailKey) => {
              if (!user.is_active) return null;
              const password = await secrets.welcomePassword(user.id, emailKey);
              if (password === null) return null;
              return {
                content: {
                  fullName: user.full_name,
                  email: user.email,
                  password,
                  signInUrl: `${context.baseUrl}/sign-in`,
                },
              };
            },
          },
        },
      ],
      webhook: { id: key, type: 'user.welcome', occurredAt: context.now.toISOString(), data: { user_id: user.id } },
    };
  },
};
