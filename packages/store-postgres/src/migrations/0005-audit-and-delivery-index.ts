/**
 * Version 5: operations. `audit_entries` is the audit trail of operator actions (who, what, which customer
 * or target, outcome and error code, when; ids and codes only, never personal data), read newest first,
 * overall or per customer. The index on `processed_deliveries (customer_id, processed_at)` serves a
 * customer's webhook deliveries in the console's timeline; it skips the rows of deliveries no customer
 * took (partial), so those commits write no more than before.
 */
export const MIGRATION_0005_AUDIT_AND_DELIVERY_INDEX = `
CREATE TABLE {schema}.audit_entries (
  position             bigserial PRIMARY KEY,
  at                   timestamptz NOT NULL,
  actor                text,
  action               text NOT NULL,
  customer_id          text,
  target               text,
  outcome              text NOT NULL,
  error_code           text,
  detail               text
);
CREATE INDEX audit_entries_at_idx ON {schema}.audit_entries (at DESC, position DESC);
CREATE INDEX audit_entries_customer_idx ON {schema}.audit_entries (customer_id, at DESC, position DESC) WHERE customer_id IS NOT NULL;

CREATE INDEX processed_deliveries_customer_idx ON {schema}.processed_deliveries (customer_id, processed_at) WHERE customer_id IS NOT NULL;
`;
