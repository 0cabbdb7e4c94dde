import { formatLocale } from '../../format/locale';
import { useLocation } from 'preact-iso/router';
import { emailLogUrl, listEmailLog } from '../../api/email-log';
import { withQuery } from '../../api/page';
import type { EmailLogEntry, EmailStatus } from '../../api/types';
import { PagedTable } from '../../components/PagedTable';
import { PageHeading } from '../../components/PageHeading';
import { exactTime } from '../../format/relative-time';
import { usePagedList } from '../../hooks/use-paged-list';

const STATUSES: Array<[EmailStatus | '', string]> = [
  ['', 'All'],
  ['queued', 'Queued'],
  ['sent', 'Sent'],
  ['deferred', 'Deferred (retrying)'],
  ['bounced', 'Bounced'],
  ['suppressed', 'Suppressed'],
  ['failed', 'Failed (gave up after 24 h)'],
];

const shortTime = (iso: string) =>
  new Date(iso).toLocaleString(formatLocale(), { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** What the operator reads beside the status: the server's answer, or why it was held back. */
function statusDetail(entry: EmailLogEntry): string | null {
  if (entry.status === 'suppressed') return entry.suppressed_reason;
  if (entry.status === 'bounced')
    return (
      entry.last_error &&
      `Refused for good: ${entry.last_error}. No more email goes to this address until it is set again on the Users page.`
    );
  if (entry.status === 'sent') return entry.sent_via === 'fallback' ? 'via the backup server' : null;
  const attempts = entry.attempts > 1 ? `after ${entry.attempts} attempts` : null;
  return [attempts, entry.last_error].filter(Boolean).join(': ') || null;
}

/**
 * The email log as a compact table, one line per email (newest first, keyset pages): when, to whom,
 * which kind (its subject on hover), and its status with the reason beside it. The status filter is
 * the page's address (`/admin/emails?status=bounced`), so a filtered log can be shared.
 */
export function EmailLogPage() {
  const { query, route } = useLocation();
  const status = STATUSES.find(([value]) => value !== '' && value === query.status)?.[0] ?? '';
  const log = usePagedList((limit) => emailLogUrl(status, limit), listEmailLog, [status], 50);

  return (
    <>
      <PageHeading title="Email log" />
      <div class="field inline-field">
        <label for="email-status">Status</label>
        <select
          id="email-status"
          value={status}
          onChange={(e) =>
            route(withQuery('/admin/emails', { status: (e.currentTarget as HTMLSelectElement).value }), true)
          }
        >
          {STATUSES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <PagedTable
        list={log}
        label="Email log table"
        caption="Emails, newest first"
        tableClass="compact-table stacked-on-phone email-log-table"
        columns={['Time', 'Recipient', 'Kind', 'Status']}
        loadingText="Loading the email log…"
        emptyText={`No emails${status ? ` with status ${status}` : ''}.`}
        row={(entry) => <EmailLogRow key={entry.id} entry={entry} />}
      />
    </>
  );
}

function EmailLogRow({ entry }: { entry: EmailLogEntry }) {
  const detail = statusDetail(entry);
  const last = entry.sent_at ?? entry.updated_at;
  const times = `Created ${exactTime(entry.created_at)}${entry.sent_at ? `, sent ${exactTime(entry.sent_at)}` : last !== entry.created_at ? `, updated ${exactTime(last)}` : ''}`;
  return (
    <tr>
      <td data-label="Time">
        <time dateTime={entry.created_at} title={times}>
          {shortTime(entry.created_at)}
        </time>
      </td>
      <td data-label="To" title={entry.recipient}>
        {entry.recipient}
      </td>
      <td data-label="Kind" title={entry.subject}>
        {entry.template}
        <span class="visually-hidden">: {entry.subject}</span>
      </td>
      <td title={detail ?? undefined}>
        <span class={`pill pill-${entry.status}`}>{entry.status}</span>
        {detail && (
          <span
            class={
              entry.status === 'bounced' || entry.status === 'failed'
                ? 'status-detail error-text'
                : 'status-detail muted'
            }
          >
            {detail}
          </span>
        )}
      </td>
    </tr>
  );
}
