import { useId } from 'preact/hooks';
import type { ApprovalRequest } from '../api/types';
import { requestSlot } from '../format/approval-words';
import { allDates, datesWord, dayOfRequest, seriesDecideByWords } from './SeriesRequestWords';
import { TimeAgo } from './TimeAgo';

/** A repeating request as the Requests inbox shows it: its dates still waiting, in order, sharing one deadline. */
export interface SeriesRequest {
  seriesId: number;
  dates: [ApprovalRequest, ...ApprovalRequest[]];
}

/**
 * One repeating request waiting for a venue's staff, decided as a whole: what, who and where, each
 * date still waiting at its time in the venue's zone, the one deadline and what it comes to, its
 * "Approve all" and "Deny all" buttons, and a "Deny this date" per date (a date can be refused alone).
 */
export function SeriesRequestItem({
  series,
  busy,
  onApprove,
  onDeny,
  onDenyDate,
}: {
  series: SeriesRequest;
  busy: boolean;
  onApprove: () => void;
  onDeny: () => void;
  onDenyDate: (date: ApprovalRequest) => void;
}) {
  const datesHeading = useId();
  const [first] = series.dates;
  const count = series.dates.length;
  const pastDeadline = Date.parse(first.decide_by) <= Date.now();
  // Buttons in a list name their request, so each is told apart out of context ("Approve all 3 dates: Choir, Ana").
  const whose = `${first.event_name}, ${first.user_name}`;
  return (
    <div class="card">
      <h3 class="card-title">{first.event_name}</h3>
      <p class="muted">A repeating booking, approved as a whole; a date can be denied alone.</p>
      <dl class="facts">
        <div>
          <dt>Asked by</dt>
          <dd>{first.user_name}</dd>
        </div>
        <div>
          <dt>Venue</dt>
          <dd>{first.venue_name}</dd>
        </div>
        {first.event_details && (
          <div>
            <dt>Details</dt>
            <dd class="pre-line">{first.event_details}</dd>
          </div>
        )}
        <div>
          <dt>Received</dt>
          <dd>
            <TimeAgo iso={first.requested_at} />
          </dd>
        </div>
      </dl>
      <h4 id={datesHeading} class="small-heading">
        {datesWord(count)}
      </h4>
      <ul class="plain-list" aria-labelledby={datesHeading}>
        {/* Each "Deny this date" names its day to a screen reader. The hidden text is laid out as a block,
            so names get a space before it: a word joins it ("Deny this date on Tue 12 May"), not a colon. */}
        {series.dates.map((date) => (
          <li key={date.id} class="admin-row">
            <span class="occurrence-when">{requestSlot(date)}</span>
            {count > 1 && (
              <button type="button" class="danger" disabled={busy} onClick={() => onDenyDate(date)}>
                Deny this date<span class="visually-hidden"> on {dayOfRequest(date)}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      <p class={pastDeadline ? 'decide-by overdue' : 'decide-by'}>{seriesDecideByWords(first, count)}</p>
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={onApprove}
          aria-label={`Approve ${allDates(count)}: ${whose}`}
        >
          Approve {allDates(count)}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={onDeny} aria-label={`Deny all: ${whose}`}>
          Deny all
        </button>
      </div>
    </div>
  );
}
