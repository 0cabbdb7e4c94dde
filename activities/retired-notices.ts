import { Context } from '@temporalio/activity';
import { noticesPipeline } from '../src/notices';
import type { BookingNotice } from '../src/contracts/notice';
import type { ActivityDeps } from './deps';

// The activities bookings started before the notices pipeline call (workflows/retired/booking-notices.ts),
// kept registered while such a booking can still be open (workflows/patch-ledger.ts,
// `one-notices-pipeline`). Each serves its old request through the notices room, so sending still
// happens in one place.

export function retiredNoticeActivities(deps: ActivityDeps) {
  const pipeline = noticesPipeline(deps);
  return {
    recordBookingNotice: (notice: BookingNotice) => pipeline.record(notice),
    deliverBookingNotice: (notice: BookingNotice) =>
      pipeline.deliver(notice, Context.current().info.attempt, () => Context.current().heartbeat()),
    recordBookingNoticeFailure: (notice: BookingNotice, reason: string) => pipeline.recordFailure(notice, reason),
  };
}
