import { PageHeading } from '../components/PageHeading';
import { exactTime } from '../format/relative-time';
import { ROLE_NAMES } from '../format/role-names';
import { signOut } from '../session/session-lifecycle';
import { useMe } from '../session/use-me';

export function ProfilePage() {
  const me = useMe();
  return (
    <>
      <PageHeading title="Account" />
      <div class="card">
        <dl class="facts">
          <div>
            <dt>Name</dt>
            <dd>{me.full_name}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>
              {me.email}
              {me.email_bounced && (
                <p class="notice">
                  Emails to this address bounce, so BookIT sends you none: check your address with an administrator. The
                  mail server answered on {exactTime(me.email_bounced.at)}: {me.email_bounced.reason}
                </p>
              )}
            </dd>
          </div>
          <div>
            <dt>Role</dt>
            <dd>{ROLE_NAMES[me.role]}</dd>
          </div>
        </dl>
        <div class="actions">
          <a href="/change-password" class="button-link">
            Change password
          </a>
          <a href="/settings" class="button-link">
            Notification and calendar settings
          </a>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
        <p class="hint">Signing out ends your sessions on every device.</p>
      </div>
    </>
  );
}
