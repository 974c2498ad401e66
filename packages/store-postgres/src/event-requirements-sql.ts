/**
 * A needs_info event's requirements (table `event_requirements`, migration 0002) aggregated as the arrays
 * `eventFromRow` reads: a LATERAL subquery for a FROM clause over `events` aliased `eventAlias`. Every read
 * of events that maps them with `eventFromRow` joins it.
 */
export function eventRequirementsLateral(s: string, eventAlias: string): string {
  return `CROSS JOIN LATERAL (
     SELECT array_agg(kind ORDER BY number) AS requirement_kinds,
            array_agg(name ORDER BY number) AS requirement_names,
            array_agg(message ORDER BY number) AS requirement_messages,
            array_agg(provider_code ORDER BY number) AS requirement_provider_codes
       FROM ${s}.event_requirements WHERE event_position = ${eventAlias}.position) er`;
}
