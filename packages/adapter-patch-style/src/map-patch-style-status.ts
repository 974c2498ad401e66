import type { CustomerStatus } from '@openkyc/core';
import { match } from 'ts-pattern';

/** Every status the contract documents, in lifecycle order. */
export const PATCH_STYLE_STATUSES = [
  'CREATED',
  'UNDER_REVIEW',
  'NEEDS_ADDITIONAL_INFORMATION',
  'ACTIVE',
  'REJECTED',
  'DEACTIVATED',
] as const;
export type PatchStyleStatus = (typeof PATCH_STYLE_STATUSES)[number];

/** Statuses in which the provider accepts a PATCH of `kycData`. */
export const PATCH_STYLE_PATCHABLE_STATUSES: ReadonlySet<string> = new Set<PatchStyleStatus>([
  'CREATED',
  'NEEDS_ADDITIONAL_INFORMATION',
  'REJECTED',
]);

export type MappedStatus =
  | { readonly known: true; readonly status: CustomerStatus }
  /** A status the contract does not list: mapped to the safe fallback, flagged so callers can log or ignore it. */
  | { readonly known: false; readonly status: CustomerStatus };

/**
 * The provider's status → the normalized one. `ACTIVE` is `active`: core walks
 * `pending → verified → active` and emits both events (the provider approves
 * and activates in one step).
 *
 * An unknown status (a newer API version, a doc drift) maps to `pending`:
 * "the provider is doing something with this customer". It never grants an
 * approval, never rejects, and from `verified`/`active` core ignores it as an
 * invalid transition; `rawStatus` keeps the original for operators.
 */
export function mapPatchStyleStatus(raw: string): MappedStatus {
  const normalized = raw.trim().toUpperCase();
  if (!isPatchStyleStatus(normalized)) return { known: false, status: UNKNOWN_STATUS_FALLBACK };
  const status = match(normalized)
    .returnType<CustomerStatus>()
    .with('CREATED', () => 'created')
    .with('UNDER_REVIEW', () => 'pending')
    .with('NEEDS_ADDITIONAL_INFORMATION', () => 'needs_info')
    .with('ACTIVE', () => 'active')
    .with('REJECTED', () => 'rejected')
    .with('DEACTIVATED', () => 'deactivated')
    .exhaustive();
  return { known: true, status };
}

export const UNKNOWN_STATUS_FALLBACK: CustomerStatus = 'pending';

export function isPatchStyleStatus(value: string): value is PatchStyleStatus {
  return (PATCH_STYLE_STATUSES as readonly string[]).includes(value);
}
