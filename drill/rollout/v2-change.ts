/** The patch of drill 7's second version, and the memo it leaves on a booking that ended on it. */
export const ROLLOUT_DRILL_CHANGE = 'rollout-drill-v2';
export const ENDED_ON_V2_MEMO = { rolloutDrill: 'ended on version 2' };
