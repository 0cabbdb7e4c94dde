import { createWebhook, type WebhookEndpointWithSecret, type WebhookEventTypeInfo } from '../../../api/webhooks';
import { ErrorAlert } from '../../../components/Feedback';
import { textOf, useFormSubmit } from '../../../hooks/use-form-submit';

export interface AddEndpointFormProps {
  eventTypes: WebhookEventTypeInfo[];
  loadError: string | null;
  /** The new endpoint, with its secret: the only time the server sends it. */
  onCreated: (created: WebhookEndpointWithSecret) => void;
}

export function AddEndpointForm({ eventTypes, loadError, onCreated }: AddEndpointFormProps) {
  const form = useFormSubmit(async (fields) => {
    const checked = fields.getAll('event_types');
    const chosen = eventTypes.map(({ type }) => type).filter((type) => checked.includes(type));
    if (chosen.length === 0) throw new Error('Choose at least one event.');
    const description = textOf(fields, 'description');
    onCreated(
      await createWebhook({ url: textOf(fields, 'url'), event_types: chosen, ...(description ? { description } : {}) }),
    );
    // What comes of it is the secret, shown below the form.
    return null;
  });

  return (
    <section class="card" aria-labelledby="add-webhook-heading">
      <h2 id="add-webhook-heading">Add an endpoint</h2>
      <form onSubmit={form.onSubmit} class="stack">
        <div class="field">
          <label for="webhook-url">URL</label>
          <input
            id="webhook-url"
            name="url"
            type="url"
            required
            maxLength={2000}
            placeholder="https://hooks.example.com/bookit"
            autocomplete="off"
            aria-describedby="webhook-url-hint"
          />
          <p id="webhook-url-hint" class="hint">
            https, on a public address.
          </p>
        </div>
        <div class="field">
          <label for="webhook-description">Description (optional)</label>
          <input id="webhook-description" name="description" type="text" maxLength={200} autocomplete="off" />
        </div>
        <fieldset class="plain">
          <legend>Events</legend>
          <ErrorAlert message={loadError} />
          <div class="channel-choices">
            {eventTypes.map(({ type, description }) => (
              <label key={type} class="checkbox">
                <input type="checkbox" name="event_types" value={type} />
                <span>
                  {description} <span class="muted small">({type})</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <ErrorAlert message={form.error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={form.busy}>
            Add endpoint
          </button>
        </div>
      </form>
    </section>
  );
}
