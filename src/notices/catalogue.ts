import type { NoticeKind } from './kind';
import type { Notice, NoticeKindName, NoticeOf } from '../contracts/notice';
import { announcement } from './kinds/announcement';
import { approvalChased, approvalDecided, approvalRequested } from './kinds/approvals';
import { bookingAutoCancelled } from './kinds/booking-auto-cancelled';
import { bookingCancelled } from './kinds/booking-cancelled';
import { bookingMade } from './kinds/booking-made';
import { bookingMoved } from './kinds/booking-moved';
import { bookingNoShow } from './kinds/booking-no-show';
import { bookingReminder } from './kinds/booking-reminder';
import { dailyDigest } from './kinds/daily-digest';
import { seriesBooked, seriesCancelled, seriesChanged } from './kinds/series';
import { venueAssigned } from './kinds/venue-assigned';
import { waitlistClosed, waitlistOffer, waitlistOfferExpired } from './kinds/waitlist-offer';
import { welcome } from './kinds/welcome';

/** Every notice kind, declared in its own file; the one place a kind is looked up. */
export const NOTICE_KINDS: { [K in NoticeKindName]: NoticeKind<NoticeOf<K>> } = {
  created: bookingMade,
  reminder: bookingReminder,
  cancelled: bookingCancelled,
  auto_cancelled: bookingAutoCancelled,
  rescheduled: bookingMoved,
  no_show: bookingNoShow,
  approval_requested: approvalRequested,
  approval_chased: approvalChased,
  approval_decided: approvalDecided,
  welcome,
  venue_assigned: venueAssigned,
  waitlist_offer: waitlistOffer,
  waitlist_offer_expired: waitlistOfferExpired,
  announcement,
  series_booked: seriesBooked,
  series_cancelled: seriesCancelled,
  series_changed: seriesChanged,
  waitlist_closed: waitlistClosed,
  daily_digest: dailyDigest,
};

export function kindOf<N extends Notice>(notice: N): NoticeKind<N> {
  return NOTICE_KINDS[notice.kind] as unknown as NoticeKind<N>;
}
