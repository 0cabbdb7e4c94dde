import { errorMessage } from '../../api/api-error';
import type { Venue } from '../../api/types';
import { fetchVenueRules } from '../../api/venue-settings';
import { useLoad } from '../../hooks/use-load';
import { ErrorAlert } from '../Feedback';
import { OpeningHoursForm } from './OpeningHoursForm';
import { VenueClosures } from './VenueClosures';
import { VenueRulesForm } from './VenueRulesForm';

/**
 * A venue's rules, opening hours and closures, read once from GET /api/venues/{id}/rules and again
 * after each change. A super admin may always change them; its hall admins while the venue lets them
 * (the server says so when it does not).
 */
export function VenueRulesEditor({ venue, superAdmin }: { venue: Venue; superAdmin: boolean }) {
  const rules = useLoad(() => fetchVenueRules(venue.id), [venue.id]);
  if (rules.loading) return <p class="muted">Loading the rules of {venue.name}…</p>;
  if (!rules.data) return <ErrorAlert message={errorMessage(rules.error)} />;
  return (
    <>
      {!superAdmin && !rules.data.own.hall_admins_edit && (
        <p class="hint">Only a super admin may change the rules, hours and closures of {venue.name}.</p>
      )}
      <VenueRulesForm venue={venue} rules={rules.data} superAdmin={superAdmin} onSaved={rules.reload} />
      <OpeningHoursForm venue={venue} hours={rules.data.hours} onSaved={rules.reload} />
      <VenueClosures venue={venue} closures={rules.data.closures} onChanged={rules.reload} />
    </>
  );
}
