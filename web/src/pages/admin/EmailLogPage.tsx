import { useState } from 'preact/hooks';
import { emailLogUrl, listEmailLog } from '../../api/email-log';
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

/** What the operator reads under the status: the server's answer, or why it was held back. */
function statusDetail(entry: EmailLogEntry): string | null {
  if (entry.status === 'suppressed') return entry.suppressed_reason;
  if (entry.status === 'bounced')
    return (
      entry.last_error &&
      `Refused for good: ${entry.last_error}. No more email goes to this address until it is set again on the Users page.`
    );
  return entry.status === 'sent' ? null : entry.last_error;
}

export function EmailLogPage() {
  const [status, setStatus] = useState<EmailStatus | ''>('');
  const log = usePagedList((limit) => emailLogUrl(status, limit), listEmailLog, [status], 50);

  return (
    <>
      <PageHeading title="Email log" />
      <div class="field inline-field">
        <label for="email-status">Status</label>
        <select
          id="email-status"
          value={status}
          onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as EmailStatus | '')}
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
        tableClass="email-log-table"
        columns={['Recipient', 'Subject', 'Status', 'Attempts', 'Times']}
        loadingText="Loading the email log…"
        emptyText={`No emails${status ? ` with status ${status}` : ''}.`}
        row={(entry) => <EmailLogRow key={entry.id} entry={entry} />}
      />
    </>
  );
}

function EmailLogRow({ entry }: { entry: EmailLogEntry }) {
  const detail = statusDetail(entry);
  return (
    <tr>
      <td class="break">{entry.recipient}</td>
      <td>
        {entry.subject}
        <br />
        <span class="muted small">{entry.template}</span>
      </td>
      <td>
        <span class={`pill pill-${entry.status}`}>{entry.status}</span>
        {entry.sent_via === 'fallback' && <div class="small muted">via the backup server</div>}
        {detail && <div class={entry.status === 'suppressed' ? 'small muted' : 'small error-text'}>{detail}</div>}
      </td>
      <td>{entry.attempts}</td>
      <td class="small">
        Created {exactTime(entry.created_at)}
        {entry.sent_at && (
          <>
            <br />
            Sent {exactTime(entry.sent_at)}
          </>
        )}
        {!entry.sent_at && entry.updated_at !== entry.created_at && (
          <>
            <br />
            Updated {exactTime(entry.updated_at)}
          </>
        )}
      </td>
    </tr>
  );
}
