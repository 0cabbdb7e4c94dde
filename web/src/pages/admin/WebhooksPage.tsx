import { useState } from 'preact/hooks';
import { errorMessage } from '../../api/api-error';
import {
  deleteWebhook,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
  webhookEventTypes,
  webhooksUrl,
  type WebhookEndpoint,
} from '../../api/webhooks';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert, Status } from '../../components/Feedback';
import { OlderButton } from '../../components/OlderButton';
import { PageHeading } from '../../components/PageHeading';
import { useAction } from '../../hooks/use-action';
import { useLoad } from '../../hooks/use-load';
import { usePagedList } from '../../hooks/use-paged-list';
import { AddEndpointForm } from './webhooks/AddEndpointForm';
import { EndpointItem } from './webhooks/EndpointItem';
import { SigningSecret, type ShownSecret } from './webhooks/SigningSecret';

type Pending = { kind: 'delete' | 'rotate'; endpoint: WebhookEndpoint };

export function WebhooksPage() {
  const eventTypes = useLoad(webhookEventTypes, []);
  const endpoints = usePagedList(webhooksUrl, listWebhooks, [], 20);
  const action = useAction(endpoints.reload);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);

  const confirm = ({ kind, endpoint }: Pending) =>
    action.run(async () => {
      if (kind === 'delete') {
        await deleteWebhook(endpoint.id);
        setShown((old) => (old?.endpointId === endpoint.id ? null : old));
        return `Deleted the endpoint ${endpoint.url} and its delivery log.`;
      }
      const rotated = await rotateWebhookSecret(endpoint.id);
      setShown({ endpointId: rotated.id, endpointUrl: rotated.url, secret: rotated.secret, rotated: true });
      return `Made a new secret for ${rotated.url}; the old one no longer signs.`;
    });

  const toggle = (endpoint: WebhookEndpoint) =>
    action.run(async () => {
      const changed = await updateWebhook(endpoint.id, { active: !endpoint.active });
      return changed.active
        ? `Turned on ${changed.url}.`
        : `Turned off ${changed.url}: it gets no events until turned on.`;
    });

  return (
    <>
      <PageHeading title="Webhooks" />
      <p class="hint intro">
        BookIT POSTs each notice event as JSON to the endpoints below, signed per Standard Webhooks (headers webhook-id,
        webhook-timestamp, webhook-signature): verify it with the endpoint's secret in any Standard Webhooks library. A
        failed delivery is retried for 24 hours.
      </p>
      <AddEndpointForm
        eventTypes={eventTypes.data ?? []}
        loadError={eventTypes.error ? errorMessage(eventTypes.error) : null}
        onCreated={(created) => {
          setShown({ endpointId: created.id, endpointUrl: created.url, secret: created.secret, rotated: false });
          endpoints.reload();
        }}
      />
      {shown && <SigningSecret shown={shown} onDone={() => setShown(null)} />}
      <h2 class="section-heading">Endpoints</h2>
      <Status>{action.status}</Status>
      <ErrorAlert message={action.error ?? endpoints.error} />
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
              busy={action.busy}
              onToggle={() => toggle(endpoint)}
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
