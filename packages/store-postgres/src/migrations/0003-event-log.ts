/**
 * Version 3: the store-wide event log and its consumers.
 *
 * `events.tx_id` is the id of the transaction that committed the event. Positions come from a sequence taken
 * before commit, so events commit out of position order; the log is read in (tx_id, position) order and only
 * below the oldest running transaction (`pg_snapshot_xmin`), where no transaction can add rows any more, so a
 * reader's cursor never passes an event that commits later. Existing events get this migration's
 * transaction id, in position order.
 *
 * `consumers` holds each named consumer's checkpoint (a (tx_id, position) cursor) and lease (holder, fence,
 * expiry); `dead_letters` the events whose handler kept failing, with an error code and a message free of
 * personal data. A statement-level trigger notifies `<schema>.events` listeners when events were added; the
 * notification is delivered at commit, so the commit statement itself stays as it is.
 */
export const MIGRATION_0003_EVENT_LOG = `
ALTER TABLE {schema}.events ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_log_idx ON {schema}.events (tx_id, position);

CREATE TABLE {schema}.consumers (
  name                 text PRIMARY KEY,
  cursor_tx            xid8 NOT NULL,
  cursor_position      bigint NOT NULL,
  fence                bigint NOT NULL,
  holder               text NOT NULL,
  lease_until          timestamptz NOT NULL,
  checkpointed_at      timestamptz
);

CREATE TABLE {schema}.dead_letters (
  consumer             text NOT NULL,
  event_id             text NOT NULL,
  customer_id          text NOT NULL,
  cursor_tx            xid8 NOT NULL,
  cursor_position      bigint NOT NULL,
  -- a class name or code and a message free of personal data, never an error's raw text
  error_code           text NOT NULL,
  error_message        text NOT NULL,
  attempts             integer NOT NULL,
  failed_at            timestamptz NOT NULL,
  retry_requested      boolean NOT NULL DEFAULT false,
  PRIMARY KEY (consumer, event_id)
);

CREATE FUNCTION {schema}.notify_events_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM added) THEN
    PERFORM pg_notify(TG_TABLE_SCHEMA || '.events', '');
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER events_added_notify AFTER INSERT ON {schema}.events
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {schema}.notify_events_added();
`;
