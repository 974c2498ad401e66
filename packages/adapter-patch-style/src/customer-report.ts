import { defaultProviderTextScrubber, type KycLogger, type ProviderReport, type ProviderTextScrubber } from '@openkyc/core';
import { mapPatchStyleStatus } from './map-patch-style-status.js';
import { mapRejection } from './map-rejection.js';
import { mapRequirements } from './map-requirements.js';

/** The state-bearing part of a customer object or a `customer.state_changed` payload. */
export interface PatchStyleState {
  readonly customerId: string;
  readonly status: string;
  readonly requiredDocuments?: readonly string[] | null | undefined;
  readonly requiredFields?: readonly string[] | null | undefined;
  /** `rejectionReason` (GET) or `reason` (webhook). */
  readonly rejectionReason?: string | null | undefined;
  /** ISO 8601 with offset. */
  readonly occurredAt?: string | undefined;
}

/**
 * A provider state → the provider-neutral report. Requirements only in
 * NEEDS_ADDITIONAL_INFORMATION, and only when the provider named some (without
 * any, core keeps what it already knew); a rejection only in REJECTED.
 * Provider text that travels on (rejection reasons, unknown codes, the unknown
 * status in the log line) goes through `scrubber` (default: heuristics only).
 */
export function toReport(
  state: PatchStyleState,
  options: { readonly logger?: KycLogger | undefined; readonly scrubber?: ProviderTextScrubber | undefined } = {},
): ProviderReport {
  const scrubber = options.scrubber ?? defaultProviderTextScrubber;
  const mapped = mapPatchStyleStatus(state.status);
  if (!mapped.known) {
    options.logger?.warn(
      { rawStatus: scrubber.scrub(state.status).slice(0, 64), fallback: mapped.status },
      'patch-style reported an unknown status; mapped to the safe fallback',
    );
  }
  const requirements =
    mapped.status === 'needs_info'
      ? mapRequirements({ requiredDocuments: state.requiredDocuments, requiredFields: state.requiredFields }, scrubber)
      : [];
  return {
    providerCustomerId: state.customerId,
    status: mapped.status,
    rawStatus: state.status,
    ...(requirements.length > 0 ? { requirements } : {}),
    ...(mapped.known && mapped.status === 'rejected' ? { rejection: mapRejection(state.rejectionReason, scrubber) } : {}),
    // Patch-style deactivates only ACTIVE customers: a DEACTIVATED report implies approval happened.
    ...(mapped.status === 'deactivated' ? { previousStatus: 'active' as const } : {}),
    ...(state.occurredAt === undefined ? {} : { occurredAt: state.occurredAt }),
  };
}
