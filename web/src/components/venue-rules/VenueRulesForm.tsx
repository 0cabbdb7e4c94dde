import { useId, useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import type { Role, Venue } from '../../api/types';
import { type OwnRules, type RuleChanges, updateVenueRules, type VenueRules } from '../../api/venue-settings';
import { isoDurationWords } from '../../format/duration-words';
import { ErrorAlert, Status } from '../Feedback';

type Limit = Exclude<keyof OwnRules, 'hall_admins_edit'>;

/** Each limit: its field, its label, and what applies now in words. */
const LIMITS: Array<{ name: Limit; label: string; now: (inForce: VenueRules['in_force']) => string | null }> = [
  {
    name: 'min_notice_minutes',
    label: 'Minimum notice (minutes)',
    now: (r) => r.min_notice && isoDurationWords(r.min_notice),
  },
  {
    name: 'max_advance_minutes',
    label: 'Book at most ahead (minutes)',
    now: (r) => r.max_advance && isoDurationWords(r.max_advance),
  },
  {
    name: 'min_duration_minutes',
    label: 'Shortest booking (minutes)',
    now: (r) => r.min_duration && isoDurationWords(r.min_duration),
  },
  {
    name: 'max_duration_minutes',
    label: 'Longest booking (minutes)',
    now: (r) => r.max_duration && isoDurationWords(r.max_duration),
  },
  {
    name: 'setup_buffer_minutes',
    label: 'Kept free before (minutes)',
    now: (r) => r.setup_buffer && isoDurationWords(r.setup_buffer),
  },
  {
    name: 'teardown_buffer_minutes',
    label: 'Kept free after (minutes)',
    now: (r) => r.teardown_buffer && isoDurationWords(r.teardown_buffer),
  },
  {
    name: 'max_upcoming',
    label: 'Upcoming bookings per member',
    now: (r) => (r.max_upcoming ? String(r.max_upcoming) : null),
  },
  {
    name: 'max_hours_per_week',
    label: 'Hours per member a week',
    now: (r) => (r.max_hours_per_week ? `${r.max_hours_per_week} hours` : null),
  },
];

const ROLES: Array<[string, string]> = [
  ['member', 'Members'],
  ['hall_admin', 'Hall admins'],
  ['super_admin', 'Super admins'],
];

/**
 * A venue's booking rules (its own settings over the deployment's defaults): notice, how far ahead,
 * shortest and longest, buffers, quotas, who may book, and (a super admin's call) whether its hall
 * admins may change them. An empty field keeps the default; 0 is no limit.
 */
export function VenueRulesForm({
  venue,
  rules,
  superAdmin,
  onSaved,
}: {
  venue: Venue;
  rules: VenueRules;
  superAdmin: boolean;
  onSaved: (rules: VenueRules) => void;
}) {
  const id = useId();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const changes: RuleChanges = {};
    for (const { name } of LIMITS) {
      const value = String(form.get(name) ?? '').trim();
      changes[name] = value === '' ? null : Number(value);
    }
    const roles = form.getAll('booking_roles').map(String);
    changes.booking_roles = roles.length === ROLES.length ? null : (roles as Role[]);
    if (superAdmin) changes.hall_admins_edit = form.get('hall_admins_edit') === 'on';
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      onSaved(await updateVenueRules(venue.id, changes));
      setStatus(`Saved: the rules of ${venue.name}. Bookings already made keep what they had.`);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const roles = rules.in_force.booking_roles;
  return (
    <form class="stack" onSubmit={save} aria-labelledby={`${id}-heading`}>
      <h4 id={`${id}-heading`}>Booking rules</h4>
      <p class="hint">Empty keeps the deployment's default; 0 is no limit.</p>
      <div class="field-row">
        {LIMITS.map(({ name, label, now }) => (
          <div class="field" key={name}>
            <label for={`${id}-${name}`}>{label}</label>
            <input
              id={`${id}-${name}`}
              name={name}
              type="number"
              min={0}
              step={name === 'max_hours_per_week' ? 0.5 : 1}
              inputMode="numeric"
              defaultValue={rules.own[name] === null ? '' : String(rules.own[name])}
              aria-describedby={`${id}-${name}-now`}
            />
            <p id={`${id}-${name}-now`} class="hint small">
              Now: {now(rules.in_force) ?? 'no limit'}
            </p>
          </div>
        ))}
      </div>
      <fieldset class="plain choice-group">
        <legend>Who may book (its staff always may)</legend>
        {ROLES.map(([value, label]) => (
          <label key={value} class="checkbox">
            <input
              type="checkbox"
              name="booking_roles"
              value={value}
              defaultChecked={roles === null || roles.includes(value)}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {superAdmin && (
        <label class="checkbox">
          <input type="checkbox" name="hall_admins_edit" defaultChecked={rules.own.hall_admins_edit} />
          Its hall admins may change its rules, hours and closures
        </label>
      )}
      <ErrorAlert message={error} />
      <Status>{status}</Status>
      <div class="actions">
        <button type="submit" disabled={busy}>
          Save rules<span class="visually-hidden"> of {venue.name}</span>
        </button>
      </div>
    </form>
  );
}
