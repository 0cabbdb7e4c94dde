import { useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import { sendAnnouncement } from '../../api/notifications';
import { ErrorAlert, Status } from '../../components/Feedback';
import { PageHeading } from '../../components/PageHeading';

export function BroadcastPage() {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const link = String(form.get('link') ?? '').trim();
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const { count } = await sendAnnouncement({ title: String(form.get('title') ?? '').trim(), message: String(form.get('message') ?? '').trim(), ...(link ? { link } : {}) });
      setStatus(`Announcement sent to ${count} active ${count === 1 ? 'user' : 'users'}.`);
      formElement.reset();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title="Announce" />
      <p>Every active user gets the announcement as a notification.</p>
      <form onSubmit={send} class="card stack">
        <div class="field">
          <label for="announce-title">Title</label>
          <input id="announce-title" name="title" type="text" required maxLength={200} />
        </div>
        <div class="field">
          <label for="announce-message">Message</label>
          <textarea id="announce-message" name="message" rows={4} required maxLength={2000} />
        </div>
        <div class="field">
          <label for="announce-link">Link (optional)</label>
          <input id="announce-link" name="link" type="text" maxLength={500} aria-describedby="announce-link-hint" />
          <p id="announce-link-hint" class="hint">
            A page of this site such as /book, or an https:// address.
          </p>
        </div>
        <ErrorAlert message={error} />
        <Status>{status}</Status>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Send announcement
          </button>
        </div>
      </form>
    </>
  );
}
