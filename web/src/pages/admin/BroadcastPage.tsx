import { sendAnnouncement } from '../../api/notifications';
import { ErrorAlert, Status } from '../../components/Feedback';
import { PageHeading } from '../../components/PageHeading';
import { textOf, useFormSubmit } from '../../hooks/use-form-submit';

export function BroadcastPage() {
  const form = useFormSubmit(async (fields) => {
    const link = textOf(fields, 'link');
    const { count } = await sendAnnouncement({
      title: textOf(fields, 'title'),
      message: textOf(fields, 'message'),
      ...(link ? { link } : {}),
    });
    return `Announcement sent to ${count} active ${count === 1 ? 'user' : 'users'}.`;
  });

  return (
    <>
      <PageHeading title="Announce" />
      <p>Every active user gets the announcement as a notification.</p>
      <form onSubmit={form.onSubmit} class="card stack">
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
        <ErrorAlert message={form.error} />
        <Status>{form.done}</Status>
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy}>
            Send announcement
          </button>
        </div>
      </form>
    </>
  );
}
