import { updatePreferences } from '../../api/preferences';
import type { PreferenceChannel, Preferences, PreferenceType } from '../../api/types';
import { ErrorAlert, Status } from '../../components/Feedback';
import type { PreferencesState } from './use-preferences';

/** The grid's columns: each channel's heading and how a checkbox's name says it ("Booking made by email"). */
const CHANNELS: Array<{ channel: PreferenceChannel; heading: string; words: string }> = [
  { channel: 'email', heading: 'Email', words: 'by email' },
  { channel: 'in_app', heading: 'In-app', words: 'in-app' },
];

const CRITICAL_NOTE = 'Needed to run your bookings: keep at least one on';

/** The preferences with one channel of one type switched. */
function withChannel(
  preferences: Preferences,
  type: string,
  channel: PreferenceChannel,
  enabled: boolean,
): Preferences {
  return {
    ...preferences,
    types: preferences.types.map((t) => {
      const state = t.channels[channel];
      return t.type === type && state ? { ...t, channels: { ...t.channels, [channel]: { ...state, enabled } } } : t;
    }),
  };
}

/** A critical type's last channel still on may not be turned off (the server would refuse it too). */
const isLastOn = (type: PreferenceType, channel: PreferenceChannel) =>
  type.critical &&
  type.channels[channel]?.enabled === true &&
  CHANNELS.every(({ channel: other }) => other === channel || !type.channels[other]?.enabled);

/** A save's key: the type and channel, so the outcome can name the checkbox it was for. */
const keyOf = (type: string, channel: PreferenceChannel) => `pref:${type}:${channel}`;

function PreferenceRow({ type, state }: { type: PreferenceType; state: PreferencesState }) {
  const aboutId = `pref-${type.type}-about`;
  const saved = state.outcome?.error === null && state.outcome.key.startsWith(`pref:${type.type}:`);
  return (
    <tr>
      <th scope="row">
        <span class="preference-label">{type.label}</span>
        <span id={aboutId} class="hint">
          {type.description}
          {type.critical && <span class="critical-note"> {CRITICAL_NOTE}.</span>}
        </span>
        {/* Seen beside the row just changed; the status under the grid is what a screen reader hears. */}
        {saved && (
          <span class="saved-mark" aria-hidden="true">
            Saved
          </span>
        )}
      </th>
      {CHANNELS.map(({ channel, heading, words }) => {
        const current = type.channels[channel];
        return (
          <td key={channel} data-label={heading}>
            {current ? (
              <input
                type="checkbox"
                checked={current.enabled}
                disabled={isLastOn(type, channel)}
                aria-label={`${type.label} ${words}`}
                aria-describedby={aboutId}
                onChange={(event) => {
                  const enabled = (event.currentTarget as HTMLInputElement).checked;
                  state.save(
                    keyOf(type.type, channel),
                    (p) => withChannel(p, type.type, channel, enabled),
                    () => updatePreferences({ [type.type]: { [channel]: enabled } }),
                  );
                }}
              />
            ) : (
              <span class="muted">
                <span aria-hidden="true">—</span>
                <span class="visually-hidden">
                  {type.label}: not sent {words}
                </span>
              </span>
            )}
          </td>
        );
      })}
    </tr>
  );
}

/** What the last save did, naming its checkbox: "Saved: Booking made by email is off." */
function outcomeSaid(state: PreferencesState): string | null {
  const outcome = state.outcome;
  if (!outcome || outcome.error !== null || !outcome.key.startsWith('pref:')) return null;
  const [, typeName, channel] = outcome.key.split(':');
  const type = state.preferences?.types.find((t) => t.type === typeName);
  const column = CHANNELS.find((c) => c.channel === channel);
  if (!type || !column) return 'Saved';
  return `Saved: ${type.label} ${column.words} is ${type.channels[column.channel]?.enabled ? 'on' : 'off'}.`;
}

/**
 * One grid of notification types (rows) by channel (columns), each checkbox saved as it changes;
 * types only hall admins receive are a group of their own, left out for members. The last save's
 * outcome is said once, under the grid.
 */
export function NotificationPreferences({
  state,
  showAdminTypes,
}: {
  state: PreferencesState;
  showAdminTypes: boolean;
}) {
  const types = state.preferences?.types ?? [];
  const everyone = types.filter((t) => t.audience === 'everyone');
  const admins = showAdminTypes ? types.filter((t) => t.audience === 'hall_admins') : [];
  const refused = state.outcome?.key.startsWith('pref:') ? state.outcome.error : null;

  return (
    <section class="card" aria-labelledby="notification-preferences-heading">
      <h2 id="notification-preferences-heading">Notifications</h2>
      <p class="hint">Choose how BookIT tells you about each thing. Changes are saved as you make them.</p>
      <table class="preference-grid">
        <caption class="visually-hidden">Notifications by type and channel</caption>
        <thead>
          <tr>
            <th scope="col">Notification</th>
            {CHANNELS.map(({ channel, heading }) => (
              <th key={channel} scope="col">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {everyone.map((type) => (
            <PreferenceRow key={type.type} type={type} state={state} />
          ))}
        </tbody>
        {admins.length > 0 && (
          <tbody>
            <tr>
              <th scope="colgroup" colSpan={1 + CHANNELS.length} class="preference-group">
                For the venues you administer
              </th>
            </tr>
            {admins.map((type) => (
              <PreferenceRow key={type.type} type={type} state={state} />
            ))}
          </tbody>
        )}
      </table>
      <Status class="inline-status">{outcomeSaid(state)}</Status>
      <ErrorAlert message={refused} />
    </section>
  );
}
