import type { CustomerStatus } from '@openkyc/core';
import { match } from 'ts-pattern';

/** The statuses Technest documents: `created` → `pending` → `verified` | `rejected`. */
export const TECHNEST_STATUSES = ['created', 'pending', 'verified', 'rejected'] as const;
export type TechnestStatus = (typeof TECHNEST_STATUSES)[number];

/** A status string Technest may add one day; mapped by the fallback below. */
export const UNKNOWN_STATUS = 'unknown' as const;

/** Reads a raw status (case and surrounding spaces ignored) as a known status, or `'unknown'`. */
export function parseTechnestStatus(raw: string): TechnestStatus | typeof UNKNOWN_STATUS {
  const normalized = raw.trim().toLowerCase();
  return (TECHNEST_STATUSES as readonly string[]).includes(normalized) ? (normalized as TechnestStatus) : UNKNOWN_STATUS;
}

/** What the customer record itself proves, for the unknown-status fallback. */
export interface StatusEvidence {
  readonly verifiedAt?: string | undefined;
  readonly rejectedAt?: string | undefined;
  /** `id_file` is attached or the KYC acknowledgement was recorded: review has started. */
  readonly verificationStarted: boolean;
}

/**
 * Technest status → normalized status. Exhaustive over the documented values;
 * an unknown value (a status Technest adds later) never crashes and never
 * invents a decision: it maps to the furthest status the record's own fields
 * prove — the later of `rejected_at` / `verified_at`, else `pending` once
 * `id_file` is attached (or KYC acknowledged), else `created`. The raw value
 * is kept as `rawStatus` next to it.
 */
export function mapTechnestStatus(raw: string, evidence: StatusEvidence): CustomerStatus {
  // A documented status as Technest spells it (every poll's answer) is looked up in what the match below
  // answered for it once: building the match per call cost more than the rest of a report's mapping.
  const documented = (documentedStatuses ??= new Map(TECHNEST_STATUSES.map((status) => [status, mapParsedStatus(status, NO_EVIDENCE)]))).get(raw);
  return documented ?? mapParsedStatus(parseTechnestStatus(raw), evidence);
}

/** Documented status → normalized status, from `mapParsedStatus` (which ignores the evidence for these). */
let documentedStatuses: ReadonlyMap<string, CustomerStatus> | undefined;
const NO_EVIDENCE: StatusEvidence = { verificationStarted: false };

function mapParsedStatus(status: TechnestStatus | typeof UNKNOWN_STATUS, evidence: StatusEvidence): CustomerStatus {
  return match(status)
    .returnType<CustomerStatus>()
    .with('created', () => 'created')
    .with('pending', () => 'pending')
    .with('verified', () => 'verified')
    .with('rejected', () => 'rejected')
    .with(UNKNOWN_STATUS, () => statusProvenBy(evidence))
    .exhaustive();
}

function statusProvenBy(evidence: StatusEvidence): CustomerStatus {
  const verified = evidence.verifiedAt === undefined ? undefined : Date.parse(evidence.verifiedAt);
  const rejected = evidence.rejectedAt === undefined ? undefined : Date.parse(evidence.rejectedAt);
  if (rejected !== undefined && (verified === undefined || rejected >= verified)) return 'rejected';
  if (verified !== undefined) return 'verified';
  return evidence.verificationStarted ? 'pending' : 'created';
}
