-- An offer workflow finds the offer it made but never heard back about (lost with a killed worker).
CREATE INDEX waitlist_entries_open_offer_by_workflow ON waitlist_entries (offer_workflow_id) WHERE status = 'offered';
