import { apiCall } from './authorized-fetch';
import { fetchPage, withQuery, type Page } from './page';
import type { AppNotification, BroadcastAccepted, CountedMessage, Message } from './types';

export type ReadFilter = 'all' | 'unread' | 'read';

export const notificationsUrl = (filter: ReadFilter, limit: number) =>
  withQuery('/api/notifications', { limit, is_read: filter === 'all' ? undefined : String(filter === 'read') });

export const listNotifications = (url: string): Promise<Page<AppNotification>> => fetchPage<AppNotification>(url);

export const markNotificationRead = (id: number) =>
  apiCall<Message>(`/api/notifications/${id}/mark_read`, { method: 'POST' });

export const markAllNotificationsRead = () =>
  apiCall<CountedMessage>('/api/notifications/mark_all_read', { method: 'POST' });

export const deleteNotification = (id: number) => apiCall<Message>(`/api/notifications/${id}`, { method: 'DELETE' });

export const clearAllNotifications = () =>
  apiCall<CountedMessage>('/api/notifications/clear_all', { method: 'DELETE' });

export const requestStreamTicket = () =>
  apiCall<{ ticket: string; expires_in: number }>('/api/notifications/stream_ticket', { method: 'POST' });

export interface Announcement {
  title: string;
  message: string;
  link?: string;
}

export const sendAnnouncement = (announcement: Announcement) =>
  apiCall<BroadcastAccepted>('/api/notifications/broadcast', { method: 'POST', body: announcement });
