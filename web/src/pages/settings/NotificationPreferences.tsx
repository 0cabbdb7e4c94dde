import { updatePreferences } from '../../api/preferences';
import type { PreferenceChannel, Preferences, PreferenceType } from '../../api/types';
import { ErrorAlert, Status } from '../../components/Feedback';
import type { PreferencesState } from './use-preferences';

const CHANNELS: Array<[PreferenceChannel, string]> = [
  ['email', 'Email'],
  ['in_app', 'In-app'],
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
  CHANNELS.every(([other]) => other === channel || !type.channels[other]?.enabled);

function PreferenceFieldset({ type, state }: { type: PreferenceType; state: PreferencesState }) {
  const describedBy = `pref-${type.type}-about${type.critical ? ` pref-${type.type}-critical` : ''}`;
  const outcome = state.outcome?.key === type.type ? state.outcome : null;
  return (
    <fieldset class="preference" aria-describedby={describedBy}>
      <legend>{type.label}</legend>
      <p id={`pref-${type.type}-about`} class="hint">
        {type.description}
      </p>
      {type.critical && (
        <p id={`pref-${type.type}-critical`} class="hint critical-note">
          {CRITICAL_NOTE}
        </p>
      )}
      <div class="channel-choices">
        {CHANNELS.map(([channel, word]) => {
          const current = type.channels[channel];
          if (!current) return null;
          return (
            <label key={channel} class="checkbox">
              <input
                type="checkbox"
                checked={current.enabled}
                disabled={isLastOn(type, channel)}
                aria-label={`${word}: ${type.label}`}
                onChange={(event) => {
                  const enabled = (event.currentTarget as HTMLInputElement).checked;
                  state.save(
                    type.type,
                    (p) => withChannel(p, type.type, channel, enabled),
                    () => updatePreferences({ [type.type]: { [channel]: enabled } }),
                  );
                }}
              />
              {word}
            </label>
          );
        })}
      </div>
      <Status class="inline-status">{outcome && outcome.error === null ? 'Saved' : null}</Status>
      <ErrorAlert message={outcome?.error} />
    </fieldset>
  );
}

/**
 * A checkbox per notification type and channel, each saved as it changes. Types only hall admins
 * receive are left out for members.
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

  return (
    <section class="card" aria-labelledby="notification-preferences-heading">
      <h2 id="notification-preferences-heading">Notifications</h2>
      <p class="hint">Choose how BookIT tells you about each thing. Changes are saved as you make them.</p>
      <div class="preference-list">
        {everyone.map((type) => (
          <PreferenceFieldset key={type.type} type={type} state={state} />
        ))}
      </div>
      {admins.length > 0 && (
        <>
          <h3 class="section-heading">For the venues you administer</h3>
          <div class="preference-list">
            {admins.map((type) => (
              <PreferenceFieldset key={type.type} type={type} state={state} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
