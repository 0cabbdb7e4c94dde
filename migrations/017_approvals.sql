-- Venues whose hall admins approve each booking. A booking there starts pending: it holds its slot
-- (others see it as pending), its venue's admins are asked, nudged after BOOKIT_APPROVAL_NUDGE, the
-- super admins told after a second such period, and at approval_deadline the venue's choice
-- applies (approval_on_timeout). Null approval_status: the venue asked for no approval.
ALTER TABLE venues
  ADD COLUMN approval_required boolean NOT NULL DEFAULT false,
  ADD COLUMN approval_on_timeout text NOT NULL DEFAULT 'deny' CHECK (approval_on_timeout IN ('deny', 'approve'));

ALTER TABLE bookings
  ADD COLUMN approval_status text CHECK (approval_status IN ('pending', 'approved', 'denied')),
  ADD COLUMN approval_requested_at timestamptz,
  ADD COLUMN approval_deadline timestamptz,
  ADD COLUMN approval_nudged_at timestamptz,
  ADD COLUMN approval_escalated_at timestamptz,
  ADD COLUMN approval_decided_at timestamptz,
  ADD COLUMN approval_decided_by bigint REFERENCES users (id),
  ADD COLUMN approval_reason text,
  ADD CONSTRAINT approval_pending_has_deadline CHECK (approval_status IS DISTINCT FROM 'pending' OR approval_deadline IS NOT NULL);

CREATE INDEX bookings_pending_approval ON bookings (venue_id, approval_deadline) WHERE approval_status = 'pending';
