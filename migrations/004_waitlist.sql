-- Which offer workflow made an entry's offer: a claim or a leave signals that workflow, whose id
-- comes from the freed interval (which may be longer than the entry's own).
ALTER TABLE waitlist_entries ADD COLUMN offer_workflow_id text;

-- The offer workflow's lookup: waiting entries of a venue in queue order, by their interval.
CREATE INDEX waitlist_waiting_by_during ON waitlist_entries USING gist (venue_id, during) WHERE status = 'waiting';
