/**
 * Version 6: `customer_by_record(provider, provider_customer_id)`, the store's
 * customer read by provider record as one PL/pgSQL function answering JSON,
 * for `lookupDelivery`'s statement:
 *
 *   SELECT CASE WHEN EXISTS (<dedupe key probe>) THEN 'true'::json
 *               ELSE customer_by_record(…) END
 *
 * As one plain statement, a duplicate delivery paid for starting up the whole
 * customer read's plan (relations locked, indexes opened: ~45 µs of server
 * CPU) only to skip it. A function call in a CASE arm is evaluated only when
 * that arm is taken, so a duplicate costs one indexed probe, and PL/pgSQL
 * plans the read once per connection for the new deliveries that need it.
 *
 * The customer comes as one JSON value with the columns and child-list arrays
 * of the store's customer read (`customerFromRow` reads it), SQL NULL when no
 * customer has the record; `c.*` is expanded when the plan is made, so added
 * customer columns come along. A migration that changes the child tables
 * replaces this function.
 */
export const MIGRATION_0006_CUSTOMER_BY_RECORD_FUNCTION = `
CREATE FUNCTION {schema}.customer_by_record(p_provider text, p_provider_customer_id text)
  RETURNS json
  LANGUAGE plpgsql STABLE AS $$
BEGIN
  -- The customer with this provider record: the current one, or an earlier attempt's.
  RETURN (
    SELECT row_to_json(f) FROM (
      SELECT c.*, a.*, r.*, g.*
        FROM {schema}.customers c
        CROSS JOIN LATERAL (
          SELECT array_agg(t.number ORDER BY t.number) AS attempt_numbers,
                 array_agg(t.provider_customer_id ORDER BY t.number) AS attempt_provider_customer_ids,
                 array_agg(t.provider_reference ORDER BY t.number) AS attempt_provider_references,
                 array_agg(t.status ORDER BY t.number) AS attempt_statuses,
                 array_agg(t.raw_status ORDER BY t.number) AS attempt_raw_statuses,
                 array_agg(t.started_at ORDER BY t.number) AS attempt_started_ats
            FROM {schema}.attempts t WHERE t.customer_id = c.id) a
        CROSS JOIN LATERAL (
          SELECT array_agg(q.kind ORDER BY q.number) AS requirement_kinds,
                 array_agg(q.name ORDER BY q.number) AS requirement_names,
                 array_agg(q.message ORDER BY q.number) AS requirement_messages,
                 array_agg(q.provider_code ORDER BY q.number) AS requirement_provider_codes
            FROM {schema}.customer_requirements q WHERE q.customer_id = c.id) r
        CROSS JOIN LATERAL (
          SELECT array_agg(i.at ORDER BY i.number) AS ignored_ats,
                 array_agg(i.source ORDER BY i.number) AS ignored_sources,
                 array_agg(i.status ORDER BY i.number) AS ignored_statuses,
                 array_agg(i.raw_status ORDER BY i.number) AS ignored_raw_statuses,
                 array_agg(i.occurred_at ORDER BY i.number) AS ignored_occurred_ats,
                 array_agg(i.reason ORDER BY i.number) AS ignored_reasons
            FROM {schema}.ignored_reports i WHERE i.customer_id = c.id) g
       WHERE c.id = (SELECT cc.id FROM {schema}.customers cc
                      WHERE cc.provider = p_provider AND cc.provider_customer_id = p_provider_customer_id
                     UNION ALL
                     SELECT ca.customer_id FROM {schema}.attempts ca
                      WHERE ca.provider = p_provider AND ca.provider_customer_id = p_provider_customer_id
                     LIMIT 1)) f);
END
$$;
`;
