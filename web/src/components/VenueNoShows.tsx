import { errorMessage } from '../api/api-error';
import type { Venue } from '../api/types';
import { listNoShows } from '../api/venues';
import { formatInstant } from '../format/zoned-time';
import { useLiveRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';
import { ErrorAlert } from './Feedback';

/** Who was released as a no-show at a venue, and how often (for its administrators). */
export function VenueNoShows({ venue, headingId }: { venue: Venue; headingId: string }) {
  const noShows = useLoad(() => listNoShows(venue.id), [venue.id]);
  useLiveRefetch((n) => n.notification_type === 'booking_no_show', noShows.reload);
  const rows = noShows.data ?? [];

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId} class="section-heading">
        No-shows at {venue.name}
      </h2>
      <ErrorAlert message={noShows.error ? errorMessage(noShows.error) : null} />
      {noShows.loading ? (
        <p class="muted">Loading no-shows…</p>
      ) : rows.length === 0 ? (
        <p class="muted">Nobody has been released as a no-show at {venue.name}.</p>
      ) : (
        <div class="table-scroll">
          <table class="data-table compact-table">
            <caption class="visually-hidden">Members released as no-shows at {venue.name}, most first</caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">No-shows</th>
                <th scope="col">Last</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.user_id}>
                  <td>
                    {row.full_name} <span class="muted break">{row.email}</span>
                  </td>
                  <td>{row.no_shows}</td>
                  <td>{formatInstant(new Date(row.last_no_show_at), venue.time_zone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
