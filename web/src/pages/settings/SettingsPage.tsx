import { errorMessage } from '../../api/api-error';
import { listVenues } from '../../api/venues';
import { ErrorAlert } from '../../components/Feedback';
import { PageHeading } from '../../components/PageHeading';
import { useLoad } from '../../hooks/use-load';
import { useMe } from '../../session/use-me';
import { CalendarFeeds } from './CalendarFeeds';
import { NotificationPreferences } from './NotificationPreferences';
import { usePreferences } from './use-preferences';
import { VenueAlertMutes } from './VenueAlertMutes';

/** How BookIT reaches the user (per notification type and channel, muted venues) and their calendar feeds. */
export function SettingsPage() {
  const me = useMe();
  const preferences = usePreferences();
  // Members administer no venue: no need to ask.
  const venues = useLoad(() => (me.role === 'member' ? Promise.resolve([]) : listVenues()), [me.role]);
  const administered = (venues.data ?? []).filter((venue) => venue.admin_ids.includes(me.id));

  return (
    <>
      <PageHeading title="Settings" />
      <ErrorAlert
        message={
          preferences.loadError ? errorMessage(preferences.loadError) : venues.error ? errorMessage(venues.error) : null
        }
      />
      {preferences.loading ? (
        <p class="muted">Loading your settings…</p>
      ) : (
        preferences.preferences && (
          <div class="stack">
            <NotificationPreferences state={preferences} showAdminTypes={me.role !== 'member'} />
            {administered.length > 0 && <VenueAlertMutes venues={administered} state={preferences} />}
          </div>
        )
      )}
      <CalendarFeeds administered={administered} allVenues={venues.data ?? []} />
    </>
  );
}
