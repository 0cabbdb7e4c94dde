-- Signed webhooks (Standard Webhooks): endpoints the super admin registers, and one delivery row
-- per (endpoint, event). src/webhooks/ owns every statement on these tables.
CREATE TABLE webhook_endpoints (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url               text NOT NULL,
  description       text NOT NULL DEFAULT '',
  -- The event types it hears (src/webhooks/event-types.ts); webhook.test is sent on request only.
  event_types       text[] NOT NULL CHECK (cardinality(event_types) > 0),
  active            boolean NOT NULL DEFAULT true,
  -- Why it stopped on its own (the receiver answered 410 Gone); cleared when turned on again.
  disabled_reason   text,
  -- The signing secret (whsec_…), AES-256-GCM under a key derived from JWT_SECRET, bound to the
  -- row's id: the server must sign with it, so it is kept, but never in the clear.
  secret_sealed     bytea NOT NULL,
  created_by        bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  secret_rotated_at timestamptz NOT NULL DEFAULT now()
);
-- Every notice asks "who hears this type?": one index probe, which finds nothing when no endpoint exists.
CREATE INDEX webhook_endpoints_active_types ON webhook_endpoints USING gin (event_types) WHERE active;

CREATE TABLE webhook_deliveries (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  endpoint_id      bigint NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  -- The notice's idempotency key: the `webhook-id` header, so receivers can drop repeats too.
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  -- An attempt in flight holds the row until then, so two attempts at once never both POST.
  leased_until     timestamptz,
  last_status_code integer,
  last_error       text,
  -- The first bytes of the receiver's last answer, for the log; never more.
  response_excerpt text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  -- Each event reaches each endpoint at most once as delivered.
  UNIQUE (endpoint_id, event_id)
);
-- The delivery log of one endpoint, newest first, in keyset pages.
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id DESC);
-- markWebhookEventFailed: the still-pending deliveries of one event.
CREATE INDEX webhook_deliveries_pending_by_event ON webhook_deliveries (event_id) WHERE status = 'pending';
