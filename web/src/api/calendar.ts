import { apiCall } from './authorized-fetch';
import type { CalendarFeed, Message, NewCalendarFeed } from './types';

/** Live feeds, newest first; never their URLs. */
export const listCalendarFeeds = () => apiCall<CalendarFeed[]>('/api/calendar/feeds');

/** Makes (or replaces) the user's own feed, or with a venue id that venue's (its hall admins); the answer carries the URL once. */
export const createCalendarFeed = (venueId?: number) =>
  apiCall<NewCalendarFeed>('/api/calendar/feeds', {
    method: 'POST',
    body: venueId === undefined ? {} : { venue_id: venueId },
  });

export const revokeCalendarFeed = (id: number) => apiCall<Message>(`/api/calendar/feeds/${id}`, { method: 'DELETE' });
