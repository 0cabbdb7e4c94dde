import { api } from './contract';

/** Live feeds, newest first; never their URLs. */
export const listCalendarFeeds = () => api.get('/api/calendar/feeds');

/** Makes (or replaces) the user's own feed, or with a venue id that venue's (its hall admins); the answer carries the URL once. */
export const createCalendarFeed = (venueId?: number) =>
  api.post('/api/calendar/feeds', { body: venueId === undefined ? {} : { venue_id: venueId } });

export const revokeCalendarFeed = (id: number) => api.delete('/api/calendar/feeds/{id}', { path: { id } });
