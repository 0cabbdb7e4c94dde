import type { Venue } from '../../../api/types';
import { listAmenities } from '../../../api/availability';
import { VenueRulesEditor } from '../../../components/venue-rules/VenueRulesEditor';
import { useLoad } from '../../../hooks/use-load';
import { ArchiveVenue } from './ArchiveVenue';
import { VenueFactsForm } from './VenueFactsForm';

/** Everything a super admin changes about a venue, opened from its card: facts, rules, hours, closures, archiving. */
export function VenueEditor({ id, venue, onSaved }: { id: string; venue: Venue; onSaved: () => void }) {
  const amenities = useLoad(listAmenities, []);
  return (
    <div id={id} class="venue-editor stack">
      <VenueFactsForm venue={venue} amenities={amenities.data ?? null} onSaved={onSaved} />
      <VenueRulesEditor venue={venue} superAdmin />
      <ArchiveVenue venue={venue} onSaved={onSaved} />
    </div>
  );
}
