/**
 * Version 2: no JSONB left. Every value the lifecycle keeps gets a typed column or
 * a child table, so constraints, indexes and erasure can see it:
 *
 * - a customer's rejection → `rejection_*` columns (NULL code: none);
 * - a customer's requirements → `customer_requirements` (one row each, in order);
 * - a customer's ignored reports → `ignored_reports` (the last few, in order);
 * - an event's type fields → columns on `events` (verification level, rejection,
 *   escalation), a needs_info event's requirements → `event_requirements`.
 *
 * The index for listing by status and provider becomes (status, provider,
 * position), so the lookup by provider record has one index to take (below).
 *
 * JSONB stays reserved for a provider's raw payload, which the store does not keep
 * today (only the provider's raw status, a text column).
 *
 * `customers.extra` (fields a newer core might add) is dropped, not kept: an opaque
 * bag escapes constraints and, worse, erasure (`forgetCustomer` cannot clear what it
 * cannot name, and personal data could sit there unseen). Core and this package are
 * released together; a new customer or event field arrives with the migration that
 * gives it a column, and a commit carrying a field without one is refused with a
 * clear error instead of being stored blind or dropped. No data is lost here: core
 * so far wrote no field without a column, and the checks below stop the migration
 * (nothing applied) if any row holds something this conversion does not map.
 *
 * Existing rows (a data directory migrated to version 1) are converted in place,
 * inside the migration's transaction. `{schema}` is the quoted schema name.
 */
export const MIGRATION_0002_TYPED_COLUMNS = `
DO $check$
BEGIN
  IF EXISTS (SELECT 1 FROM {schema}.customers WHERE extra IS NOT NULL AND extra <> 'null'::jsonb AND extra <> '{}'::jsonb) THEN
    RAISE EXCEPTION 'openkyc migration 2: customers.extra holds fields this version has no column for; upgrade @openkyc/store-postgres';
  END IF;
  IF EXISTS (
    SELECT 1 FROM {schema}.events e, jsonb_object_keys(e.detail) k
     WHERE k NOT IN ('requirements', 'rejection', 'verificationLevel', 'pendingSince', 'escalateAfterMs', 'level', 'action')
    UNION ALL
    SELECT 1 FROM {schema}.customers c, jsonb_object_keys(c.rejection) k
     WHERE jsonb_typeof(c.rejection) = 'object' AND k NOT IN ('code', 'message', 'providerReason', 'retryable')
    UNION ALL
    SELECT 1 FROM {schema}.events e, jsonb_object_keys(e.detail->'rejection') k
     WHERE jsonb_typeof(e.detail->'rejection') = 'object' AND k NOT IN ('code', 'message', 'providerReason', 'retryable')
    UNION ALL
    SELECT 1 FROM {schema}.customers c, jsonb_array_elements(c.requirements) r, jsonb_object_keys(r) k
     WHERE k NOT IN ('kind', 'name', 'message', 'providerCode')
    UNION ALL
    SELECT 1 FROM {schema}.events e, jsonb_array_elements(e.detail->'requirements') r, jsonb_object_keys(r) k
     WHERE jsonb_typeof(e.detail->'requirements') = 'array' AND k NOT IN ('kind', 'name', 'message', 'providerCode')
    UNION ALL
    SELECT 1 FROM {schema}.customers c, jsonb_array_elements(c.ignored) g, jsonb_object_keys(g) k
     WHERE k NOT IN ('at', 'source', 'status', 'rawStatus', 'occurredAt', 'reason')
  ) THEN
    RAISE EXCEPTION 'openkyc migration 2: a stored customer or event has a field this version has no column for; upgrade @openkyc/store-postgres';
  END IF;
END
$check$;

ALTER TABLE {schema}.customers
  ADD COLUMN rejection_code            text,
  ADD COLUMN rejection_message         text,
  -- the provider's free text: erased by forgetCustomer
  ADD COLUMN rejection_provider_reason text,
  ADD COLUMN rejection_retryable       boolean,
  ADD CONSTRAINT customers_rejection_complete
    CHECK (rejection_code IS NULL OR (rejection_message IS NOT NULL AND rejection_retryable IS NOT NULL));

UPDATE {schema}.customers
   SET rejection_code = rejection->>'code',
       rejection_message = rejection->>'message',
       rejection_provider_reason = rejection->>'providerReason',
       rejection_retryable = (rejection->>'retryable')::boolean
 WHERE jsonb_typeof(rejection) = 'object';

CREATE TABLE {schema}.customer_requirements (
  customer_id          text NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
  -- order in the list, from 1
  number               integer NOT NULL,
  kind                 text NOT NULL,
  name                 text NOT NULL,
  message              text NOT NULL,
  provider_code        text,
  PRIMARY KEY (customer_id, number)
);
INSERT INTO {schema}.customer_requirements (customer_id, number, kind, name, message, provider_code)
SELECT c.id, r.number, r.value->>'kind', r.value->>'name', r.value->>'message', r.value->>'providerCode'
  FROM {schema}.customers c, jsonb_array_elements(c.requirements) WITH ORDINALITY AS r(value, number);

CREATE TABLE {schema}.ignored_reports (
  customer_id          text NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
  -- order in the list (oldest first), from 1
  number               integer NOT NULL,
  at                   timestamptz NOT NULL,
  source               text NOT NULL,
  status               text NOT NULL,
  raw_status           text NOT NULL,
  occurred_at          timestamptz NOT NULL,
  reason               text NOT NULL,
  PRIMARY KEY (customer_id, number)
);
INSERT INTO {schema}.ignored_reports (customer_id, number, at, source, status, raw_status, occurred_at, reason)
SELECT c.id, g.number, (g.value->>'at')::timestamptz, g.value->>'source', g.value->>'status', g.value->>'rawStatus',
       (g.value->>'occurredAt')::timestamptz, g.value->>'reason'
  FROM {schema}.customers c, jsonb_array_elements(c.ignored) WITH ORDINALITY AS g(value, number);

ALTER TABLE {schema}.customers DROP COLUMN requirements, DROP COLUMN rejection, DROP COLUMN ignored, DROP COLUMN extra;

ALTER TABLE {schema}.events
  -- customer.verified
  ADD COLUMN verification_level        text,
  -- customer.rejected
  ADD COLUMN rejection_code            text,
  ADD COLUMN rejection_message         text,
  ADD COLUMN rejection_provider_reason text,
  ADD COLUMN rejection_retryable       boolean,
  -- customer.review_overdue
  ADD COLUMN pending_since             timestamptz,
  ADD COLUMN escalate_after_ms         bigint,
  ADD COLUMN escalation_level          integer,
  ADD COLUMN escalation_action         text,
  ADD CONSTRAINT events_rejection_complete
    CHECK (rejection_code IS NULL OR (rejection_message IS NOT NULL AND rejection_retryable IS NOT NULL));

UPDATE {schema}.events
   SET verification_level = detail->>'verificationLevel',
       rejection_code = detail->'rejection'->>'code',
       rejection_message = detail->'rejection'->>'message',
       rejection_provider_reason = detail->'rejection'->>'providerReason',
       rejection_retryable = (detail->'rejection'->>'retryable')::boolean,
       pending_since = (detail->>'pendingSince')::timestamptz,
       escalate_after_ms = (detail->>'escalateAfterMs')::bigint,
       escalation_level = (detail->>'level')::integer,
       escalation_action = detail->>'action'
 WHERE detail <> '{}'::jsonb;

-- customer.needs_info
CREATE TABLE {schema}.event_requirements (
  event_position       bigint NOT NULL REFERENCES {schema}.events (position) ON DELETE CASCADE,
  number               integer NOT NULL,
  kind                 text NOT NULL,
  name                 text NOT NULL,
  message              text NOT NULL,
  provider_code        text,
  PRIMARY KEY (event_position, number)
);
INSERT INTO {schema}.event_requirements (event_position, number, kind, name, message, provider_code)
SELECT e.position, r.number, r.value->>'kind', r.value->>'name', r.value->>'message', r.value->>'providerCode'
  FROM {schema}.events e, jsonb_array_elements(e.detail->'requirements') WITH ORDINALITY AS r(value, number)
 WHERE jsonb_typeof(e.detail->'requirements') = 'array';

ALTER TABLE {schema}.events DROP COLUMN detail;

-- The list filter's index no longer leads with provider: (provider, status, position) competed with
-- (provider, provider_customer_id) for the webhook lookup by provider record, and on a table without
-- statistics yet the planner could pick it and scan every customer of the provider per delivery.
DROP INDEX {schema}.customers_provider_status_idx;
CREATE INDEX customers_status_provider_idx ON {schema}.customers (status, provider, position);
`;
