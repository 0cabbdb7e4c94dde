import { useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/api-error';
import {
  clearAllNotifications,
  deleteNotification,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  notificationsUrl,
  type ReadFilter,
} from '../api/notifications';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorAlert, Status } from '../components/Feedback';
import { NotificationItem } from '../components/NotificationItem';
import { OlderButton } from '../components/OlderButton';
import { PageHeading } from '../components/PageHeading';
import { useLiveRefetch } from '../hooks/use-live-refetch';
import { usePagedList } from '../hooks/use-paged-list';

const FILTERS: Array<[ReadFilter, string]> = [
  ['all', 'All'],
  ['unread', 'Unread'],
  ['read', 'Read'],
];

export function NotificationsPage() {
  const [filter, setFilter] = useState<ReadFilter>('all');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmClear, setConfirmClear] = useState(false);
  const list = useRef<HTMLUListElement>(null);
  const notifications = usePagedList((limit) => notificationsUrl(filter, limit), listNotifications, [filter]);
  useLiveRefetch(() => true, notifications.reload);

  const act = async (action: () => Promise<{ message: string }>, focusList = false) => {
    setBusy(true);
    setError(null);
    try {
      setStatus((await action()).message);
      notifications.reload();
      // The pressed button is gone with its item: keep focus near where it was.
      if (focusList) list.current?.focus();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title="Notifications" />
      <div class="toolbar">
        <fieldset class="segmented">
          <legend>Show</legend>
          {FILTERS.map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name="notification-filter"
                value={value}
                checked={filter === value}
                onChange={() => setFilter(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => act(markAllNotificationsRead)}>
            Mark all read
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirmClear(true)}>
            Clear all
          </button>
        </div>
      </div>
      <Status>{status}</Status>
      <ErrorAlert message={error ?? notifications.error} />
      {notifications.loading ? (
        <p class="muted">Loading notifications…</p>
      ) : notifications.items.length === 0 ? (
        <p class="muted">{filter === 'all' ? 'You have no notifications.' : `No ${filter} notifications.`}</p>
      ) : (
        <ul class="card-list" ref={list} tabIndex={-1} aria-label="Notifications">
          {notifications.items.map((n) => (
            <NotificationItem
              key={n.id}
              notification={n}
              busy={busy}
              onMarkRead={() => act(() => markNotificationRead(n.id))}
              onDelete={() => act(() => deleteNotification(n.id), true)}
            />
          ))}
        </ul>
      )}
      <OlderButton next={notifications.next} busy={notifications.loadingOlder} onClick={notifications.loadOlder} />
      <ConfirmDialog
        open={confirmClear}
        title="Delete all notifications?"
        confirmLabel="Delete all notifications"
        cancelLabel="Keep them"
        onConfirm={() => act(clearAllNotifications)}
        onClose={() => setConfirmClear(false)}
      >
        <p>Every notification, read or not, is deleted. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
