import type { AppNotification } from '../api/types';
import { TimeAgo } from './TimeAgo';

export interface NotificationItemProps {
  notification: AppNotification;
  busy: boolean;
  onMarkRead: () => void;
  onDelete: () => void;
}

export function NotificationItem({ notification: n, busy, onMarkRead, onDelete }: NotificationItemProps) {
  const external = !n.link.startsWith('/');
  return (
    <li class={n.is_read ? 'card notification' : 'card notification unread'}>
      <h2 class="card-title">
        {n.title}
        {!n.is_read && <span class="visually-hidden"> (unread)</span>}
      </h2>
      <p class="pre-line">{n.message}</p>
      <p class="muted small">
        <TimeAgo iso={n.created_at} />
        {!n.is_read && (
          <span class="tag" aria-hidden="true">
            New
          </span>
        )}
      </p>
      <div class="actions">
        {n.link && (
          <a
            href={n.link}
            class="button-link"
            aria-label={`Open: ${n.title}`}
            {...(external ? { rel: 'noopener noreferrer' } : {})}
          >
            Open
          </a>
        )}
        {!n.is_read && (
          <button type="button" disabled={busy} onClick={onMarkRead} aria-label={`Mark read: ${n.title}`}>
            Mark read
          </button>
        )}
        <button type="button" disabled={busy} onClick={onDelete} aria-label={`Delete: ${n.title}`}>
          Delete
        </button>
      </div>
    </li>
  );
}
