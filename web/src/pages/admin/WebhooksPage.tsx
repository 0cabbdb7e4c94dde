import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import {
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  rotateWebhookSecret,
  sendWebhookTest,
  updateWebhook,
  webhookDeliveriesUrl,
  webhookEventTypes,
  webhooksUrl,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
  type WebhookEventTypeInfo,
  type WebhookTestResult,
} from '../../api/webhooks';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert, Status } from '../../components/Feedback';
import { OlderButton } from '../../components/OlderButton';
import { PageHeading } from '../../components/PageHeading';
import { TimeAgo } from '../../components/TimeAgo';
import { exactTime } from '../../format/relative-time';
import { useLoad } from '../../hooks/use-load';
import { usePagedList } from '../../hooks/use-paged-list';

/** A secret the server just made: shown here once, since it is never sent again. */
interface ShownSecret {
  endpointId: number;
  endpointUrl: string;
  secret: string;
  rotated: boolean;
}

type Pending = { kind: 'delete' | 'rotate'; endpoint: WebhookEndpoint };

export function WebhooksPage() {
  const eventTypes = useLoad(webhookEventTypes, []);
  const endpoints = usePagedList(webhooksUrl, listWebhooks, [], 20);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      setStatus(await action());
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
      endpoints.reload();
    }
  };

  const confirm = ({ kind, endpoint }: Pending) =>
    act(async () => {
      if (kind === 'delete') {
        await deleteWebhook(endpoint.id);
        setShown((old) => (old?.endpointId === endpoint.id ? null : old));
        return `Deleted the endpoint ${endpoint.url} and its delivery log.`;
      }
      const rotated = await rotateWebhookSecret(endpoint.id);
      setShown({ endpointId: rotated.id, endpointUrl: rotated.url, secret: rotated.secret, rotated: true });
      return `Made a new secret for ${rotated.url}; the old one no longer signs.`;
    });

  return (
    <>
      <PageHeading title="Webhooks" />
      <p class="hint">
        BookIT POSTs each notice event as JSON to the endpoints below, signed per Standard Webhooks (headers webhook-id, webhook-timestamp, webhook-signature): verify it with
        the endpoint's secret in any Standard Webhooks library. A failed delivery is retried for 24 hours.
      </p>
      <AddEndpoint
        eventTypes={eventTypes.data ?? []}
        loadError={eventTypes.error ? errorMessage(eventTypes.error) : null}
        onCreated={(created) => {
          setShown({ endpointId: created.id, endpointUrl: created.url, secret: created.secret, rotated: false });
          endpoints.reload();
        }}
      />
      {shown && <SecretOnce shown={shown} onDone={() => setShown(null)} />}
      <h2 class="section-heading">Endpoints</h2>
      <Status>{status}</Status>
      <ErrorAlert message={error ?? endpoints.error} />
      {endpoints.loading ? (
        <p class="muted">Loading the endpoints…</p>
      ) : endpoints.items.length === 0 ? (
        <p class="muted">No endpoints yet.</p>
      ) : (
        <ul class="card-list">
          {endpoints.items.map((endpoint) => (
            <EndpointItem
              key={endpoint.id}
              endpoint={endpoint}
              busy={busy}
              onToggle={() =>
                act(async () => {
                  const changed = await updateWebhook(endpoint.id, { active: !endpoint.active });
                  return changed.active ? `Turned on ${changed.url}.` : `Turned off ${changed.url}: it gets no events until turned on.`;
                })
              }
              onRotate={() => setPending({ kind: 'rotate', endpoint })}
              onDelete={() => setPending({ kind: 'delete', endpoint })}
            />
          ))}
        </ul>
      )}
      <OlderButton next={endpoints.next} busy={endpoints.loadingOlder} onClick={endpoints.loadOlder} />
      <ConfirmDialog
        open={pending !== null}
        title={pending?.kind === 'delete' ? 'Delete this endpoint?' : 'Make a new secret?'}
        confirmLabel={pending?.kind === 'delete' ? 'Delete' : 'Make a new secret'}
        cancelLabel="Keep it"
        onConfirm={() => pending && void confirm(pending)}
        onClose={() => setPending(null)}
      >
        <p class="break">
          {pending?.kind === 'delete'
            ? `${pending.endpoint.url} gets no more events, and its delivery log is deleted too.`
            : `From now on deliveries to ${pending?.endpoint.url ?? 'this endpoint'} are signed with the new secret only: the receiver must switch to it.`}
        </p>
      </ConfirmDialog>
    </>
  );
}

function AddEndpoint({ eventTypes, loadError, onCreated }: { eventTypes: WebhookEventTypeInfo[]; loadError: string | null; onCreated: (created: WebhookEndpointWithSecret) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const chosen = form.getAll('event_types').map(String);
    setError(null);
    if (chosen.length === 0) {
      setError('Choose at least one event.');
      return;
    }
    setBusy(true);
    try {
      const description = String(form.get('description') ?? '').trim();
      onCreated(await createWebhook({ url: String(form.get('url') ?? '').trim(), event_types: chosen, ...(description ? { description } : {}) }));
      formElement.reset();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="add-webhook-heading">
      <h2 id="add-webhook-heading">Add an endpoint</h2>
      <form onSubmit={submit} class="stack">
        <div class="field">
          <label for="webhook-url">URL</label>
          <input id="webhook-url" name="url" type="url" required maxLength={2000} placeholder="https://hooks.example.com/bookit" autocomplete="off" aria-describedby="webhook-url-hint" />
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
        <ErrorAlert message={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Add endpoint
          </button>
        </div>
      </form>
    </section>
  );
}

function SecretOnce({ shown, onDone }: { shown: ShownSecret; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  // Focus goes to the secret, so it is the next thing read and the copy button is one Tab away.
  useEffect(() => {
    field.current?.focus();
    setCopied(null);
  }, [shown.secret]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(shown.secret);
      setCopied('Copied the secret.');
    } catch {
      // No clipboard (plain HTTP on another host, or refused): the secret is selected to copy by hand.
      field.current?.focus();
      field.current?.select();
      setCopied('Could not copy: the secret is selected, copy it with Ctrl+C or ⌘C.');
    }
  };

  return (
    <section class="card" aria-labelledby="webhook-secret-heading">
      <h2 id="webhook-secret-heading">{shown.rotated ? 'New signing secret' : 'Signing secret'}</h2>
      <div class="field">
        <label for="webhook-secret">
          Secret for <span class="break">{shown.endpointUrl}</span>
        </label>
        <div class="copy-row">
          <input ref={field} id="webhook-secret" type="text" readOnly value={shown.secret} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} aria-describedby="webhook-secret-note" />
          <button type="button" onClick={copy}>
            Copy
          </button>
        </div>
      </div>
      <p id="webhook-secret-note" class="hint">
        Shown only now: BookIT will not show it again. Give it to the receiver, which verifies each delivery with it.
      </p>
      <Status>{copied}</Status>
      <div class="actions">
        <button type="button" onClick={onDone}>
          I have saved it
        </button>
      </div>
    </section>
  );
}

function describeTest(result: WebhookTestResult): string {
  if (result.delivered) return `Test event delivered: the receiver answered ${result.status_code}.`;
  return `Test event not delivered: ${result.error ?? (result.status_code === null ? 'the receiver could not be reached' : `the receiver answered ${result.status_code}`)}.`;
}

interface EndpointItemProps {
  endpoint: WebhookEndpoint;
  busy: boolean;
  onToggle: () => void;
  onRotate: () => void;
  onDelete: () => void;
}

function EndpointItem({ endpoint, busy, onToggle, onRotate, onDelete }: EndpointItemProps) {
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<{ text: string; ok: boolean } | null>(null);
  const [showLog, setShowLog] = useState(false);
  const [logVersion, setLogVersion] = useState(0);
  const logId = `webhook-log-${endpoint.id}`;
  const name = endpoint.description || endpoint.url;

  const test = async () => {
    setTesting(true);
    setTested(null);
    try {
      const result = await sendWebhookTest(endpoint.id);
      setTested({ text: describeTest(result), ok: result.delivered });
    } catch (failure) {
      setTested({ text: errorMessage(failure), ok: false });
    } finally {
      setTesting(false);
      setLogVersion((v) => v + 1);
    }
  };

  return (
    <li class="card">
      <h3 class="card-title break">{endpoint.url}</h3>
      {endpoint.description && <p>{endpoint.description}</p>}
      <p>
        <span class={`pill ${endpoint.active ? 'pill-sent' : 'pill-failed'}`}>{endpoint.active ? 'On' : 'Off'}</span>{' '}
        <span class="small muted">
          secret made <TimeAgo iso={endpoint.secret_rotated_at} />
        </span>
      </p>
      {endpoint.disabled_reason && <p class="small error-text">{endpoint.disabled_reason}</p>}
      <p class="small">Events: {endpoint.event_types.join(', ')}</p>
      <div class="actions">
        <button type="button" class="primary" disabled={testing} onClick={test} aria-label={`Send test event: ${name}`}>
          {testing ? 'Sending…' : 'Send test event'}
        </button>
        <button type="button" disabled={busy} onClick={onToggle} aria-label={`${endpoint.active ? 'Turn off' : 'Turn on'}: ${name}`}>
          {endpoint.active ? 'Turn off' : 'Turn on'}
        </button>
        <button type="button" disabled={busy} onClick={onRotate} aria-label={`Rotate secret: ${name}`}>
          Rotate secret
        </button>
        <button type="button" class="danger" disabled={busy} onClick={onDelete} aria-label={`Delete: ${name}`}>
          Delete
        </button>
        <button
          type="button"
          class="link-button"
          aria-expanded={showLog}
          aria-controls={logId}
          aria-label={`${showLog ? 'Hide recent deliveries' : 'Recent deliveries'}: ${name}`}
          onClick={() => setShowLog((open) => !open)}
        >
          {showLog ? 'Hide recent deliveries' : 'Recent deliveries'}
        </button>
      </div>
      <Status class={tested && !tested.ok ? 'notice' : undefined}>{tested?.text}</Status>
      <div id={logId}>{showLog && <DeliveryLog endpointId={endpoint.id} name={name} version={logVersion} />}</div>
    </li>
  );
}

function DeliveryLog({ endpointId, name, version }: { endpointId: number; name: string; version: number }) {
  const log = usePagedList((limit) => webhookDeliveriesUrl(endpointId, limit), listWebhookDeliveries, [endpointId, version], 10);
  if (log.loading) return <p class="muted">Loading the deliveries…</p>;
  return (
    <>
      <ErrorAlert message={log.error} />
      {log.items.length === 0 ? (
        <p class="muted">Nothing sent yet.</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={`Recent deliveries to ${name}`}>
          <table class="data-table compact-table">
            <caption class="visually-hidden">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Receiver said</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {log.items.map((delivery) => (
                <tr key={delivery.id}>
                  <td>
                    {delivery.event_type}
                    <br />
                    <span class="muted small break">{delivery.event_id}</span>
                  </td>
                  <td>
                    <span class={`pill pill-${delivery.status === 'delivered' ? 'sent' : delivery.status}`}>{delivery.status}</span>
                    <div class="small">
                      {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
                    </div>
                  </td>
                  <td class="small break">
                    {delivery.last_status_code ?? '—'}
                    {delivery.last_error && <div class="error-text">{delivery.last_error}</div>}
                  </td>
                  <td class="small">{exactTime(delivery.delivered_at ?? delivery.updated_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <OlderButton next={log.next} busy={log.loadingOlder} onClick={log.loadOlder} />
    </>
  );
}
