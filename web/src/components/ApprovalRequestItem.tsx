import type { ApprovalRequest } from '../api/types';
import { decideByWords, requestSlot } from '../format/approval-words';
import { TimeAgo } from './TimeAgo';

/**
 * One request waiting for a venue's staff: what, who, where and when (in the venue's zone), by when
 * it must be decided and what it comes to otherwise, and its Approve and Deny buttons.
 */
export function ApprovalRequestItem({
  request,
  busy,
  onApprove,
  onDeny,
}: {
  request: ApprovalRequest;
  busy: boolean;
  onApprove: () => void;
  onDeny: () => void;
}) {
  const pastDeadline = Date.parse(request.decide_by) <= Date.now();
  // Buttons in a list name their request, so each is told apart out of context ("Approve: Choir, Ana").
  const whose = `${request.event_name}, ${request.user_name}`;
  return (
    <div class="card">
      <h3 class="card-title">{request.event_name}</h3>
      <dl class="facts">
        <div>
          <dt>Asked by</dt>
          <dd>{request.user_name}</dd>
        </div>
        <div>
          <dt>Venue</dt>
          <dd>{request.venue_name}</dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>{requestSlot(request)}</dd>
        </div>
        {request.event_details && (
          <div>
            <dt>Details</dt>
            <dd class="pre-line">{request.event_details}</dd>
          </div>
        )}
        <div>
          <dt>Received</dt>
          <dd>
            <TimeAgo iso={request.requested_at} />
          </dd>
        </div>
      </dl>
      <p class={pastDeadline ? 'decide-by overdue' : 'decide-by'}>{decideByWords(request)}</p>
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={onApprove} aria-label={`Approve: ${whose}`}>
          Approve
        </button>
        <button type="button" class="danger" disabled={busy} onClick={onDeny} aria-label={`Deny: ${whose}`}>
          Deny
        </button>
      </div>
    </div>
  );
}
