import { api, urlFor } from './contract';
import type { BodyOf } from './operations';
import { fetchAll } from './page';
import type { WaitlistEntry } from './types';

/** The slot to wait for, and what the waiter means to book (a claimed offer's booking is called event_name). */
export type SlotRequest = BodyOf<'/api/waitlist/check_and_join', 'post'>;

export const checkAndJoinWaitlist = (slot: SlotRequest) => api.post('/api/waitlist/check_and_join', { body: slot });

/** Open entries with how many wait ahead and any open offer's end, soonest slot first. */
export const listMyWaitingEntries = () => api.get('/api/waitlist/my_waitlist');

/** Every entry of mine, newest first, closed ones too (claimed, expired, left…), with booking_id. */
export const listMyEntries = () => fetchAll<WaitlistEntry>(urlFor('/api/waitlist', { query: { limit: 100 } }), 300);

export const claimOffer = (id: number) => api.post('/api/waitlist/{id}/claim', { path: { id } });

export const leaveWaitlist = (id: number) => api.delete('/api/waitlist/{id}/leave', { path: { id } });
