import { useState } from 'preact/hooks';
import { errorMessage } from '../../../api/api-error';
import { sendWebhookTest, type WebhookEndpoint, type WebhookTestResult } from '../../../api/webhooks';
import { Status } from '../../../components/Feedback';
import { TimeAgo } from '../../../components/TimeAgo';
import { DeliveryLog } from './DeliveryLog';

function describeTest(result: WebhookTestResult): string {
  if (result.delivered) return `Test event delivered: the receiver answered ${result.status_code}.`;
  return `Test event not delivered: ${result.error ?? (result.status_code === null ? 'the receiver could not be reached' : `the receiver answered ${result.status_code}`)}.`;
}

export interface EndpointItemProps {
  endpoint: WebhookEndpoint;
  busy: boolean;
  onToggle: () => void;
  onRotate: () => void;
  onDelete: () => void;
}

/** One endpoint: what it gets, its buttons, a test event's outcome and, opened, its delivery log. */
export function EndpointItem({ endpoint, busy, onToggle, onRotate, onDelete }: EndpointItemProps) {
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
        <button
          type="button"
          disabled={busy}
          onClick={onToggle}
          aria-label={`${endpoint.active ? 'Turn off' : 'Turn on'}: ${name}`}
        >
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
