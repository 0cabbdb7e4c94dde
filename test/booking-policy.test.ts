import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  confirmationDeadline,
  deadlineAfterReminder,
  isShortNotice,
  nextLifecycleStep,
  planLifecycle,
} from '../src/contracts/booking-policy';
import { approvalDeadline, nextApprovalStep } from '../src/contracts/approval-policy';

const HOUR = 3_600_000;
const leads = { reminderLeadMs: 24 * HOUR, confirmDeadlineMs: 2 * HOUR };
const start = Date.UTC(2030, 5, 15, 10, 0, 0);
const bookedAhead = (ms: number) => planLifecycle(start, start - ms, leads);

describe('booking lifecycle policy', () => {
  it('booked 3 days ahead: remind exactly at T−24h, confirm by T−2h', () => {
    assert.deepEqual(bookedAhead(72 * HOUR), {
      kind: 'remind_then_confirm',
      remindAt: start - 24 * HOUR,
      confirmBy: start - 2 * HOUR,
    });
  });

  it('booked exactly 24 h ahead: remind at once (that is T−24h)', () => {
    assert.deepEqual(bookedAhead(24 * HOUR), {
      kind: 'remind_then_confirm',
      remindAt: start - 24 * HOUR,
      confirmBy: start - 2 * HOUR,
    });
  });

  it('booked 5 h ahead: remind at once, confirm by T−2h', () => {
    assert.deepEqual(bookedAhead(5 * HOUR), {
      kind: 'remind_then_confirm',
      remindAt: start - 5 * HOUR,
      confirmBy: start - 2 * HOUR,
    });
  });

  it('booked a millisecond under 24 h ahead: remind at once', () => {
    const plan = bookedAhead(24 * HOUR - 1);
    assert.equal(plan.kind, 'remind_then_confirm');
    assert.equal(plan.kind === 'remind_then_confirm' && plan.remindAt, start - 24 * HOUR + 1);
  });

  it('booked exactly 2 h ahead: still reminded (the deadline is now)', () => {
    assert.deepEqual(bookedAhead(2 * HOUR), {
      kind: 'remind_then_confirm',
      remindAt: start - 2 * HOUR,
      confirmBy: start - 2 * HOUR,
    });
  });

  it('booked 1 h ahead, or a millisecond under 2 h: confirmed on creation, no reminder, no auto-cancel', () => {
    assert.deepEqual(bookedAhead(HOUR), { kind: 'confirmed_on_creation' });
    assert.deepEqual(bookedAhead(2 * HOUR - 1), { kind: 'confirmed_on_creation' });
    assert.equal(isShortNotice(start, start - HOUR, leads), true);
    assert.equal(isShortNotice(start, start - 2 * HOUR, leads), false);
  });

  it('follows other configured leads (compressed durations for drills)', () => {
    const fast = { reminderLeadMs: 60_000, confirmDeadlineMs: 20_000 };
    assert.deepEqual(planLifecycle(start, start - 90_000, fast), {
      kind: 'remind_then_confirm',
      remindAt: start - 60_000,
      confirmBy: start - 20_000,
    });
    assert.deepEqual(planLifecycle(start, start - 30_000, fast), {
      kind: 'remind_then_confirm',
      remindAt: start - 30_000,
      confirmBy: start - 20_000,
    });
    assert.deepEqual(planLifecycle(start, start - 10_000, fast), { kind: 'confirmed_on_creation' });
  });

  it('replanning after a reschedule uses the new start and the moment of the change', () => {
    const moved = start + 48 * HOUR;
    assert.deepEqual(planLifecycle(moved, start - 3 * HOUR, leads), {
      kind: 'remind_then_confirm',
      remindAt: moved - 24 * HOUR,
      confirmBy: moved - 2 * HOUR,
    });
  });

  it('never reminds before the booking was made, whatever the inputs', () => {
    for (let ahead = 0; ahead <= 100 * HOUR; ahead += HOUR / 4) {
      const plan = bookedAhead(ahead);
      if (plan.kind === 'remind_then_confirm') {
        assert.ok(plan.remindAt >= start - ahead);
        assert.ok(plan.remindAt <= plan.confirmBy);
        assert.ok(plan.confirmBy < start);
      } else {
        assert.ok(ahead < 2 * HOUR);
      }
    }
  });
});

describe('next lifecycle step of an active booking', () => {
  const ends = start + 2 * HOUR;
  const booking = (confirmed: boolean, reminderSent: boolean) => ({
    startsAt: start,
    endsAt: ends,
    confirmed,
    reminderSent,
  });
  const at = (ms: number) => start - ms;

  it('unreminded: waits until T−24h, then reminds', () => {
    assert.deepEqual(nextLifecycleStep(booking(false, false), at(72 * HOUR), leads), {
      step: 'wait_for_reminder',
      until: start - 24 * HOUR,
    });
    assert.deepEqual(nextLifecycleStep(booking(false, false), at(24 * HOUR), leads), { step: 'send_reminder' });
    assert.deepEqual(nextLifecycleStep(booking(false, false), at(5 * HOUR), leads), { step: 'send_reminder' });
  });

  it('reminded: awaits confirmation until T−2h, then auto-cancels', () => {
    assert.deepEqual(nextLifecycleStep(booking(false, true), at(20 * HOUR), leads), {
      step: 'await_confirmation',
      until: start - 2 * HOUR,
    });
    assert.deepEqual(nextLifecycleStep(booking(false, true), at(2 * HOUR), leads), { step: 'auto_cancel' });
  });

  it('the earlier rule (bookings from before min-confirm-window): unconfirmed at the deadline is auto-cancelled even if the reminder never went out', () => {
    assert.deepEqual(nextLifecycleStep(booking(false, false), at(HOUR), leads), { step: 'auto_cancel' });
  });

  it('confirmed: no reminder and no auto-cancel; waits for the end, then completes', () => {
    assert.deepEqual(nextLifecycleStep(booking(true, false), at(72 * HOUR), leads), { step: 'await_end', until: ends });
    assert.deepEqual(nextLifecycleStep(booking(true, true), at(HOUR), leads), { step: 'await_end', until: ends });
    assert.deepEqual(nextLifecycleStep(booking(true, false), ends, leads), { step: 'complete' });
  });
});

describe('cancelled for silence only after being asked (min-confirm-window)', () => {
  const ends = start + 2 * HOUR;
  const W = 30 * 60_000;
  const at = (ms: number) => start - ms;
  const unreminded = { startsAt: start, endsAt: ends, confirmed: false, reminderSent: false };
  const remindedAt = (when: number) => ({
    ...unreminded,
    reminderSent: true,
    confirmDeadline: deadlineAfterReminder(start, when, leads.confirmDeadlineMs, W),
  });

  it('not reminded by its deadline (the stack was down): reminded first, never cancelled unasked', () => {
    assert.deepEqual(nextLifecycleStep(unreminded, at(HOUR), leads, true), { step: 'send_reminder' });
  });

  it('a late reminder moves the deadline to reminder + W', () => {
    const reminded = remindedAt(at(HOUR));
    assert.equal(reminded.confirmDeadline, start - HOUR + W);
    assert.deepEqual(nextLifecycleStep(reminded, at(HOUR), leads, true), {
      step: 'await_confirmation',
      until: start - HOUR + W,
    });
    assert.deepEqual(nextLifecycleStep(reminded, start - HOUR + W, leads, true), { step: 'auto_cancel' });
  });

  it('an on-time reminder keeps the deadline at T−2h', () => {
    const reminded = remindedAt(at(24 * HOUR));
    assert.equal(confirmationDeadline(reminded, leads.confirmDeadlineMs), start - 2 * HOUR);
    assert.deepEqual(nextLifecycleStep(reminded, at(20 * HOUR), leads, true), {
      step: 'await_confirmation',
      until: start - 2 * HOUR,
    });
  });

  it('booked just over 2 h ahead: reminded at once, W to answer', () => {
    const reminded = remindedAt(at(2 * HOUR + 5 * 60_000));
    assert.equal(confirmationDeadline(reminded, leads.confirmDeadlineMs), start - 2 * HOUR - 5 * 60_000 + W);
  });

  it('reminded less than W before the start, or never by it: no deadline; kept until its end', () => {
    const late = remindedAt(at(10 * 60_000));
    assert.equal(confirmationDeadline(late, leads.confirmDeadlineMs), null);
    assert.deepEqual(nextLifecycleStep(late, at(5 * 60_000), leads, true), { step: 'await_end', until: ends });
    assert.deepEqual(nextLifecycleStep(unreminded, start + 60_000, leads, true), { step: 'await_end', until: ends });
  });
});

describe('the approval policy', () => {
  const H = 3_600_000;
  const leads = {
    approvalNudgeMs: 24 * H,
    approvalDeadlineMs: 48 * H,
    reminderLeadMs: 24 * H,
    confirmDeadlineMs: 2 * H,
  };

  it("decides by 48 h after the request, never later than the reminder's time, or for a late request its confirmation deadline", () => {
    assert.equal(approvalDeadline(0, 10 * 24 * H, leads), 48 * H);
    assert.equal(approvalDeadline(0, 60 * H, leads), 36 * H, 'the reminder at T−24h comes first');
    assert.equal(approvalDeadline(0, 10 * H, leads), 8 * H, 'made inside the reminder lead: by T−2h');
  });

  it('nudges at 24 h, tells the super admins at 36 h (midway to the deadline), and decides at 48 h', () => {
    const pending = { requestedAt: 0, deadline: 48 * H, nudgedAt: null, escalatedAt: null };
    assert.deepEqual(nextApprovalStep(pending, 0, 24 * H), { step: 'await_decision', until: 24 * H, next: 'nudge' });
    assert.deepEqual(nextApprovalStep(pending, 24 * H, 24 * H), { step: 'nudge' });
    const nudged = { ...pending, nudgedAt: 24 * H };
    assert.deepEqual(nextApprovalStep(nudged, 24 * H, 24 * H), {
      step: 'await_decision',
      until: 36 * H,
      next: 'escalate',
    });
    assert.deepEqual(nextApprovalStep({ ...nudged, escalatedAt: 36 * H }, 36 * H, 24 * H), {
      step: 'await_decision',
      until: 48 * H,
      next: 'time_out',
    });
    assert.deepEqual(
      nextApprovalStep(nudged, 48 * H, 24 * H),
      { step: 'time_out' },
      'the deadline wins over a chase not yet made',
    );
  });

  it('with a short nudge, the super admins hear after twice it', () => {
    const pending = { requestedAt: 0, deadline: 48 * H, nudgedAt: 12 * H, escalatedAt: null };
    assert.deepEqual(nextApprovalStep(pending, 12 * H, 12 * H), {
      step: 'await_decision',
      until: 24 * H,
      next: 'escalate',
    });
  });
});
