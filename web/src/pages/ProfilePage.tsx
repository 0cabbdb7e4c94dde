import { PageHeading } from '../components/PageHeading';
import { browserFormat, chooseFormat, FORMAT_CHOICES, formatChoiceStore } from '../format/locale';
import { formatSlot } from '../format/zoned-time';
import { useStore } from '../state/use-store';
import { exactTime } from '../format/relative-time';
import { ROLE_NAMES } from '../format/role-names';
import { signOut } from '../session/session-lifecycle';
import { useMe } from '../session/use-me';

/** A sample slot, written each way, so the choice shows what it means. */
const SAMPLE = { start: new Date(Date.UTC(2031, 0, 7, 14, 0)), end: new Date(Date.UTC(2031, 0, 7, 15, 30)) };

function DateFormatChoice() {
  const chosen = useStore(formatChoiceStore);
  return (
    <div class="card stack">
      <h2>Dates and times</h2>
      <div class="field">
        <label for="date-format">How dates and times are written</label>
        <select
          id="date-format"
          value={chosen}
          onChange={(e) => chooseFormat((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">Your browser's way ({browserFormat()})</option>
          {FORMAT_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <p class="hint" aria-live="polite">
        For example: {formatSlot(SAMPLE.start, SAMPLE.end, 'UTC')}. Times are always on the venue's clock, with its zone
        named. Kept in this browser; the browser's own date and time fields follow its language setting.
      </p>
    </div>
  );
}

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
      <DateFormatChoice />
    </>
  );
}
