/**
 * Version 7: `events.provider_status`, the provider's own status value in the report that caused the event
 * (`KycEvent.providerStatus`), next to the normalized `to_status` as `customers.raw_status` is next to
 * `status`. Nullable: events no provider report caused (`customer.review_overdue`) have none, and events
 * stored before this version did not record it; they are left as they are (nothing to backfill them from).
 * Adding a nullable column without a default rewrites no rows.
 */
export const MIGRATION_0007_EVENT_PROVIDER_STATUS = `
ALTER TABLE {schema}.events ADD COLUMN provider_status text;
`;
