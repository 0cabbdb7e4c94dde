import { useLocation } from 'preact-iso/router';
import { errorMessage } from '../api/api-error';
import { findFreeVenues } from '../api/availability';
import { withQuery } from '../api/page';
import type { FreeVenue } from '../api/types';
import { ErrorAlert } from '../components/Feedback';
import { FindRoomForm } from '../components/FindRoomForm';
import { FindRoomVenueCard } from '../components/FindRoomVenueCard';
import { PageHeading } from '../components/PageHeading';
import { queryOfSearch, type RoomSearch, searchOfQuery } from '../format/availability-search';
import { dayOfDate } from '../format/zoned-time';
import { isBookingNews, useLiveRefetch, useScheduleRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';

/** The answer to the search at one address: each answer names it, so an older one is never shown for a newer search. */
type Answer = { url: string; venues: FreeVenue[] } | { url: string; error: string };

const pageUrlOf = (search: RoomSearch) => withQuery('/find', queryOfSearch(search));

const roomsFree = (count: number) =>
  count === 0 ? 'No room free' : count === 1 ? '1 room free' : `${count} rooms free`;

const partOfDay = (search: RoomSearch) =>
  search.from || search.to ? `${search.from || '00:00'}–${search.to || '24:00'}` : 'all day';

/**
 * Find a room: which venues the person may book are free on a day, and when. The search is the
 * page's address (so it can be shared, reloaded and gone back to); each free time leads to the Book
 * page for that venue. Results follow booking news, as someone else's booking can take a free time.
 */
export function FindRoomPage() {
  const { query, route } = useLocation();
  const asked = searchOfQuery(query);
  const askedUrl = asked ? pageUrlOf(asked) : null;

  const results = useLoad(async (): Promise<Answer | null> => {
    if (!asked || !askedUrl) return null;
    try {
      return { url: askedUrl, venues: await findFreeVenues(asked) };
    } catch (failure) {
      return { url: askedUrl, error: errorMessage(failure) };
    }
  }, [askedUrl]);
  useLiveRefetch(isBookingNews, results.reload);
  useScheduleRefetch(() => true, results.reload);
  const answer = results.data && results.data.url === askedUrl ? results.data : null;

  const search = (next: RoomSearch) => {
    const target = pageUrlOf(next);
    // The same search again asks again (the rooms may have changed), without a second history entry.
    if (target === askedUrl) results.reload();
    else route(target);
  };

  return (
    <>
      <PageHeading title="Find a room" />
      <div class="find-layout">
        <FindRoomForm asked={asked} onSearch={search} />
        {asked && (
          <section class="find-results" aria-labelledby="find-results-heading">
            <div aria-live="polite" aria-atomic="true">
              <h2 id="find-results-heading">
                {!answer
                  ? 'Searching…'
                  : 'error' in answer
                    ? 'The search could not be answered'
                    : `${roomsFree(answer.venues.length)} on ${dayOfDate(asked.date)}, ${partOfDay(asked)}`}
              </h2>
              {answer && 'venues' in answer && answer.venues.length === 0 && (
                <p>No room is free then; try another time or fewer requirements.</p>
              )}
            </div>
            <ErrorAlert message={answer && 'error' in answer ? answer.error : null} />
            {answer && 'venues' in answer && answer.venues.length > 0 && (
              <ul class="card-list">
                {answer.venues.map((venue) => (
                  <li key={venue.venue_id}>
                    <FindRoomVenueCard venue={venue} date={asked.date} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
      </div>
    </>
  );
}
