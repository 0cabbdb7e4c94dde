import { apiCall } from './authorized-fetch';
import { fetchAll } from './page';
import type { CheckAndJoinAnswer, Claimed, Message, WaitingEntry, WaitlistEntry } from './types';

export interface SlotRequest {
  venue: number;
  date: string;
  start_time: string;
  end_time: string;
  /** What the waiter means to book: a claimed offer's booking is called this. */
  event_name?: string;
  event_details?: string;
}

export const checkAndJoinWaitlist = (slot: SlotRequest) =>
  apiCall<CheckAndJoinAnswer>('/api/waitlist/check_and_join', { method: 'POST', body: slot });

/** Open entries with how many wait ahead and any open offer's end, soonest slot first. */
export const listMyWaitingEntries = () => apiCall<WaitingEntry[]>('/api/waitlist/my_waitlist');

/** Every entry of mine, newest first, closed ones too (claimed, expired, left…), with booking_id. */
export const listMyEntries = () => fetchAll<WaitlistEntry>('/api/waitlist?limit=100', 300);

export const claimOffer = (id: number) => apiCall<Claimed>(`/api/waitlist/${id}/claim`, { method: 'POST' });

export const leaveWaitlist = (id: number) => apiCall<Message>(`/api/waitlist/${id}/leave`, { method: 'DELETE' });
