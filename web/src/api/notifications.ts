import { api, urlFor } from './contract';
import type { BodyOf } from './operations';
import { fetchPage, type Page } from './page';
import type { AppNotification } from './types';

export type ReadFilter = 'all' | 'unread' | 'read';

export const notificationsUrl = (filter: ReadFilter, limit: number) =>
  urlFor('/api/notifications', {
    query: { limit, is_read: filter === 'all' ? undefined : filter === 'read' ? 'true' : 'false' },
  });

export const listNotifications = (url: string): Promise<Page<AppNotification>> => fetchPage<AppNotification>(url);

export const markNotificationRead = (id: number) => api.post('/api/notifications/{id}/mark_read', { path: { id } });

export const markAllNotificationsRead = () => api.post('/api/notifications/mark_all_read');

export const deleteNotification = (id: number) => api.delete('/api/notifications/{id}', { path: { id } });

export const clearAllNotifications = () => api.delete('/api/notifications/clear_all');

export const requestStreamTicket = () => api.post('/api/notifications/stream_ticket');

export type Announcement = BodyOf<'/api/notifications/broadcast', 'post'>;

export const sendAnnouncement = (announcement: Announcement) =>
  api.post('/api/notifications/broadcast', { body: announcement });
