/**
 * Version 4: multi-instance operation. The webhook inbox (deliveries for a
 * provider record no customer has yet, kept until it is committed: the parsed,
 * provider-neutral report only, never the raw body) and, per customer, when
 * reconcile next polls it and which instance holds it until when (row leases).
 * Indexes: a record's parked deliveries in provider-time order, the inbox by
 * age (stale reporting), and customers by status and due time (the claim).
 */
export const MIGRATION_0004_INBOX_AND_RECONCILE_LEASES = `
CREATE TABLE {schema}.webhook_inbox (
  provider             text NOT NULL,
  dedupe_key           text NOT NULL,
  provider_customer_id text NOT NULL,
  occurred_at          timestamptz NOT NULL,
  received_at          timestamptz NOT NULL,
  -- the provider-neutral report (core drops the provider's free text before parking)
  report               jsonb NOT NULL,
  PRIMARY KEY (provider, dedupe_key)
);
CREATE INDEX webhook_inbox_record_idx ON {schema}.webhook_inbox (provider, provider_customer_id, occurred_at, received_at, dedupe_key);
CREATE INDEX webhook_inbox_received_idx ON {schema}.webhook_inbox (received_at);

ALTER TABLE {schema}.customers ADD COLUMN reconcile_due_at timestamptz;
ALTER TABLE {schema}.customers ADD COLUMN reconcile_lease_until timestamptz;
CREATE INDEX customers_status_due_idx ON {schema}.customers (status, reconcile_due_at);
`;
