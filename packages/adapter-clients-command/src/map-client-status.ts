import {
  ProviderError,
  defaultProviderTextScrubber,
  describeProviderCode,
  documentedProviderCode,
  providerCodeVocabulary,
  type CustomerStatus,
  type ProviderReport,
  type ProviderTextScrubber,
} from '@openkyc/core';
import { match, P } from 'ts-pattern';
import type { FineractClient } from './clients-command-api.js';
import { mapRejection } from './map-rejection.js';

/**
 * Fineract client status → normalized status:
 *
 * | status id          | sub-status | normalized  |
 * |--------------------|------------|-------------|
 * | 100 Pending        | —          | created     |
 * | 100 Pending        | Verified   | verified    |
 * | 300 Active         | any        | active      |
 * | 700 Rejected       | any        | rejected    |
 * | 600 Closed         | any        | deactivated |
 * | 800 Withdrawn      | any        | deactivated |
 * | anything else      |            | unknown → ProviderError |
 *
 * There is no `pending` (verify is synchronous) and no `needs_info` here: that
 * one comes only from a verify answered with domain rule violations.
 */

export const CLIENT_STATUS_IDS = { pending: 100, active: 300, closed: 600, rejected: 700, withdrawn: 800 } as const;
type KnownStatusId = (typeof CLIENT_STATUS_IDS)[keyof typeof CLIENT_STATUS_IDS];
const KNOWN_STATUS_IDS: ReadonlySet<number> = new Set(Object.values(CLIENT_STATUS_IDS));

export type ClientStatusMapping =
  | { readonly kind: 'known'; readonly status: CustomerStatus }
  | { readonly kind: 'unknown' };

export function mapClientStatus(statusId: number, verified: boolean): ClientStatusMapping {
  const id: KnownStatusId | 'unknown' = KNOWN_STATUS_IDS.has(statusId) ? (statusId as KnownStatusId) : 'unknown';
  return match({ id, verified })
    .with({ id: 100, verified: true }, () => known('verified'))
    .with({ id: 100, verified: false }, () => known('created'))
    .with({ id: 300 }, () => known('active'))
    .with({ id: 700 }, () => known('rejected'))
    .with({ id: P.union(600, 800) }, () => known('deactivated'))
    .with({ id: 'unknown' }, (): ClientStatusMapping => ({ kind: 'unknown' }))
    .exhaustive();
}

function known(status: CustomerStatus): ClientStatusMapping {
  return { kind: 'known', status };
}

/** The sub-status that marks a successful verify; compared case-insensitively (it is a code value). */
export function isVerified(client: Pick<FineractClient, 'subStatus'>): boolean {
  return client.subStatus?.name?.trim().toLowerCase() === 'verified';
}

/** Fineract's status codes (`clientStatusType.pending`…), new ones included. */
const STATUS_CODES = providerCodeVocabulary([/clientStatusType\.[a-z][A-Za-z]*/]);

/** `Pending`, `Pending/Verified`, `Active`… (the provider's own words, for audit). */
export function rawClientStatus(client: Pick<FineractClient, 'status' | 'subStatus'>): string {
  const base = client.status.value ?? client.status.code ?? String(client.status.id);
  const sub = client.subStatus?.name;
  return sub === undefined || sub === null || sub === '' ? base : `${base}/${sub}`;
}

/**
 * A client as read from the provider → report. `occurredAt` is left out on
 * purpose: the timeline only has dates (`[2026, 11, 22]`), and midnight of
 * today is older than the reports core already applied today, so a
 * back-office rejection stamped that way would be discarded as stale. Without
 * it core uses the receipt time, which is when we learned of the change.
 */
export function clientReport(
  provider: string,
  providerCustomerId: string,
  client: FineractClient,
  scrubber: ProviderTextScrubber = defaultProviderTextScrubber,
): ProviderReport {
  const mapping = mapClientStatus(client.status.id, isVerified(client));
  if (mapping.kind === 'unknown') {
    const code = client.status.code ?? undefined;
    throw new ProviderError(
      `${provider} reported client status ${client.status.id} (${describeProviderCode(code, STATUS_CODES, scrubber) ?? 'no code'}), which this adapter does not know; upgrade the adapter or check the installation.`,
      { provider, providerCode: documentedProviderCode(code, STATUS_CODES, scrubber), retryable: false },
    );
  }
  const rawStatus = rawClientStatus(client);
  const report: ProviderReport = { providerCustomerId, status: mapping.status, rawStatus };
  switch (mapping.status) {
    case 'verified':
    case 'active':
      return client.kycVerificationType ? { ...report, verificationLevel: client.kycVerificationType } : report;
    case 'rejected':
      return { ...report, rejection: mapRejection(client.rejectionReason?.name ?? undefined, scrubber) };
    default:
      return report;
  }
}
