import { useLocation } from 'preact-iso/router';
import { useEffect, useRef } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import { type DeskFilter, listDayBookings } from '../api/desk';
import { withQuery } from '../api/page';
import type { Booking, Venue } from '../api/types';
import { listVenues } from '../api/venues';
import { ApprovalRuleForm } from '../components/ApprovalRuleForm';
import { CheckInRuleForm } from '../components/CheckInRuleForm';
import { DeskExport } from '../components/desk/DeskExport';
import { DeskTimeline } from '../components/desk/DeskTimeline';
import { ErrorAlert } from '../components/Feedback';
import { PageHeading } from '../components/PageHeading';
import { VenueNoShows } from '../components/VenueNoShows';
import { VenueRulesEditor } from '../components/venue-rules/VenueRulesEditor';
import { FILTERS, isDeskFilter } from '../format/desk-state';
import { dayOfDate, todayIn } from '../format/zoned-time';
import { isBookingNews, useLiveRefetch, useScheduleRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';
import { pendingRequestCountStore, readPendingRequests } from '../live/pending-requests';
import { useMe } from '../session/use-me';
import { useStore } from '../state/use-store';

const PATH = '/venue-bookings';

const isDate = (value: string | undefined): value is string => /^\d{4}-\d{2}-\d{2}$/.test(value ?? '');

/** The date `days` after a YYYY-MM-DD date (before, when negative). */
function dateAfter(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

const waitingWords = (count: number | null) =>
  count === null ? '' : count === 0 ? ': nothing waiting' : `: ${count} waiting`;

/**
 * The hall admin's desk (where signing in lands them): a day of the venues they administer (a super
 * admin: any or all), each booking in start order with its state in words and what the desk may do
 * now; filters by state; the Requests inbox's count; a CSV export of a range; and the chosen venue's
 * no-shows, check-in and approval rules, booking rules, hours and closures. The venue, day and
 * filter are the page's address.
 */
export function DeskPage() {
  const me = useMe();
  const { query, route } = useLocation();
  const venues = useLoad(listVenues, []);
  const mine = (venues.data ?? []).filter((v) => me.role === 'super_admin' || v.admin_ids.includes(me.id));
  const chosen = mine.find((v) => String(v.id) === query.venue);
  const single: Venue | undefined = chosen ?? (mine.length === 1 ? mine[0] : undefined);
  const clockOf = single ?? mine[0];
  const today = clockOf ? todayIn(clockOf.time_zone) : '';
  const date = isDate(query.date) ? query.date : today;
  const state: DeskFilter | undefined = isDeskFilter(query.state) ? query.state : undefined;
  const requests = useStore(pendingRequestCountStore);

  const day = useLoad(async (): Promise<Booking[]> => {
    if (!date || mine.length === 0) return [];
    if (single) return listDayBookings({ venue: single.id, date, state });
    if (me.role === 'super_admin') return listDayBookings({ date, state });
    return (await Promise.all(mine.map((v) => listDayBookings({ venue: v.id, date, state })))).flat();
  }, [single?.id, mine.map((v) => v.id).join(), date, state]);
  useLiveRefetch(isBookingNews, day.reload);
  useScheduleRefetch((venueId) => mine.some((v) => v.id === venueId), day.reload);

  // A row whose buttons were used may leave the day (a filter no longer matches it): focus stays on the day.
  const days = useRef<HTMLDivElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    if (document.activeElement === document.body || document.activeElement === null) days.current?.focus();
  }, [day.data]);

  const go = (changes: { venue?: string; date?: string; state?: string }) =>
    route(
      withQuery(PATH, {
        venue: query.venue,
        date: query.date,
        state: query.state,
        ...changes,
      }),
      true,
    );
  const changed = (decided: boolean) => {
    refocus.current = true;
    day.reload();
    if (decided) readPendingRequests().catch(() => undefined);
  };

  const shown = single ? [single] : mine;
  const bookingsAt = (venue: Venue) => (day.data ?? []).filter((b) => b.venue === venue.id);
  // Every venue of a hall admin's shows, booked or not; of a super admin's all, those with bookings.
  const sections = shown.filter((v) => single || me.role !== 'super_admin' || bookingsAt(v).length > 0);
  const dayWords = date ? dayOfDate(date, true) : '';

  return (
    <>
      <PageHeading title="Desk" />
      <ErrorAlert message={venues.error ? errorMessage(venues.error) : day.error ? errorMessage(day.error) : null} />
      {venues.loading ? (
        <p class="muted">Loading venues…</p>
      ) : mine.length === 0 ? (
        <p>You do not administer any venue yet.</p>
      ) : (
        <>
          <p class="desk-inbox">
            <a href="/requests">Requests inbox{waitingWords(requests)}</a>
          </p>
          <div class="desk-controls card">
            {mine.length > 1 && (
              <div class="field">
                <label for="desk-venue">Venue</label>
                <select
                  id="desk-venue"
                  value={single ? String(single.id) : 'all'}
                  onChange={(e) => go({ venue: (e.currentTarget as HTMLSelectElement).value })}
                >
                  <option value="all">{me.role === 'super_admin' ? 'All venues' : 'All my venues'}</option>
                  {mine.map((v) => (
                    <option key={v.id} value={String(v.id)}>
                      {v.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div class="field">
              <label for="desk-date">Date</label>
              <input
                id="desk-date"
                type="date"
                value={date}
                onChange={(e) => {
                  const value = (e.currentTarget as HTMLInputElement).value;
                  if (isDate(value)) go({ date: value });
                }}
              />
            </div>
            <div class="field">
              <label for="desk-state">Show</label>
              <select
                id="desk-state"
                value={state ?? ''}
                onChange={(e) => go({ state: (e.currentTarget as HTMLSelectElement).value })}
              >
                {FILTERS.map((filter) => (
                  <option key={filter.value} value={filter.value}>
                    {filter.label}
                  </option>
                ))}
              </select>
            </div>
            <div class="actions desk-day-buttons">
              <button type="button" onClick={() => go({ date: dateAfter(date, -1) })}>
                Previous day
              </button>
              <button type="button" disabled={date === today} onClick={() => go({ date: today })}>
                Today
              </button>
              <button type="button" onClick={() => go({ date: dateAfter(date, 1) })}>
                Next day
              </button>
            </div>
          </div>
          <p class="desk-day" aria-live="polite">
            {date === today ? `Today, ${dayWords}` : dayWords}
            {state ? ` · ${FILTERS.find((f) => f.value === state)?.label}` : ''}
          </p>
          <div class="desk-days" ref={days} tabIndex={-1}>
            {day.loading ? (
              <p class="muted">Loading the day…</p>
            ) : sections.length === 0 ? (
              <p class="muted">{state ? 'No booking in this state' : 'Nothing booked'} at any venue on this day.</p>
            ) : (
              sections.map((venue) => (
                <DeskTimeline
                  key={venue.id}
                  venue={venue}
                  bookings={bookingsAt(venue)}
                  dayWords={dayOfDate(date)}
                  filtered={state !== undefined}
                  onChanged={changed}
                />
              ))
            )}
          </div>
          <DeskExport venues={single ? [single] : mine} from={date} />
          {single ? (
            <>
              <VenueNoShows key={`no-shows-${single.id}`} venue={single} headingId="venue-no-shows-heading" />
              <section aria-labelledby="venue-check-in-heading">
                <h2 id="venue-check-in-heading" class="section-heading">
                  Check-in rule
                </h2>
                <div class="card">
                  <CheckInRuleForm
                    key={`check-in-${single.id}`}
                    venue={single}
                    onSaved={() => {
                      // The rule applies to bookings already made: their windows change with it.
                      venues.reload();
                      day.reload();
                    }}
                  />
                </div>
              </section>
              <section aria-labelledby="venue-approval-heading">
                <h2 id="venue-approval-heading" class="section-heading">
                  Approval
                </h2>
                <div class="card">
                  <ApprovalRuleForm key={`approval-${single.id}`} venue={single} onSaved={venues.reload} />
                </div>
              </section>
              <section aria-labelledby="venue-rules-heading">
                <h2 id="venue-rules-heading" class="section-heading">
                  Rules, hours and closures
                </h2>
                <div class="card stack">
                  <VenueRulesEditor key={`rules-${single.id}`} venue={single} superAdmin={me.role === 'super_admin'} />
                </div>
              </section>
            </>
          ) : (
            <p class="hint">Choose a venue to see its no-shows and change its rules, hours and closures.</p>
          )}
        </>
      )}
    </>
  );
}
