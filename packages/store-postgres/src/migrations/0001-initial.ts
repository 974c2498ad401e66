/**
 * Version 1: customers, their provider records (attempts), events and processed
 * webhook keys, each in its own table, with an index for every lookup the
 * store makes. Personal data kept: email and names (erasable); never national
 * ids, document numbers, dates of birth or file bytes (the store has no place
 * for them). `{schema}` is replaced by the quoted schema name.
 */
export const MIGRATION_0001_INITIAL = `
CREATE TABLE {schema}.customers (
  id                   text PRIMARY KEY,
  -- list order: stable, insertion order
  position             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  reference            text NOT NULL CONSTRAINT customers_reference_key UNIQUE,
  type                 text NOT NULL,
  email                text NOT NULL,
  first_name           text NOT NULL,
  last_name            text NOT NULL,
  provider             text NOT NULL,
  provider_customer_id text NOT NULL,
  provider_reference   text NOT NULL,
  status               text NOT NULL,
  raw_status           text NOT NULL,
  requirements         jsonb NOT NULL,
  rejection            jsonb,
  verification_level   text,
  submissions          integer NOT NULL,
  machine_version      integer NOT NULL,
  last_report_at       timestamptz,
  last_received_at     timestamptz,
  last_checked_at      timestamptz,
  pending_since        timestamptz,
  review_overdue_at    timestamptz,
  review_overdue_level integer,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  submitted_at         timestamptz,
  verified_at          timestamptz,
  activated_at         timestamptz,
  rejected_at          timestamptz,
  deactivated_at       timestamptz,
  forgotten_at         timestamptz,
  ignored              jsonb NOT NULL,
  event_count          integer NOT NULL,
  version              integer NOT NULL,
  -- fields this schema has no column for (added by a newer core), kept as they came
  extra                jsonb
);
CREATE INDEX customers_provider_record_idx ON {schema}.customers (provider, provider_customer_id);
CREATE INDEX customers_status_idx ON {schema}.customers (status, position);
CREATE INDEX customers_provider_status_idx ON {schema}.customers (provider, status, position);

CREATE TABLE {schema}.attempts (
  customer_id          text NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
  number               integer NOT NULL,
  provider             text NOT NULL,
  provider_customer_id text NOT NULL,
  provider_reference   text NOT NULL,
  status               text NOT NULL,
  raw_status           text NOT NULL,
  started_at           timestamptz NOT NULL,
  PRIMARY KEY (customer_id, number)
);
CREATE INDEX attempts_provider_record_idx ON {schema}.attempts (provider, provider_customer_id);

CREATE TABLE {schema}.events (
  position             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                   text NOT NULL,
  customer_id          text NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
  type                 text NOT NULL,
  reference            text NOT NULL,
  provider             text NOT NULL,
  provider_customer_id text NOT NULL,
  from_status          text,
  to_status            text NOT NULL,
  at                   timestamptz NOT NULL,
  occurred_at          timestamptz,
  source               text NOT NULL,
  -- the type's own fields (requirements, rejection, verification level, escalation)
  detail               jsonb NOT NULL
);
CREATE INDEX events_customer_idx ON {schema}.events (customer_id, position);

CREATE TABLE {schema}.processed_deliveries (
  provider             text NOT NULL,
  dedupe_key           text NOT NULL,
  customer_id          text,
  processed_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, dedupe_key)
);
`;
