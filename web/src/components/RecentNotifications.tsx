import { useLocation } from 'preact-iso/router';
import { errorMessage } from '../api/api-error';
import { listNotifications, markNotificationRead, notificationsUrl } from '../api/notifications';
import type { AppNotification } from '../api/types';
import { useLiveRefetch } from '../hooks/use-live-refetch';
import { useLoad } from '../hooks/use-load';
import { TimeAgo } from './TimeAgo';

const RECENT = 10;

/** The bell's panel: the newest notifications; choosing one marks it read and opens its link. */
export function RecentNotifications({ onChosen }: { onChosen: () => void }) {
  const { route } = useLocation();
  const recent = useLoad(() => listNotifications(notificationsUrl('all', RECENT)), []);
  useLiveRefetch(() => true, recent.reload);

  const choose = (notification: AppNotification, event: Event) => {
    if (!notification.is_read) void markNotificationRead(notification.id).catch(() => undefined);
    onChosen();
    // App paths go through the router (a real href stays for middle-click); others leave the app.
    if (notification.link.startsWith('/') && !notification.link.startsWith('//')) {
      event.preventDefault();
      route(notification.link);
    }
  };

  if (recent.loading) return <p class="muted">Loading notifications…</p>;
  if (recent.error && !recent.data) return <p class="error">{errorMessage(recent.error)}</p>;
  const items = recent.data?.items ?? [];
  if (items.length === 0) return <p class="muted">No notifications yet.</p>;
  return (
    <ul class="recent-list">
      {items.map((n) => {
        const body = (
          <>
            <span class="recent-title">
              {n.title}
              {!n.is_read && <span class="visually-hidden"> (unread)</span>}
            </span>
            <span class="recent-message">{n.message}</span>
            <span class="muted small">
              <TimeAgo iso={n.created_at} />
            </span>
          </>
        );
        return (
          <li key={n.id} class={n.is_read ? 'recent-item' : 'recent-item unread'}>
            {n.link ? (
              <a href={n.link} class="recent-choice" onClick={(event) => choose(n, event)}>
                {body}
              </a>
            ) : (
              <button type="button" class="recent-choice" onClick={(event) => choose(n, event)}>
                {body}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
