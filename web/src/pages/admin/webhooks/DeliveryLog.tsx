import { listWebhookDeliveries, webhookDeliveriesUrl, type WebhookDelivery } from '../../../api/webhooks';
import { PagedTable } from '../../../components/PagedTable';
import { exactTime } from '../../../format/relative-time';
import { usePagedList } from '../../../hooks/use-paged-list';

/** An endpoint's recent deliveries; `version` goes up when one was just sent (a test event). */
export function DeliveryLog({ endpointId, name, version }: { endpointId: number; name: string; version: number }) {
  const log = usePagedList(
    (limit) => webhookDeliveriesUrl(endpointId, limit),
    listWebhookDeliveries,
    [endpointId, version],
    10,
  );
  return (
    <PagedTable
      list={log}
      label={`Recent deliveries to ${name}`}
      caption="Deliveries, newest first"
      columns={['Event', 'Status', 'Receiver said', 'When']}
      loadingText="Loading the deliveries…"
      emptyText="Nothing sent yet."
      tableClass="compact-table stacked-on-phone"
      row={(delivery) => <DeliveryRow key={delivery.id} delivery={delivery} />}
    />
  );
}

function DeliveryRow({ delivery }: { delivery: WebhookDelivery }) {
  return (
    <tr>
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
      <td class="small break" data-label="Receiver said">
        {delivery.last_status_code ?? '—'}
        {delivery.last_error && <div class="error-text">{delivery.last_error}</div>}
      </td>
      <td class="small" data-label="When">
        {exactTime(delivery.delivered_at ?? delivery.updated_at)}
      </td>
    </tr>
  );
}
