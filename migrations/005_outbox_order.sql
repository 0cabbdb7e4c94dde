-- The relay keeps each workflow's messages in order; this finds a workflow's earlier pending ones.
CREATE INDEX outbox_pending_by_workflow ON outbox (workflow_id, id) WHERE delivered_at IS NULL;
