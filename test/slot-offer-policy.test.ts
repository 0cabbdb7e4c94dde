import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addFreedInterval,
  offerExpiresAt,
  offerTimeRemainingMs,
  type FreedInterval,
} from '../src/contracts/slot-offer-policy';
import { formatTimeRemaining } from '../src/waitlist/queries';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ten = Date.UTC(2030, 5, 15, 10, 0, 0);
const at = (hours: number) => ten + (hours - 10) * HOUR;
const interval = (from: number, to: number): FreedInterval => ({ startsAt: at(from), endsAt: at(to) });

describe('slot offer policy: how long an offer lasts', () => {
  it('a slot hours away: the offer lasts the whole 15-minute window', () => {
    assert.equal(offerExpiresAt(ten - 3 * HOUR, 15 * MINUTE, ten), ten - 3 * HOUR + 15 * MINUTE);
  });

  it('a slot 5 minutes away: the offer ends when the slot starts', () => {
    assert.equal(offerExpiresAt(ten - 5 * MINUTE, 15 * MINUTE, ten), ten);
  });

  it('a slot exactly one window away: both limits agree', () => {
    assert.equal(offerExpiresAt(ten - 15 * MINUTE, 15 * MINUTE, ten), ten);
  });

  it('follows another configured window', () => {
    assert.equal(offerExpiresAt(ten - HOUR, 30_000, ten), ten - HOUR + 30_000);
  });

  it('never outlasts the slot start nor the window, whatever the inputs', () => {
    for (let ahead = MINUTE; ahead <= 2 * HOUR; ahead += 7 * MINUTE) {
      const offeredAt = ten - ahead;
      const expires = offerExpiresAt(offeredAt, 15 * MINUTE, ten);
      assert.ok(expires <= ten && expires <= offeredAt + 15 * MINUTE && expires > offeredAt);
    }
  });

  it('time remaining counts down to zero and never below', () => {
    assert.equal(offerTimeRemainingMs(ten, ten - 90_000), 90_000);
    assert.equal(offerTimeRemainingMs(ten, ten), 0);
    assert.equal(offerTimeRemainingMs(ten, ten + 1), 0);
    assert.equal(formatTimeRemaining(14 * MINUTE + 32_000), '00:14:32');
    assert.equal(formatTimeRemaining(2 * HOUR + 500), '02:00:01', 'a started second counts as left');
  });
});

describe('slot offer policy: freed intervals', () => {
  it('a first free is offered as it is', () => {
    assert.deepEqual(addFreedInterval([], interval(10, 12)), [interval(10, 12)]);
  });

  it('a second free of the same interval changes nothing', () => {
    assert.deepEqual(addFreedInterval([interval(10, 12)], interval(10, 12)), [interval(10, 12)]);
  });

  it('touching frees merge, so a 10:00–12:00 waiter fits once 10–11 and 11–12 are both free', () => {
    assert.deepEqual(addFreedInterval([interval(11, 12)], interval(10, 11)), [interval(10, 12)]);
  });

  it('overlapping frees merge; separate ones stay apart, sorted', () => {
    assert.deepEqual(addFreedInterval([interval(10, 12)], interval(11, 13)), [interval(10, 13)]);
    assert.deepEqual(addFreedInterval([interval(14, 15)], interval(10, 11)), [interval(10, 11), interval(14, 15)]);
    assert.deepEqual(addFreedInterval([interval(10, 11), interval(14, 15)], interval(11, 14)), [interval(10, 15)]);
  });

  it('an empty or inverted interval adds nothing, and the input is left as it was', () => {
    const freed = [interval(10, 12)];
    assert.deepEqual(addFreedInterval(freed, interval(13, 13)), [interval(10, 12)]);
    assert.deepEqual(addFreedInterval(freed, interval(14, 13)), [interval(10, 12)]);
    addFreedInterval(freed, interval(11, 15));
    assert.deepEqual(freed, [interval(10, 12)]);
  });
});
